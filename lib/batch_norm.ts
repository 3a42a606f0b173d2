/**
 * Batch normalisation (Ioffe & Szegedy, 2015): normalise each unit's pre-activations over the
 * batch, then let the network rescale them. For the pre-activations X of one layer (u units × m
 * samples, one sample per column) and each unit i:
 *
 *   μᵢ = (1/m)·Σⱼ Xᵢⱼ                 σᵢ² = (1/m)·Σⱼ (Xᵢⱼ − μᵢ)²
 *   X̂ᵢⱼ = (Xᵢⱼ − μᵢ) / √(σᵢ² + ε)     outᵢⱼ = γᵢ·X̂ᵢⱼ + βᵢ
 *
 * Every row of X̂ has mean 0 and variance 1 (up to ε) whatever the weights before it, so the
 * scale of a layer's input no longer depends on how the earlier layers were initialised. γ and β
 * (u × 1) are learned like weights. At evaluation there may be a single image, so the batch's μ
 * and σ² are replaced by running averages collected during training.
 *
 * Backward, with dout = ∂L/∂out (u × m) and everything per unit i:
 *
 *   dβᵢ = Σⱼ doutᵢⱼ     dγᵢ = Σⱼ doutᵢⱼ·X̂ᵢⱼ     dX̂ = γ·dout
 *   dXᵢⱼ = (1/m)·(1/√(σᵢ² + ε))·(m·dX̂ᵢⱼ − Σₖ dX̂ᵢₖ − X̂ᵢⱼ·Σₖ dX̂ᵢₖ·X̂ᵢₖ)
 *
 * The two subtracted sums are the paths through μ and σ²: nudging one Xᵢⱼ moves the whole row's
 * mean and variance. They make each row of dX sum to 0 (adding a constant to a row of X changes
 * nothing after normalisation).
 *
 * @module
 */

import { Matrix } from "./matrix.ts";

/** One layer's batch normalisation: its parameters γ, β and its running statistics. */
export interface BatchNorm {
  /** Scale γ (u × 1), starts at 1. */
  gamma: Matrix;
  /** Shift β (u × 1), starts at 0. */
  beta: Matrix;
  /** Running mean of μ over the training batches (u values), starts at 0; used at evaluation. */
  runningMean: Float64Array;
  /** Running σ² (unbiased, as PyTorch keeps it), starts at 1; used at evaluation. */
  runningVariance: Float64Array;
  /** Weight of the old running value at each training batch (default 0.9). */
  momentum: number;
  /** ε in √(σ² + ε) (default 1e-5): no division by 0 for a unit that is constant over a batch. */
  epsilon: number;
}

/** Options for {@linkcode initBatchNorm}. */
export interface BatchNormOptions {
  momentum?: number;
  epsilon?: number;
  /** Float32 (default) or Float64 for γ and β (Float64 for gradient checks). */
  precision?: "f32" | "f64";
}

/**
 * Batch normalisation for `units` units: γ = 1, β = 0, running mean 0 and variance 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const bn = initBatchNorm(3);
 * assert.deepEqual([bn.gamma.shape, Array.from(bn.gamma.data)], [[3, 1], [1, 1, 1]]);
 * assert.deepEqual(Array.from(bn.runningVariance), [1, 1, 1]);
 * ```
 */
export function initBatchNorm(units: number, options: BatchNormOptions = {}): BatchNorm {
  const { momentum = 0.9, epsilon = 1e-5, precision = "f32" } = options;
  const gamma = Matrix.zeros(units, 1, precision);
  gamma.data.fill(1);
  return {
    gamma,
    beta: Matrix.zeros(units, 1, precision),
    runningMean: new Float64Array(units),
    runningVariance: new Float64Array(units).fill(1),
    momentum,
    epsilon,
  };
}

/** What the training forward pass keeps for {@linkcode batchNormBackward}. */
export interface BatchNormCache {
  /** The normalised input X̂ (u × m). */
  Xhat: Matrix;
  /** 1/√(σᵢ² + ε) per unit. */
  inverseStd: Float64Array;
  /** γ as it was in the forward pass. */
  gamma: Matrix;
}

/** The result of {@linkcode batchNormForward}: `out` = γ·X̂ + β, and the cache when training. */
export interface BatchNormOutput {
  out: Matrix;
  cache?: BatchNormCache;
}

/**
 * Batch normalisation of X (u × m). `mode: "train"` (the default) normalises with the batch's μ
 * and σ², updates the running statistics and returns the cache for the backward pass;
 * `mode: "eval"` normalises with the running statistics and changes nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * const bn = initBatchNorm(1, { epsilon: 0 });
 * // One unit, three samples: μ = 2, σ² = 2/3, so X̂ = (X − 2)/√(2/3) = [−1.22, 0, 1.22].
 * const { out } = batchNormForward(bn, Matrix.from([[1, 2, 3]], "f64"));
 * assert.ok(Math.abs(out.get(0, 2) - Math.sqrt(3 / 2)) < 1e-12);
 * // Running statistics: 0.9·0 + 0.1·2 and 0.9·1 + 0.1·1 (unbiased variance of 1, 2, 3 is 1).
 * assert.ok(Math.abs(bn.runningMean[0] - 0.2) < 1e-12);
 * assert.ok(Math.abs(bn.runningVariance[0] - 1) < 1e-12);
 * // At evaluation the running mean 0.2 and variance 1 are used, whatever the batch.
 * const evaluated = batchNormForward(bn, Matrix.from([[0.2, 1.2]], "f64"), { mode: "eval" });
 * assert.deepEqual(Array.from(evaluated.out.data).map((v) => +v.toFixed(12)), [0, 1]);
 * ```
 */
