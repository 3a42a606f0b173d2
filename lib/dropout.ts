/**
 * Inverted dropout (Srivastava et al. 2014): during training each hidden unit is switched off
 * for one batch with probability p, and the units that stay are scaled by 1/(1 − p). No unit
 * can rely on a particular other one being there, and since E[D] = 1 the expected activation
 * is the one evaluation sees, where nothing is dropped and nothing is scaled ("inverted": the
 * scaling happens in training so that evaluation is the plain forward pass).
 *
 *   A1 = g(Z1) ∘ D1,   D1[i, j] = 0 with probability p, else 1/(1 − p)     (h×m)
 *   dZ1 = (W2ᵀ·dZ2) ∘ D1 ∘ g′(Z1)
 *
 * @module
 */

import { Matrix } from "./matrix.ts";
import type { Random } from "./random.ts";

/**
 * A rows×cols dropout mask D for rate p in [0, 1): each entry 0 with probability p, else
 * 1/(1 − p), drawn from `random`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 * import { forwardPropagation, initNetwork } from "./network.ts";
 * import { Random } from "./random.ts";
 *
 * const D1 = dropoutMask(0.5, 128, 64, new Random(1));
 * assert.ok(D1.data.every((d) => d === 0 || d === 2)); // dropped, or kept and scaled by 1/(1 − 0.5)
 * assert.ok(dropoutMask(0, 128, 64, new Random(1)).data.every((d) => d === 1)); // rate 0 keeps all
 * const { A1 } = forwardPropagation(initNetwork({ seed: 1 }), Matrix.zeros(784, 64), D1);
 * assert.ok(A1.data.some((a, i) => D1.data[i] === 0 && a === 0)); // dropped units output 0
 * ```
 */
export function dropoutMask(
  rate: number,
  rows: number,
  cols: number,
  random: Random,
  precision: "f32" | "f64" = "f32",
): Matrix {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  const D = Matrix.zeros(rows, cols, precision);
  const kept = 1 / (1 - rate);
  for (let i = 0; i < D.data.length; i++) D.data[i] = random.uniform() < rate ? 0 : kept;
  return D;
}
