/**
 * Computational graphs as figures: boxes for the values a forward pass computes, a black arrow
 * for each forward edge (values flow right), and a red arrow back along it labelled with the
 * edge's local derivative (gradients flow left: the backward pass multiplies by it). The boxes
 * and arrows are plotly annotations on hidden axes, so the figure is plain JSON like every other
 * chart and gets a PNG in the notebook.
 *
 * @module
 */

import { baseLayout, COLORS, type Figure } from "./figures.ts";

/** One value of the graph, drawn as a box at (x, y). */
export interface GraphNode {
  id: string;
  /** The value and its shape, e.g. "Z1 = W1·X + b1<br>128 × m" (plotly's `<br>` breaks lines). */
  label: string;
  x: number;
  y: number;
  /** Its gradient, written in red beside the box, e.g. "dZ1". */
  gradient?: string;
  /** Where the gradient goes (default "below"). */
  gradientSide?: "below" | "above";
}

/** A forward edge `from` → `to`, and what flows back along it. */
export interface GraphEdge {
  from: string;
  to: string;
  /** The local derivative on the red arrow `to` → `from`; no red arrow when undefined. */
  backward?: string;
  /** false: only the red arrow (e.g. one that skips a node); default true. */
  forward?: boolean;
  /** How far the red arrow runs beside the black one, in data units (default 0.14). */
  offset?: number;
  /** 1 (default): red arrow to the right of the forward direction (below a rightward edge). */
  side?: 1 | -1;
}

/** The colour of gradients and backward arrows. */
export const GRADIENT_COLOR = COLORS[3];

/** Rough text metrics of the 13 px font, to keep arrows out of the boxes. */
const CHAR_PX = 7.4, LINE_PX = 17, PAD_PX = 10;

/**
 * A graph figure from its nodes and edges. Each red arrow runs parallel to its black one,
 * shifted by `offset` to one side, with its label beyond it; arrows start and stop at the edges
 * of the boxes (estimated from the label's longest line and number of lines).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figure = graphFigure(
 *   [{ id: "x", label: "x", x: 0, y: 0 }, { id: "y", label: "y = 2x", x: 1, y: 0, gradient: "dy" }],
 *   [{ from: "x", to: "y", backward: "·2" }],
 * );
 * const annotations = figure.layout.annotations as { text: string; arrowcolor?: string }[];
 * // A black and a red arrow, the label "·2", two boxes, "dy":
 * assert.deepEqual(annotations.map((a) => a.arrowcolor ?? a.text), [
 *   "black",
 *   GRADIENT_COLOR,
 *   "·2",
 *   "x",
 *   "y = 2x",
 *   "dy",
 * ]);
 * ```
 */
export function graphFigure(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  options: { title?: string; width?: number; height?: number } = {},
): Figure {
  const width = options.width ?? 1100, height = options.height ?? 420;
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const xRange = [Math.min(...xs) - 0.9, Math.max(...xs) + 0.9];
  const yRange = [Math.min(...ys) - 1, Math.max(...ys) + 0.6];
  const margin = { t: options.title ? 50 : 10, r: 10, b: 10, l: 10 };
  const pxPerX = (width - margin.l - margin.r) / (xRange[1] - xRange[0]);
  const pxPerY = (height - margin.t - margin.b) / (yRange[1] - yRange[0]);
  const halfSize = (node: GraphNode) => {
    const lines = node.label.split("<br>");
    return {
      x: (Math.max(...lines.map((l) => l.length)) * CHAR_PX / 2 + PAD_PX) / pxPerX,
      y: (lines.length * LINE_PX / 2 + PAD_PX) / pxPerY,
    };
  };
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const find = (id: string) => {
    const node = byId.get(id);
    if (!node) throw new RangeError(`graphFigure: an edge names node "${id}", which is not there`);
    return node;
  };
  /** How far along unit direction (ux, uy) the box of `node` reaches from its centre. */
  const boxReach = (node: GraphNode, ux: number, uy: number) => {
    const half = halfSize(node);
    return Math.min(half.x / Math.max(Math.abs(ux), 1e-9), half.y / Math.max(Math.abs(uy), 1e-9));
  };
  const annotations: Record<string, unknown>[] = [];
  const arrow = (from: GraphNode, to: GraphNode, shiftX: number, shiftY: number, color: string) => {
    const dx = to.x - from.x, dy = to.y - from.y, length = Math.hypot(dx, dy);
    const ux = dx / length, uy = dy / length;
    const start = boxReach(from, ux, uy) + 0.03, end = boxReach(to, ux, uy) + 0.05;
    annotations.push({
      x: to.x - ux * end + shiftX,
      y: to.y - uy * end + shiftY,
      ax: from.x + ux * start + shiftX,
      ay: from.y + uy * start + shiftY,
      xref: "x",
      yref: "y",
      axref: "x",
      ayref: "y",
      text: "",
      showarrow: true,
      arrowhead: 2,
      arrowwidth: 1.5,
      arrowcolor: color,
    });
  };
  for (const edge of edges) {
    const from = find(edge.from), to = find(edge.to);
    const dx = to.x - from.x, dy = to.y - from.y, length = Math.hypot(dx, dy);
    // The normal to the right of the forward direction (below a rightward edge), in data units.
    const side = edge.side ?? 1, shift = edge.offset ?? 0.14;
    const nx = side * dy / length, ny = -side * dx / length;
    if (edge.forward !== false) arrow(from, to, 0, 0, "black");
    if (edge.backward === undefined) continue;
    arrow(to, from, nx * shift, ny * shift, GRADIENT_COLOR);
    const labelShift = shift + 14 / pxPerY;
    annotations.push({
      text: edge.backward,
      x: (from.x + to.x) / 2 + nx * labelShift,
      y: (from.y + to.y) / 2 + ny * labelShift,
      xref: "x",
      yref: "y",
      xanchor: Math.abs(nx) < 0.3 ? "center" : nx > 0 ? "left" : "right",
      showarrow: false,
      font: { size: 12, color: GRADIENT_COLOR },
    });
  }
  for (const node of nodes) {
    annotations.push({
      text: node.label,
      x: node.x,
      y: node.y,
      xref: "x",
      yref: "y",
      showarrow: false,
      bordercolor: "#444",
      borderwidth: 1,
      borderpad: 5,
      bgcolor: "white",
      font: { size: 13 },
    });
    if (node.gradient) {
      const above = node.gradientSide === "above";
      annotations.push({
        text: node.gradient,
        x: node.x,
        y: node.y + (above ? 1 : -1) * (halfSize(node).y + 10 / pxPerY),
        xref: "x",
        yref: "y",
        yanchor: above ? "bottom" : "top",
        showarrow: false,
        font: { size: 12, color: GRADIENT_COLOR },
      });
    }
  }
  const hidden = { visible: false, showgrid: false, zeroline: false };
  return {
    // One invisible point per node, so that the figure has a trace to draw.
    data: [{ type: "scatter", mode: "markers", x: xs, y: ys, marker: { opacity: 0 } }],
    layout: {
      ...baseLayout({ title: options.title }),
      xaxis: { ...hidden, range: xRange },
      yaxis: { ...hidden, range: yRange },
      annotations,
      showlegend: false,
      plot_bgcolor: "white",
      width,
      height,
      margin,
    },
  };
}

