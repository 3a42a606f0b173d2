/// <reference lib="dom" />
/**
 * What the page shows besides the pad: the 28×28 image the network sees, and one bar per digit
 * with its probability.
 *
 * @module
 */

import { IMAGE_SIDE } from "../lib/data/dataset.ts";
import type { Matrix } from "../lib/matrix.ts";
import { predictions } from "../lib/network.ts";

/**
 * Paints the network's input, 784 bytes in MNIST's convention (0 = background, 255 = ink), on a
 * 28×28 canvas as MNIST is usually shown: a white digit on black.
 *
 * @example
 * ```ts
 * showSeen(document.querySelector("#seen")!, new Uint8Array(784)); // all black
 * ```
 */
export function showSeen(canvas: HTMLCanvasElement, pixels: Uint8Array): void {
  const context = canvas.getContext("2d")!;
  const image = context.createImageData(IMAGE_SIDE, IMAGE_SIDE);
  pixels.forEach((value, p) => {
    image.data.set([value, value, value, 255], 4 * p);
  });
  context.putImageData(image, 0, 0);
}

/**
 * Fills the list `bars` with ten rows, digit 0 to 9, each a label, a bar and a percentage.
 *
 * @example
 * ```ts
 * createBars(document.querySelector("#bars")!);
 * ```
 */
export function createBars(bars: HTMLOListElement): void {
  bars.replaceChildren(
    ...Array.from({ length: 10 }, (_, digit) => {
      const row = document.createElement("li");
      row.innerHTML = `<span>${digit}</span><span class="bar"><span class="fill"></span></span>` +
        `<span class="value">–</span>`;
      return row;
    }),
  );
}

/**
 * Shows the ten probabilities of A2 (the 10×1 softmax output) in `bars` (made by
 * {@linkcode createBars}) and the most probable digit in `prediction`; A2 undefined (nothing
 * drawn) empties both. Each row keeps its exact probability in `data-probability`, and
 * `prediction` its digit in `data-digit`, for tests and for anyone inspecting the page.
 *
 * @example
 * ```ts
 * showProbabilities(bars, prediction, forwardPropagation(network, X).A2);
 * ```
 */
export function showProbabilities(
  bars: HTMLOListElement,
  prediction: HTMLOutputElement,
  A2: Matrix | undefined,
): void {
  const best = A2 === undefined ? undefined : predictions(A2)[0];
  Array.from(bars.children).forEach((row, digit) => {
    const element = row as HTMLElement;
    const probability = A2?.data[digit];
    element.querySelector<HTMLElement>(".fill")!.style.width = `${100 * (probability ?? 0)}%`;
    element.querySelector(".value")!.textContent = probability === undefined
      ? "–"
      : `${(100 * probability).toFixed(1)} %`;
    element.classList.toggle("best", digit === best);
    if (probability === undefined) delete element.dataset.probability;
    else element.dataset.probability = String(probability);
  });
  prediction.textContent = best === undefined ? "–" : String(best);
  if (best === undefined) delete prediction.dataset.digit;
  else prediction.dataset.digit = String(best);
}
