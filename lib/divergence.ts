/**
 * Telling a run that diverged from one that is learning slowly.
 *
 * A NaN loss is the obvious sign, but with a large learning rate (1e3 and up) training often
 * never produces one: the clamped cross-entropy −ln(max(p, 1e-12)) stops at 27.6, the weights
 * grow to 1e10–1e21, and the network sits at chance while every number stays finite. So after
 * each epoch `train()` also looks at the weights and at the loss:
 *
 * - **Exploding weights**: any |parameter| above {@linkcode MAX_HEALTHY_WEIGHT} (or not
 *   finite). He initialisation draws W1 with a standard deviation of √(2/784) ≈ 0.05, and the
 *   trained networks of this course stay below 10; a weight of 10⁴ times a pixel of 1 already
 *   gives logits whose softmax is exactly 0 or 1 in float32.
 * - **A loss stuck at the clamp**: an epoch's mean loss of at least half the clamp value,
 *   −½ ln(1e-12) ≈ 13.8 (at least half the images are given a probability near 1e-12 for their
 *   true digit; a uniform guess scores ln 10 ≈ 2.3 and the original script's uniform start about
 *   10), that fell by less than a tenth since the epoch before (a bad start that is being
 *   repaired falls much faster).
 *
 * @module
 */

import { LOG_EPSILON } from "./loss.ts";

/** The largest |parameter| a healthy network of this course has, with a wide margin. */
export const MAX_HEALTHY_WEIGHT = 1e4;

/** Half the clamped loss −ln(1e-12): an epoch at or above this is as bad as chance or worse. */
export const STUCK_LOSS = -0.5 * Math.log(LOG_EPSILON);

/**
 * The reason a run has diverged, as the end of a sentence ("the weights exploded: ..."), or
 * undefined if it has not. `model` is a Network, or any model whose parameters are fields with
 * a `shape` and `data` (a CNN's kernels and matrices). `loss` is this epoch's mean training
 * loss, `previousLoss` the epoch before's (undefined after the first).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * import { initNetwork } from "./network.ts";
 *
 * const network = initNetwork({ hidden: 4, seed: 1 });
 * assert.equal(divergence(network, 2.1, 2.3), undefined); // learning
 * network.W2.data[0] = 3e12;
 * assert.match(divergence(network, 24.9, 24.8)!, /^the weights exploded: \|W2\[0, 0\]\| is 3\.0e\+12/);
 * ```
 */
export function divergence(
  model: object,
  loss: number,
  previousLoss?: number,
): string | undefined {
  for (const [name, parameter] of Object.entries(model)) {
    const { data, shape } = (parameter ?? {}) as { data?: unknown; shape?: readonly number[] };
    if (!(data instanceof Float32Array || data instanceof Float64Array) || !shape) continue;
    const index = data.findIndex((value) => !(Math.abs(value) <= MAX_HEALTHY_WEIGHT));
    if (index !== -1) {
      const value = Math.abs(data[index]);
      return `the weights exploded: |${name}[${unravel(index, shape).join(", ")}]| is ` +
        `${Number.isNaN(value) ? "NaN" : value < 1e6 ? value.toFixed(0) : value.toPrecision(2)} ` +
        `(a healthy network stays below ` +
        `${MAX_HEALTHY_WEIGHT})`;
    }
  }
  if (loss >= STUCK_LOSS && previousLoss !== undefined && loss > 0.9 * previousLoss) {
    return `the loss is stuck at ${loss.toFixed(1)} (a uniform guess scores ${
      Math.log(10).toFixed(2)
    }): the network gives most images almost no probability for their digit`;
  }
  return undefined;
}

/** The index of each dimension of the element at row-major `offset` in a `shape` array. */
function unravel(offset: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = offset % shape[d];
    offset = Math.floor(offset / shape[d]);
  }
  return index;
}