/**
 * The computational graph of the `inputs`-`hidden`-`outputs` network (784-128-10 by default) for
 * a batch of m images: forward values left to right, and on each red arrow the factor the
 * backward pass applies on its way back (lib/backprop.ts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figure = networkGraph({ hidden: 8 }); // in a notebook: show(networkGraph())
 * const texts = (figure.layout.annotations as { text: string }[]).map((a) => a.text);
 * assert.ok(texts.includes("W1<br>8 × 784"));
 * ```
 */
export function networkGraph(
  { inputs = 784, hidden = 128, outputs = 10 } = {},
  options: { title?: string } = {},
): Figure {
  const shape = (rows: number | string, cols: number | string) => `${rows} × ${cols}`;
  const nodes: GraphNode[] = [
    { id: "X", label: `X<br>${shape(inputs, "m")}`, x: 0, y: 0 },
    {
      id: "W1",
      label: `W1<br>${shape(hidden, inputs)}`,
      x: 1.3,
      y: 1.7,
      gradient: "dW1",
      gradientSide: "above",
    },
    {
      id: "b1",
      label: `b1<br>${shape(hidden, 1)}`,
      x: 2.9,
      y: 1.7,
      gradient: "db1",
      gradientSide: "above",
    },
    { id: "Z1", label: `Z1 = W1·X + b1<br>${shape(hidden, "m")}`, x: 2.1, y: 0, gradient: "dZ1" },
    { id: "A1", label: `A1 = ReLU(Z1)<br>${shape(hidden, "m")}`, x: 4.5, y: 0, gradient: "dA1" },
    {
      id: "W2",
      label: `W2<br>${shape(outputs, hidden)}`,
      x: 5.7,
      y: 1.7,
      gradient: "dW2",
      gradientSide: "above",
    },
    {
      id: "b2",
      label: `b2<br>${shape(outputs, 1)}`,
      x: 7.3,
      y: 1.7,
      gradient: "db2",
      gradientSide: "above",
    },
    { id: "Z2", label: `Z2 = W2·A1 + b2<br>${shape(outputs, "m")}`, x: 6.9, y: 0, gradient: "dZ2" },
    { id: "A2", label: `A2 = softmax(Z2)<br>${shape(outputs, "m")}`, x: 9.3, y: 0 },
    { id: "Y", label: `Y (one-hot)<br>${shape(outputs, "m")}`, x: 10.5, y: 1.7 },
    { id: "L", label: "L (cross-entropy)<br>1 × 1", x: 11.5, y: 0 },
  ];
  const edges: GraphEdge[] = [
    { from: "X", to: "Z1" }, // X is data, not a parameter: no gradient is needed for it
    { from: "W1", to: "Z1", backward: "·Xᵀ/m" },
    { from: "b1", to: "Z1", backward: "Σ over images /m", side: -1 },
    { from: "Z1", to: "A1", backward: "⊙ ReLU′(Z1)" },
    { from: "A1", to: "Z2", backward: "W2ᵀ·" },
    { from: "W2", to: "Z2", backward: "·A1ᵀ/m" },
    { from: "b2", to: "Z2", backward: "Σ over images /m", side: -1 },
    { from: "Z2", to: "A2" },
    { from: "A2", to: "L" },
    { from: "Y", to: "L" },
    // Softmax and cross-entropy differentiate together (notebook 6): one arrow past A2.
    { from: "Z2", to: "L", forward: false, backward: "A2 − Y", offset: 0.62 },
  ];
  return graphFigure(nodes, edges, options);
}
