/// <reference lib="dom" />
/**
 * The draw-a-digit page, in the browser: loads the model the server offers, and after every bit
 * of drawing runs the same preprocessing and forward pass as `lib/` (this file is bundled with
 * them by `deno bundle --platform browser`; see `cli/serve.ts`).
 *
 * @module
 */

import { denseInputs } from "../lib/data/dataset.ts";
import { describeModel, networkFromSafetensors } from "../lib/io/model_file.ts";
import { forwardPropagation, type Network } from "../lib/network.ts";
import { preprocess } from "../lib/drawing/preprocess.ts";
import { createPad } from "./pad.ts";
import { createBars, showProbabilities, showSeen } from "./view.ts";

/** The model's address on the server, next to the page. */
const MODEL_URL = "model.safetensors";

const element = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const status = element<HTMLParagraphElement>("#status");
const seen = element<HTMLCanvasElement>("#seen");
const bars = element<HTMLOListElement>("#bars");
const prediction = element<HTMLOutputElement>("#prediction");

let network: Network | undefined;
let frameRequested = false;

/** Preprocesses the drawing, shows what the network sees, and its probabilities. */
function update(): void {
  frameRequested = false;
  const pixels = preprocess(pad.ink());
  showSeen(seen, pixels);
  const blank = !pixels.some((value) => value > 0);
  if (network === undefined || blank) {
    showProbabilities(bars, prediction, undefined);
    return;
  }
  const X = denseInputs({ images: pixels, count: 1, source: "your drawing" }); // 784×1
  showProbabilities(bars, prediction, forwardPropagation(network, X).A2);
}

// While drawing, update at most once per frame; when a stroke ends, at once, so that what the
// page shows after the pen lifts is always the final drawing's.
const pad = createPad(element("#pad"), (strokeEnded) => {
  if (strokeEnded) update();
  else if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(update);
  }
});
element<HTMLButtonElement>("#clear").addEventListener("click", () => {
  pad.clear();
  update();
});
createBars(bars);
update();

try {
  const response = await fetch(MODEL_URL);
  if (!response.ok) throw new Error(`${MODEL_URL}: the server answered ${response.status}`);
  const loaded = networkFromSafetensors(new Uint8Array(await response.arrayBuffer()), MODEL_URL);
  network = loaded.network;
  const modified = response.headers.get("last-modified");
  const saved = modified ? `, saved ${new Date(modified).toLocaleString()}` : "";
  status.textContent = `Model: ${describeModel(network, loaded.metadata)}${saved}. ` +
    "Draw one digit, 0 to 9.";
  document.body.dataset.ready = "true";
  update();
} catch (error) {
  status.textContent = `Could not load the model: ${(error as Error).message}`;
  status.classList.add("error");
}
