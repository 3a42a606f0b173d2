/**
 * A chart that redraws in place while something runs, such as the loss curve during training.
 * The first call sends a `display_data` message with a `display_id`; later calls send
 * `update_display_data` with the same id, and the frontend replaces that one output instead of
 * appending a new chart each time.
 *
 * Updates are throttled (4 per second by default) because each one ships the whole figure to the
 * frontend, and they carry no PNG: rendering one takes ~0.3 s, longer than a training batch.
 * {@linkcode LiveChart.finish} sends the final figure with its PNG, which is what a saved
 * notebook keeps.
 *
 * @module
 */

import { type DisplayFunction, kernelDisplay, show } from "./display.ts";
import type { Figure } from "./figures.ts";

/** Options for {@linkcode LiveChart}. */
export interface LiveChartOptions {
  /** Fewest milliseconds between two updates (default 250). */
  minInterval?: number;
  /** Where to send displays (default: the kernel's; outside the kernel updates are dropped). */
  display?: DisplayFunction;
}

/**
 * One output that redraws in place.
 *
 * @example
 * ```ts
 * const live = new LiveChart();
 * const batches: BatchProgress[] = [];
 * const history = await train(network, trainSet, {
 *   epochs: 5, batchSize: 128, optimizer, seed: 1, validation,
 *   onBatch: (progress) => {
 *     batches.push(progress);
 *     return live.update(() => trainingChart(history, { batches })); // built only when sent
 *   },
 *   onEpoch: (record) => { history.push(record); },
 * });
 * await live.finish(trainingChart(history, { batches }));
 * ```
 */
export class LiveChart {
  readonly displayId = `live-${crypto.randomUUID()}`;
  #display: DisplayFunction | undefined;
  #minInterval: number;
  #lastSent = -Infinity;
  #shown = false;

  constructor(options: LiveChartOptions = {}) {
    this.#display = options.display ?? kernelDisplay();
    this.#minInterval = options.minInterval ?? 250;
  }

  /**
   * Redraws with `figure` unless the last update was less than `minInterval` ago. Pass a function
   * to build the figure only when it is actually sent.
   */
  async update(figure: Figure | (() => Figure)): Promise<void> {
    const now = performance.now();
    if (now - this.#lastSent < this.#minInterval) return;
    this.#lastSent = now;
    await this.#send(typeof figure === "function" ? figure() : figure, false);
  }

  /** Redraws with the final figure, always, PNG included. */
  async finish(figure: Figure): Promise<void> {
    this.#lastSent = performance.now();
    await this.#send(figure, true);
  }

  async #send(figure: Figure, png: boolean): Promise<void> {
    if (!this.#display) return;
    const update = this.#shown;
    this.#shown = true;
    await this.#display(show(figure, { png }), { display_id: this.displayId, update });
  }
}
