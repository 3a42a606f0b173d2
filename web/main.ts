/// <reference lib="dom" />
/**
 * The draw-a-digit page, in the browser: loads the model the server offers, and after every bit
 * of drawing runs the same preprocessing and forward pass as `lib/`, the MLP's or the CNN's,
 * whichever the file holds (this file is bundled with
 * them by `deno bundle --platform browser`; see `cli/serve.ts`).
 *
 * @module
 */

import {
  classProbabilities,
  describeAnyModel,
  type Model,
  modelFromSafetensors,
} from "../lib/io/model_kinds.ts";
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

let model: Model | undefined;
let frameRequested = false;

/** Preprocesses the drawing, shows what the network sees, and its probabilities. */
function update(): void {
  frameRequested = false;
  const pixels = preprocess(pad.ink());
  showSeen(seen, pixels);
  const blank = !pixels.some((value) => value > 0);
  if (model === undefined || blank) {
    showProbabilities(bars, prediction, undefined);
    return;
  }
  const drawing = { images: pixels, count: 1, source: "your drawing" };
  showProbabilities(bars, prediction, classProbabilities(model, drawing, [0])); // 10×1
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
  const loaded = modelFromSafetensors(new Uint8Array(await response.arrayBuffer()), MODEL_URL);
  model = loaded.model;
  const modified = response.headers.get("last-modified");
  const saved = modified ? `, saved ${new Date(modified).toLocaleString()}` : "";
  status.textContent = `Model: ${describeAnyModel(model, loaded.metadata)}${saved}. ` +
    "Draw one digit, 0 to 9.";
  document.body.dataset.ready = "true";
  update();
} catch (error) {
  status.textContent = `Could not load the model: ${(error as Error).message}`;
  status.classList.add("error");
}
