/**
 * Weight decay (L2 regularisation): pull every weight towards 0 a little at each step, so that
 * the network prefers many small weights to a few large ones.
 *
 * Decoupled (Loshchilov & Hutter 2019, "SGDW"/"AdamW"): before the optimizer's own step,
 * W ← W − η·λ·W, for the weights W1 and W2 only (biases shift a unit's threshold and are not
 * decayed). For plain SGD this is the same as adding (λ/2)·‖W‖² to the loss (its gradient λ·W
 * joins dW); with momentum or Adam the coupled form would feed λ·W through the velocity or be
 * divided by Adam's √v̂, so its strength would depend on the optimizer. Decoupled, λ means the
 * same for every optimizer, and it wraps any of them without touching their rules.
 *
 * @module
 */

import type { Optimizer } from "./optimizers.ts";

/** The parameters weight decay pulls towards 0. */
export const DECAYED = ["W1", "W2"] as const;

/**
 * `optimizer` with decoupled weight decay λ: each step first scales W1 and W2 by (1 − η·λ).
 * The result has no `velocity`, so the fast kernels call its `step` (their fused momentum
 * knows no decay).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "./network.ts";
 * import { gradientDescent } from "./optimizers.ts";
 *
 * const network = initNetwork({ inputs: 2, hidden: 3, outputs: 2, seed: 1 });
 * network.b1.data[0] = 1;
 * const w = network.W1.data[0];
 * const optimizer = withWeightDecay(gradientDescent({ learningRate: 0.1 }), 0.5);
 * const zero = (n: number) => ({ data: new Float32Array(n) }); // no gradient: only the decay
 * optimizer.step(network, { dW1: zero(6), db1: zero(3), dW2: zero(6), db2: zero(2) });
 * assert.ok(Math.abs(network.W1.data[0] - w * (1 - 0.1 * 0.5)) < 1e-7); // W ← W·(1 − η·λ)
 * assert.equal(network.b1.data[0], 1); // biases are not decayed
 * ```
 */
export function withWeightDecay(optimizer: Optimizer, lambda: number): Optimizer {
  if (!(lambda >= 0)) throw new RangeError(`weight decay must be at least 0, got ${lambda}`);
  return {
    name: optimizer.name,
    get learningRate() {
      return optimizer.learningRate;
    },
    set learningRate(rate: number) {
      optimizer.learningRate = rate;
    },
    step(network, gradients) {
      const shrink = 1 - optimizer.learningRate * lambda;
      for (const name of DECAYED) {
        // The MLP's weight matrices; a model without them (a CNN) is not decayed here.
        const W = (network as Record<string, { data?: Float32Array | Float64Array }>)[name]?.data;
        if (W === undefined) continue;
        for (let i = 0; i < W.length; i++) W[i] *= shrink;
      }
      optimizer.step(network, gradients);
    },
  };
}
