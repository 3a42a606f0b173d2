/**
 * Activation functions g(Z), applied element-wise between layers, and their derivatives g′(Z)
 * that backpropagation multiplies into the gradient: dZ1 = dA1 ∘ g′(Z1).
 *
 * Without a non-linear g the network would be one linear map however many layers it has.
 *
 * @module
 */

import { type Matrix, zerosLike } from "./matrix.ts";

/** The hidden-layer activations this course builds. */
export type Activation = "relu" | "sigmoid";

function map(Z: Matrix, f: (z: number) => number): Matrix {
  const A = zerosLike(Z);
  for (let i = 0; i < Z.data.length; i++) A.data[i] = f(Z.data[i]);
  return A;
}

/**
 * ReLU(z) = max(0, z).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * assert.deepEqual(relu(Matrix.from([[-2, 0, 3]])).toArray(), [[0, 0, 3]]);
 * ```
 */
export function relu(Z: Matrix): Matrix {
  return map(Z, (z) => z > 0 ? z : 0);
}

/**
 * ReLU′(z) = 1 for z > 0, else 0 (we pick 0 at the kink z = 0, as PyTorch does). A unit whose
 * input is negative for every sample gets no gradient at all: a "dead" unit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * assert.deepEqual(reluDerivative(Matrix.from([[-2, 0, 3]])).toArray(), [[0, 0, 1]]);
 * ```
 */
export function reluDerivative(Z: Matrix): Matrix {
  return map(Z, (z) => z > 0 ? 1 : 0);
}

/**
 * σ(z) = 1 / (1 + e^(−z)), computed so that it never overflows: for z < 0 we use the equal form
 * e^z / (1 + e^z), since e^(−z) would overflow to Infinity for z < −709 (Float64) and the
 * naive formula's intermediate e^(−z) already loses everything long before.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * assert.deepEqual(sigmoid(Matrix.from([[0, -1000, 1000]])).toArray(), [[0.5, 0, 1]]);
 * ```
 */
export function sigmoid(Z: Matrix): Matrix {
  return map(Z, sigmoidOf);
}

/** σ(z) for one number; see {@linkcode sigmoid}. */
export function sigmoidOf(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * σ′(z) = σ(z)·(1 − σ(z)). At most 0.25 (at z = 0) and nearly 0 for |z| > 10: a saturated
 * sigmoid passes almost no gradient back, which is why deep sigmoid nets learn slowly.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * assert.deepEqual(sigmoidDerivative(Matrix.from([[0]])).toArray(), [[0.25]]);
 * ```
 */
export function sigmoidDerivative(Z: Matrix): Matrix {
  return map(Z, (z) => {
    const s = sigmoidOf(z);
    return s * (1 - s);
  });
}

/**
 * g(Z) for the named activation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * assert.deepEqual(activate(Matrix.from([[-1, 1]]), "relu").toArray(), [[0, 1]]);
 * ```
 */
export function activate(Z: Matrix, activation: Activation): Matrix {
  return activation === "relu" ? relu(Z) : sigmoid(Z);
}

/**
 * g′(Z) for the named activation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * assert.deepEqual(activationDerivative(Matrix.from([[-1, 1]]), "relu").toArray(), [[0, 1]]);
 * ```
 */
export function activationDerivative(Z: Matrix, activation: Activation): Matrix {
  return activation === "relu" ? reluDerivative(Z) : sigmoidDerivative(Z);
}