export function batchNormForward(
  bn: BatchNorm,
  X: Matrix,
  options: { mode?: "train" | "eval" } = {},
): BatchNormOutput {
  const { mode = "train" } = options;
  const units = X.rows, m = X.cols;
  if (units !== bn.gamma.rows) {
    throw new RangeError(`batchNormForward: X has ${units} rows, γ has ${bn.gamma.rows}`);
  }
  if (mode === "train" && m < 2) {
    throw new RangeError(`batchNormForward: training needs a batch of at least 2, got ${m}`);
  }
  const precision = X.data instanceof Float64Array ? "f64" : "f32";
  const Xhat = Matrix.zeros(units, m, precision);
  const out = Matrix.zeros(units, m, precision);
  const inverseStd = new Float64Array(units);
  for (let i = 0; i < units; i++) {
    const row = X.data.subarray(i * m, (i + 1) * m);
    let mean: number, variance: number;
    if (mode === "train") {
      mean = 0;
      for (let j = 0; j < m; j++) mean += row[j];
      mean /= m;
      variance = 0;
      for (let j = 0; j < m; j++) variance += (row[j] - mean) ** 2;
      variance /= m;
      bn.runningMean[i] = bn.momentum * bn.runningMean[i] + (1 - bn.momentum) * mean;
      bn.runningVariance[i] = bn.momentum * bn.runningVariance[i] +
        (1 - bn.momentum) * variance * m / (m - 1);
    } else {
      mean = bn.runningMean[i];
      variance = bn.runningVariance[i];
    }
    inverseStd[i] = 1 / Math.sqrt(variance + bn.epsilon);
    const gamma = bn.gamma.data[i], beta = bn.beta.data[i];
    for (let j = 0; j < m; j++) {
      const xhat = (row[j] - mean) * inverseStd[i];
      Xhat.data[i * m + j] = xhat;
      out.data[i * m + j] = gamma * xhat + beta;
    }
  }
  if (mode === "eval") return { out };
  return { out, cache: { Xhat, inverseStd, gamma: bn.gamma.clone() } };
}

/** The gradients {@linkcode batchNormBackward} returns, named for the optimizers. */
export interface BatchNormGradients {
  /** ∂L/∂X (u × m): passed on to the layer before. */
  dX: Matrix;
  /** ∂L/∂γ (u × 1). */
  dgamma: Matrix;
  /** ∂L/∂β (u × 1). */
  dbeta: Matrix;
}

/**
 * Backpropagation through a training-mode {@linkcode batchNormForward}: from dout = ∂L/∂out
 * (u × m) to dX, dγ and dβ (the formulas are in the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Matrix } from "./matrix.ts";
 *
 * const bn = initBatchNorm(1, { precision: "f64" });
 * const { cache } = batchNormForward(bn, Matrix.from([[1, 2, 4]], "f64"));
 * const { dX, dgamma, dbeta } = batchNormBackward(cache!, Matrix.from([[1, 0, 0]], "f64"));
 * assert.equal(dbeta.get(0, 0), 1); // Σ dout
 * assert.equal(dgamma.get(0, 0), cache!.Xhat.get(0, 0)); // Σ dout·X̂
 * const rowSum = Array.from(dX.data).reduce((sum, v) => sum + v, 0);
 * assert.ok(Math.abs(rowSum) < 1e-12); // shifting a whole row changes nothing
 * ```
 */
export function batchNormBackward(cache: BatchNormCache, dout: Matrix): BatchNormGradients {
  const { Xhat, inverseStd, gamma } = cache;
  const units = Xhat.rows, m = Xhat.cols;
  if (dout.rows !== units || dout.cols !== m) {
    throw new RangeError(
      `batchNormBackward: dout is ${dout.rows}×${dout.cols}, the forward batch was ${units}×${m}`,
    );
  }
  const precision = Xhat.data instanceof Float64Array ? "f64" : "f32";
  const dX = Matrix.zeros(units, m, precision);
  const dgamma = Matrix.zeros(units, 1, precision);
  const dbeta = Matrix.zeros(units, 1, precision);
  for (let i = 0; i < units; i++) {
    let sumDout = 0, sumDoutXhat = 0;
    for (let j = 0; j < m; j++) {
      sumDout += dout.data[i * m + j];
      sumDoutXhat += dout.data[i * m + j] * Xhat.data[i * m + j];
    }
    dbeta.data[i] = sumDout;
    dgamma.data[i] = sumDoutXhat;
    // dX̂ = γ·dout, so Σ dX̂ = γ·Σ dout and Σ dX̂·X̂ = γ·Σ dout·X̂.
    const g = gamma.data[i];
    for (let j = 0; j < m; j++) {
      const dXhat = g * dout.data[i * m + j];
      dX.data[i * m + j] = inverseStd[i] / m *
        (m * dXhat - g * sumDout - Xhat.data[i * m + j] * g * sumDoutXhat);
    }
  }
  return { dX, dgamma, dbeta };
}
