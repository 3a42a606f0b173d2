import assert from "node:assert/strict";
import { GRADIENT_COLOR, graphFigure, networkGraph } from "../lib/plot/graph.ts";

type Annotation = Record<string, unknown>;
const annotationsOf = (figure: { layout: Record<string, unknown> }) =>
  figure.layout.annotations as Annotation[];

Deno.test("graphFigure: a black arrow forward, a red one back below it, then its label", () => {
  const figure = graphFigure(
    [
      { id: "x", label: "x", x: 0, y: 0 },
      { id: "y", label: "y = 2x", x: 4, y: 0, gradient: "dy" },
    ],
    [{ from: "x", to: "y", backward: "·2" }],
  );
  const [forward, backward, label, xBox, yBox, gradient] = annotationsOf(figure);
  // Forward: from x (ax) to y (x), along y = 0, starting right of x and ending left of y.
  assert.equal(forward.arrowcolor, "black");
  assert.ok((forward.ax as number) > 0 && (forward.x as number) < 4);
  assert.ok((forward.ax as number) < (forward.x as number));
  assert.deepEqual([forward.y, forward.ay], [0, 0]);
  // Backward: from y to x, shifted below (to the right of a rightward edge) by the default 0.14.
  assert.equal(backward.arrowcolor, GRADIENT_COLOR);
  assert.ok((backward.ax as number) > (backward.x as number));
  assert.deepEqual([backward.y, backward.ay], [-0.14, -0.14]);
  assert.equal(label.text, "·2");
  assert.ok((label.y as number) < -0.14, "the label lies beyond its arrow");
  assert.equal(label.x, 2);
  assert.deepEqual([xBox.text, yBox.text, gradient.text], ["x", "y = 2x", "dy"]);
  assert.ok((gradient.y as number) < 0, "the gradient goes below its box by default");
});

Deno.test("graphFigure: side −1 puts the red arrow on the other side; forward: false omits black", () => {
  const figure = graphFigure(
    [{ id: "a", label: "a", x: 0, y: 0 }, { id: "b", label: "b", x: 0, y: -3 }],
    [{ from: "a", to: "b", backward: "g", side: -1, forward: false, offset: 0.5 }],
  );
  const [backward] = annotationsOf(figure);
  // A downward edge: its right-hand normal points to −x; side −1 flips it to +x.
  assert.equal(backward.arrowcolor, GRADIENT_COLOR);
  assert.deepEqual([backward.x, backward.ax], [0.5, 0.5]);
  assert.equal(annotationsOf(figure).filter((a) => a.arrowcolor === "black").length, 0);
});

Deno.test("graphFigure names an edge's missing node", () => {
  assert.throws(
    () => graphFigure([{ id: "a", label: "a", x: 0, y: 0 }], [{ from: "a", to: "c" }]),
    /node "c", which is not there/,
  );
});

Deno.test("networkGraph: every parameter's gradient, the shapes, and dZ2 = A2 − Y", () => {
  const texts = annotationsOf(networkGraph({ inputs: 49, hidden: 16, outputs: 10 }))
    .map((a) => a.text);
  for (const name of ["dW1", "db1", "dW2", "db2", "dZ1", "dA1", "dZ2", "A2 − Y", "⊙ ReLU′(Z1)"]) {
    assert.ok(texts.includes(name), `${name} is drawn`);
  }
  assert.ok(texts.includes("W1<br>16 × 49"));
  assert.ok(texts.includes("Z2 = W2·A1 + b2<br>10 × m"));
});
