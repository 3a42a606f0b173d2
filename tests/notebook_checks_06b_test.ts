import assert from "node:assert/strict";
import { backwardPropagation } from "../lib/backprop.ts";
import { crossEntropyLoss, oneHot } from "../lib/loss.ts";
import { matmulTransposeB, Matrix, scale, sumRows } from "../lib/matrix.ts";
import { forwardPropagation, initNetwork } from "../lib/network.ts";
import {
  type Backward,
  checkBackward,
  checkNumericalDerivative,
} from "../notebooks/checks/06b_gradient_check.ts";
import { NOT_ANSWERED } from "../notebooks/checks/protocol.ts";

const network = initNetwork({ inputs: 4, hidden: 3, outputs: 5, seed: 2, precision: "f64" });
const X = Matrix.from([[0.1, 0.9], [0.5, 0], [0.3, 0.3], [1, 0.2]], "f64");
const Y = oneHot([4, 1], 5, "f64");
const loss = () => crossEntropyLoss(forwardPropagation(network, X).A2, Y);
const centred = (epsilon: number, restore = true) => () => {
  const b2 = network.b2.data, original = b2[3];
  b2[3] = original + epsilon;
  const plus = loss();
  b2[3] = original - epsilon;
  const minus = loss();
  if (restore) b2[3] = original;
  return (plus - minus) / (2 * epsilon);
};

Deno.test("checkNumericalDerivative: a centred difference, the placeholder, and mistakes", () => {
  assert.equal(checkNumericalDerivative(centred(1e-5), network, X, Y), "correct.");
  assert.equal(checkNumericalDerivative(() => undefined, network, X, Y), NOT_ANSWERED);
  // A one-sided difference with a large step is off in the 3rd digit.
  const oneSided = () => {
    const b2 = network.b2.data, original = b2[3], before = loss();
    b2[3] = original + 0.01;
    const after = loss();
    b2[3] = original;
    return (after - before) / 0.01;
  };
  assert.throws(
    () => checkNumericalDerivative(oneSided, network, X, Y),
    /but the derivative is -?\d\.\d{8}\. Compute \(L\(b \+ ε\) − L\(b − ε\)\) \/ \(2ε\)/,
  );
  const before = network.b2.data[3];
  assert.throws(
    () => checkNumericalDerivative(centred(1e-5, false), network, X, Y),
    /b2 was changed and not restored \(now fixed for you\)/,
  );
  assert.equal(network.b2.data[3], before, "the check put b2 back");
});

/** lib's backpropagation with one gradient replaced, as a learner's mistake. */
function breaking(name: "dW1" | "db1" | "dW2" | "db2", wrong: (g: Matrix) => Matrix): Backward {
  return (net, cache, labels) => {
    const correct = backwardPropagation(net, cache, labels);
    return { ...correct, [name]: wrong(correct[name]) };
  };
}

Deno.test("checkBackward accepts lib's backpropagation and rejects the placeholder", () => {
  assert.equal(checkBackward(backwardPropagation), "correct.");
  assert.equal(checkBackward(() => undefined), NOT_ANSWERED);
});

Deno.test("checkBackward names the wrong gradient and its formula", () => {
  assert.throws(
    () => checkBackward(breaking("dW2", (g) => scale(g, 4))), // the 1/m forgotten (m = 4)
    /^Error: dW2: relative error 6\.00e-1 .* dW2 = \(1\/m\)·dZ2·A1ᵀ/,
  );
  assert.throws(
    () => checkBackward(breaking("db2", (g) => Matrix.zeros(g.rows, 1, "f64"))),
    /db2: relative error 1\.00e\+0 .*one value per output unit/,
  );
  // dZ1 without the ReLU gate: dW1 = (1/m)·(W2ᵀ·dZ2)·Xᵀ.
  const ungated: Backward = (net, cache, labels) => {
    const correct = backwardPropagation(net, cache, labels);
    const dZ2 = cache.A2.data.map((a, i) => a - labels.data[i]);
    const dA1 = Matrix.zeros(net.W1.rows, cache.A2.cols, "f64");
    for (let k = 0; k < dA1.rows; k++) {
      for (let j = 0; j < dA1.cols; j++) {
        let sum = 0;
        for (let i = 0; i < net.W2.rows; i++) sum += net.W2.get(i, k) * dZ2[i * dA1.cols + j];
        dA1.set(k, j, sum);
      }
    }
    const m = cache.A2.cols;
    return {
      ...correct,
      dW1: scale(matmulTransposeB(dA1, cache.X as Matrix), 1 / m),
      db1: scale(sumRows(dA1), 1 / m),
    };
  };
  assert.throws(() => checkBackward(ungated), /dW1: relative error .*reluDerivative\(Z1\)/);
  assert.throws(
    () => checkBackward(breaking("db1", (g) => Matrix.zeros(1, g.rows, "f64"))),
    /db1 has shape \[1,5\], but b1 is \[5,1\]: every gradient has the shape of its parameter/,
  );
});
