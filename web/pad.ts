/// <reference lib="dom" />
/**
 * The drawing pad: a canvas that mouse, pen and touch draw on through pointer events, black
 * strokes on white paper.
 *
 * @module
 */

import type { InkImage } from "../lib/drawing/preprocess.ts";
import { inkFromRgba } from "../lib/drawing/preprocess.ts";

/**
 * Stroke width in canvas pixels: on the 280-pixel pad, a digit drawn about 200 pixels tall gets
 * strokes about 2 pixels wide once scaled to MNIST's 20-pixel box, like MNIST's own pen.
 */
export const BRUSH_WIDTH = 20;

/** What the page needs from the pad. */
export interface Pad {
  /** Wipes the drawing. */
  clear(): void;
  /** The drawing as ink (see {@linkcode inkFromRgba}), canvas.width × canvas.height. */
  ink(): InkImage;
}

/**
 * Makes `canvas` a drawing pad. `onChange(strokeEnded)` runs after every bit of drawing, with
 * `strokeEnded` true when the pen or finger lifts.
 *
 * @example
 * ```ts
 * const pad = createPad(document.querySelector("canvas")!, (ended) => ended && console.log("drawn"));
 * pad.clear();
 * ```
 */
export function createPad(
  canvas: HTMLCanvasElement,
  onChange: (strokeEnded: boolean) => void,
): Pad {
  // The page reads the pixels back after every stroke: keep them in CPU memory.
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  let last: { x: number; y: number } | undefined;

  // Pointer positions are in CSS pixels from the border's outer edge; the drawing starts inside
  // the border (clientLeft/Top) and may be shown larger or smaller than the canvas's pixels.
  const toCanvas = (event: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - rect.left - canvas.clientLeft) * canvas.width / canvas.clientWidth,
      y: (event.clientY - rect.top - canvas.clientTop) * canvas.height / canvas.clientHeight,
    };
  };
  const clear = () => {
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
  };

  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    canvas.setPointerCapture(event.pointerId);
    last = toCanvas(event);
    // A tap is a dot: a stroke of zero length would draw nothing.
    context.fillStyle = "#000";
    context.beginPath();
    context.arc(last.x, last.y, BRUSH_WIDTH / 2, 0, 2 * Math.PI);
    context.fill();
    onChange(false);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (last === undefined) return;
    // A fast pen reports several positions per frame; drawing them all keeps curves smooth.
    const events = event.getCoalescedEvents?.() ?? [];
    context.strokeStyle = "#000";
    context.lineWidth = BRUSH_WIDTH;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.beginPath();
    context.moveTo(last.x, last.y);
    for (const point of (events.length > 0 ? events : [event]).map(toCanvas)) {
      context.lineTo(point.x, point.y);
      last = point;
    }
    context.stroke();
    onChange(false);
  });
  const end = () => {
    if (last === undefined) return;
    last = undefined;
    onChange(true);
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);

  clear();
  return {
    clear,
    ink: () => ({
      width: canvas.width,
      height: canvas.height,
      data: inkFromRgba(context.getImageData(0, 0, canvas.width, canvas.height).data),
    }),
  };
}
