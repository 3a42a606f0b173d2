/**
 * Paths on a contour map: where an optimizer goes on a function of two parameters, drawn over
 * the function's level lines, e.g. gradient descent zig-zagging down a narrow valley.
 *
 * @module
 */

import {
  baseLayout,
  type ChartOptions,
  COLORS,
  type Figure,
  legendRowAbove,
  type Series,
} from "./figures.ts";

/** The rectangle to draw: x and y from, to. */
export interface ContourBox {
  x: readonly [number, number];
  y: readonly [number, number];
  /** Samples along each axis (default 101). */
  points?: number;
}

/**
 * `f` as grey level lines over `box`, and each path (x, y of its points, in order) as a line
 * with a marker at every point. The axes have equal scales, so a valley narrow in y looks narrow.
 *
 * @example
 * ```ts
 * const figure = contourChart((x, y) => x * x + 10 * y * y, { x: [-2, 2], y: [-1, 1] }, [
 *   { name: "gradient descent", x: [-2, -1, -0.5], y: [1, -0.8, 0.6] },
 * ]);
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(figure.data.map((trace) => trace.type), ["contour", "scatter"]);
 * ```
 */
export function contourChart(
  f: (x: number, y: number) => number,
  box: ContourBox,
  paths: readonly Series[],
  options: ChartOptions & { levels?: number } = {},
): Figure {
  const points = box.points ?? 101;
  const axis = ([from, to]: readonly [number, number]) =>
    Array.from({ length: points }, (_, i) => from + (to - from) * i / (points - 1));
  const xs = axis(box.x), ys = axis(box.y);
  const layout = baseLayout(options);
  Object.assign(layout, {
    xaxis: { ...layout.xaxis as object, range: [...box.x], zeroline: false },
    yaxis: { ...layout.yaxis as object, range: [...box.y], zeroline: false, scaleanchor: "x" },
  });
  legendRowAbove(layout);
  return {
    data: [
      {
        type: "contour",
        x: xs,
        y: ys,
        z: ys.map((y) => xs.map((x) => f(x, y))), // z[row][column] = f(x[column], y[row])
        ncontours: options.levels ?? 12,
        contours: { coloring: "lines" },
        colorscale: [[0, "#bbbbbb"], [1, "#bbbbbb"]],
        showscale: false,
        hoverinfo: "skip",
      },
      ...paths.map((path, i) => ({
        type: "scatter",
        mode: "lines+markers",
        name: path.name,
        x: Array.from(path.x),
        y: Array.from(path.y),
        line: { color: COLORS[i % COLORS.length] },
        marker: { size: 5 },
      })),
    ],
    layout,
  };
}
