import assert from "node:assert/strict";
import { Value } from "../lib/autograd.ts";
import { assertClose } from "./assert.ts";

Deno.test("Value: y = relu(w·x + b) has the hand-derived gradients", () => {
  const w = new Value(2), x = new Value(3), b = new Value(-1);
  const y = w.mul(x).add(b).relu(); // relu(5) = 5
  y.backward();
  assert.equal(y.data, 5);
  // ∂y/∂w = x = 3, ∂y/∂x = w = 2, ∂y/∂b = 1 (ReLU is active).
  assert.deepEqual([w.grad, x.grad, b.grad, y.grad], [3, 2, 1, 1]);
});

Deno.test("Value: an inactive ReLU passes no gradient back", () => {
  const w = new Value(2), x = new Value(3), b = new Value(-10);
  const y = w.mul(x).add(b).relu(); // relu(−4) = 0
  y.backward();
  assert.equal(y.data, 0);
  assert.deepEqual([w.grad, x.grad, b.grad], [0, 0, 0]);
});

Deno.test("Value: a value used on two paths gets the sum of both (x·x + x → 2x + 1)", () => {
  const x = new Value(3);
  const y = x.mul(x).add(x); // 12
  y.backward();
  assert.equal(y.data, 12);
  assert.equal(x.grad, 7);
});

Deno.test("Value: backward twice gives the same grads (they are reset, not accumulated)", () => {
  const x = new Value(-2);
  const y = x.mul(x).mul(x); // x³, dy/dx = 3x² = 12
  y.backward();
  y.backward();
  assert.equal(x.grad, 12);
});

Deno.test("Value: a 2-2-1 ReLU network matches centred differences for every weight", () => {
  const inputs = [0.5, -1.5];
  const weights = [0.3, -0.8, 1.1, 0.4, 0.7, -1.2, 0.25]; // W1 = [a b; c d], W2 = [e g], b2 = h
  const f = (p: Value[]) => {
    const [a, b, c, d, e, g, h] = p;
    const x = inputs.map((v) => new Value(v));
    const h1 = a.mul(x[0]).add(b.mul(x[1])).relu();
    const h2 = c.mul(x[0]).add(d.mul(x[1])).relu();
    const out = e.mul(h1).add(g.mul(h2)).add(h);
    return out.mul(out); // a squared output, so every gradient is a product of several factors
  };
  const parameters = weights.map((v) => new Value(v));
  f(parameters).backward();
  const epsilon = 1e-6;
  weights.forEach((_, k) => {
    const shifted = (delta: number) =>
      f(weights.map((v, i) => new Value(i === k ? v + delta : v))).data;
    const numerical = (shifted(epsilon) - shifted(-epsilon)) / (2 * epsilon);
    assertClose(parameters[k].grad, numerical, { message: `parameter ${k}` });
  });
});
