import assert from "node:assert/strict";
import { contourChart } from "../lib/plot/contours.ts";
import { COLORS } from "../lib/plot/figures.ts";

Deno.test("contourChart samples f on the box, row = y, column = x, then draws each path", () => {
  const figure = contourChart((x, y) => x + 10 * y, { x: [0, 2], y: [-1, 1], points: 3 }, [
    { name: "path", x: [0, 1], y: [1, 0] },
  ]);
  const [contour, path] = figure.data;
  assert.deepEqual(contour.x, [0, 1, 2]);
  assert.deepEqual(contour.y, [-1, 0, 1]);
  // z[row][column] = f(x[column], y[row]): row 0 is y = −1.
  assert.deepEqual(contour.z, [[-10, -9, -8], [0, 1, 2], [10, 11, 12]]);
  assert.deepEqual(
    [path.mode, path.name, path.x, path.y, path.line],
    ["lines+markers", "path", [0, 1], [1, 0], { color: COLORS[0] }],
  );
  // Equal scales, so that a narrow valley looks narrow.
  assert.equal((figure.layout.yaxis as { scaleanchor: string }).scaleanchor, "x");
  assert.deepEqual((figure.layout.xaxis as { range: number[] }).range, [0, 2]);
});
