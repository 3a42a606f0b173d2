/**
 * Notebook 4's checks accept a right answer, say "not answered yet" to the placeholder and reject
 * plausible wrong answers with a message that says where to look.
 */

import assert from "node:assert/strict";
import { activate } from "../lib/activations.ts";
import { Matrix } from "../lib/matrix.ts";
import { linear, type Network } from "../lib/network.ts";
import { softmax } from "../lib/softmax.ts";
import {
  checkForwardPass,
  checkGapFor99,
  checkStableSoftmax,
} from "../notebooks/checks/04_softmax.ts";

Deno.test("checkStableSoftmax accepts the max-subtracted softmax and rejects the naive one", () => {
  const exps = (z: number[], shift: number) => z.map((v) => Math.exp(v - shift));
  const normalised = (e: number[]) => e.map((v) => v / e.reduce((s, x) => s + x, 0));
  assert.equal(checkStableSoftmax(() => []), "not answered yet");
  assert.equal(checkStableSoftmax((z) => normalised(exps(z, Math.max(...z)))), "correct.");
  assert.throws(
    () => checkStableSoftmax((z) => normalised(exps(z, 0))),
    /stableSoftmax\(\[1000,999,998.1\]\) returned \[NaN,NaN,NaN\].*subtract Math\.max/,
  );
  assert.throws(() => checkStableSoftmax((z) => exps(z, Math.max(...z))), /divide each/);
});

Deno.test("checkForwardPass accepts the four steps and names a missing one", () => {
  const steps =
    (options: { activation?: boolean; relu?: boolean; softmax?: boolean }) =>
    (network: Network, X: Matrix) => {
      const Z1 = linear(network.W1, X, network.b1);
      const A1 = options.activation === false
        ? Z1
        : activate(Z1, options.relu ? "relu" : network.activation);
      const Z2 = linear(network.W2, A1, network.b2);
      return options.softmax === false ? Z2 : softmax(Z2);
    };
  assert.equal(checkForwardPass(() => new Matrix(0, 0)), "not answered yet");
  assert.equal(checkForwardPass(steps({})), "correct.");
  assert.throws(() => checkForwardPass(steps({ softmax: false })), /logits Z2: apply softmax/);
  assert.throws(() => checkForwardPass(steps({ activation: false })), /activation is missing/);
  assert.throws(
    () => checkForwardPass(steps({ relu: true })),
    /sigmoid network .* this network's activation is "sigmoid"/,
  );
  assert.throws(() => checkForwardPass((_, X) => X), /returned a 784 × 6 matrix that is not A2/);
});

Deno.test("checkGapFor99 accepts ln 99 and a hand 4.6, rejects 0.99 and ln 0.99", () => {
  assert.equal(checkGapFor99(undefined), "not answered yet");
  assert.equal(checkGapFor99(Math.log(99)), "correct.");
  assert.equal(checkGapFor99(4.6), "correct.");
  assert.throws(() => checkGapFor99(0.99), /e\^\(−d\) = 1\/99/);
  assert.throws(() => checkGapFor99(Math.log(0.99)), /not 0\.99/);
});
