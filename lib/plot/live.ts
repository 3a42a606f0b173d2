/**
 * A chart that redraws while something runs, such as the loss curve during training.
 *
 * Each redraw replaces the cell's output: a `clear_output` message with `wait: true` (the
 * frontend keeps the old chart until the next output arrives, so nothing flickers), then a fresh
 * `display_data` with the new figure. Updating one output in place (`update_display_data`) would
 * be lighter, but JupyterLab's plotly renderer ignores updates once it has drawn (plotly.py issue
 * 3053), so the chart would freeze at its first point; a fresh output is drawn by a fresh
 * renderer in every client. The price: the cell's other outputs are cleared too, so a cell with a
 * live chart must print nothing else.
 *
 * Every redraw carries the PNG as well as the plotly JSON, so the chart also grows in clients
 * without a plotly renderer (JupyterLab without the Python `plotly` package shows the PNG, and
 * so does JupyterLab's plotly renderer until the mouse is over the chart). Rendering a PNG takes
 * tens of milliseconds and training waits for it, so redraws are throttled: at least
 * `minInterval` apart, and at least four times the last redraw's own duration apart (the first
 * excepted: it may include starting the renderer), which keeps the chart's share of the cell's
 * time under a fifth on a slow machine.
 * {@linkcode LiveChart.finish} always sends the final figure, which is what a saved notebook
 * keeps.
 *
 * @module
 */

import { type DisplayFunction, kernelDisplay, show } from "./display.ts";
import type { Figure } from "./figures.ts";

/** The signature of the kernel's `Deno.jupyter.broadcast`: sends one iopub message. */
export type BroadcastFunction = (
  msgType: string,
  content: Record<string, unknown>,
) => Promise<void>;

/** Options for {@linkcode LiveChart}. */
export interface LiveChartOptions {
  /** Fewest milliseconds between two redraws (default 250). */
  minInterval?: number;
  /** Where to send displays (default: the kernel's; outside the kernel redraws are dropped). */
  display?: DisplayFunction;
  /** Where to send `clear_output` (default: the kernel's `Deno.jupyter.broadcast`). */
  broadcast?: BroadcastFunction;
  /** Milliseconds since some origin (default `performance.now`); tests pass a fake clock. */
  now?: () => number;
}

/** How many times its own duration a redraw waits before the next one. */
const COST_FACTOR = 4;

/**
 * One chart output that redraws while a cell runs; the cell must print nothing else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../network.ts";
 * import { momentum } from "../optimizers.ts";
 * import { type BatchProgress, type EpochRecord, train } from "../train.ts";
 * import { trainingChart } from "./figures.ts";
 *
 * const images = new Uint8Array(40 * 784), labels = new Uint8Array(40); // 40 blank zeros
 * const trainSet = { images, labels, count: 40, source: "blank" };
 * const shown: unknown[] = [];
 * // In a notebook: `new LiveChart()`, which displays in the cell.
 * const live = new LiveChart({ display: async (value) => void shown.push(value) });
 * const history: EpochRecord[] = [], batches: BatchProgress[] = [];
 * await train(initNetwork({ hidden: 8, seed: 1 }), trainSet, {
 *   epochs: 2, batchSize: 8, optimizer: momentum({ learningRate: 0.1 }), seed: 1,
 *   onBatch: (progress) => {
 *     batches.push(progress);
 *     return live.update(() => trainingChart(history, { batches })); // built only when sent
 *   },
 *   onEpoch: (record) => void history.push(record),
 * });
 * await live.finish(trainingChart(history, { batches }));
 * assert.equal(batches.length, 2 * 5);
 * assert.ok(shown.length >= 2); // the first batch's chart and the final one, at least
 * ```
 */
export class LiveChart {
  #display: DisplayFunction | undefined;
  #broadcast: BroadcastFunction | undefined;
  #minInterval: number;
  #now: () => number;
  #nextAllowed = -Infinity;
  #redraws = 0;

  constructor(options: LiveChartOptions = {}) {
    this.#display = options.display ?? kernelDisplay();
    this.#broadcast = options.broadcast ?? kernelBroadcast();
    this.#minInterval = options.minInterval ?? 250;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * Redraws with `figure` unless the last redraw was too recent (see the module comment). Pass a
   * function to build the figure only when it is actually sent.
   */
  async update(figure: Figure | (() => Figure)): Promise<void> {
    if (this.#now() < this.#nextAllowed) return;
    await this.#send(typeof figure === "function" ? figure() : figure);
  }

  /** Redraws with the final figure, always. */
  async finish(figure: Figure): Promise<void> {
    await this.#send(figure);
  }

  async #send(figure: Figure): Promise<void> {
    if (!this.#display) return;
    const started = this.#now();
    if (this.#redraws > 0) await this.#broadcast?.("clear_output", { wait: true });
    await this.#display(show(figure));
    const finished = this.#now();
    // The first redraw may also start the PNG renderer (seconds, once): not a redraw's cost.
    const cost = this.#redraws++ === 0 ? 0 : COST_FACTOR * (finished - started);
    this.#nextAllowed = finished + Math.max(this.#minInterval, cost);
  }
}

/** The kernel's `Deno.jupyter.broadcast`, or undefined outside `deno jupyter`. */
function kernelBroadcast(): BroadcastFunction | undefined {
  try {
    const broadcast = Deno.jupyter.broadcast;
    return (msgType, content) => broadcast(msgType, content);
  } catch {
    return undefined;
  }
}
