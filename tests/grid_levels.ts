/**
 * Test helper: the colour levels of an image-grid heatmap, decoded from plotly's typed-array form
 * `{ dtype: "u1", shape: "height,width", bdata: base64 }` back into rows of numbers.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Figure } from "../lib/plot/figures.ts";

/**
 * The z of trace 0 of `figure` as rows of levels 0–255.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageGrid } from "../lib/plot/heatmaps.ts";
 *
 * assert.deepEqual(gridLevels(imageGrid([[0, 255, 255, 0]], { side: 2 })), [[0, 255], [255, 0]]);
 * ```
 */
export function gridLevels(figure: Figure): number[][] {
  const z = figure.data[0].z as { dtype: string; shape: string; bdata: string };
  assert.equal(z.dtype, "u1");
  const [height, width] = z.shape.split(",").map(Number);
  const bytes = [...atob(z.bdata)].map((c) => c.charCodeAt(0));
  assert.equal(bytes.length, height * width);
  return Array.from({ length: height }, (_, r) => bytes.slice(r * width, (r + 1) * width));
}
