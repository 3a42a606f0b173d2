/**
 * Optimizers: how a gradient becomes a step. Each one updates a model's parameters in place.
 *
 * - Gradient descent: θ ← θ − η·dθ. With the whole training set as one batch this is the
 *   original NumPy script's "full-batch gradient descent"; with small random batches it is
 *   stochastic gradient descent (SGD). The update rule is the same: only the batch differs.
 * - Momentum: v ← β·v + dθ, θ ← θ − η·v. The velocity v is an exponentially weighted SUM of
 *   recent gradients (not an average: for a constant gradient it tends to dθ/(1−β), 10·dθ at
 *   β = 0.9), so the effective step is η/(1−β); steps build up along directions where the
 *   gradients agree and cancel along ones that oscillate.
 * - Adam: per-parameter step sizes from running averages of the gradient (u) and of its square
 *   (s), with bias correction for their zero start: θ ← θ − η·û / (√ŝ + ε). (Not the papers'
 *   m and v: m is the batch size here, v momentum's velocity.)
 *
 * @module
 */

import type { Storage } from "./matrix.ts";

/** The optimizers the CLI offers. "gd" and "sgd" share an update rule (see the module doc). */
export type OptimizerName = "gd" | "sgd" | "momentum" | "adam";

/**
 * The gradients of a model's parameters, each named "d" + the parameter's name: for a Network
 * (W1, b1, W2, b2) they are dW1, db1, dW2, db2, lib/backprop.ts's Gradients. A parameter is any
 * field holding its values in `data` (a Matrix, a Tensor); other fields (a Network's activation)
 * are not parameters.
 */
export type GradientsOf<Model> = {
  [Name in keyof Model as Model[Name] extends { data: Storage } ? `d${Name & string}` : never]: {
    data: Storage;
  };
};

/** Updates a model's parameters from their gradients. */
export interface Optimizer {
  readonly name: OptimizerName;
  /** The step size η; a schedule may change it between steps. */
  learningRate: number;
  /**
   * One update of every parameter of `network` (an MLP's Network, a CNN's ConvNet), in place.
   * Give the same optimizer one network only: its state is kept by parameter name.
   */
  step<Model extends object>(network: Model, gradients: GradientsOf<Model>): void;
}

/** Optimizer settings; the defaults are the usual ones from the papers. */
export interface OptimizerOptions {
  learningRate: number;
  /** Momentum's β (default 0.9). */
  momentum?: number;
  /** Adam's β1, β2 and ε (defaults 0.9, 0.999, 1e-8). */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Calls `update(parameter, gradient, name)` for each parameter of `model` (W1, b1, W2, b2). */
function forEachParameter(
  model: object,
  gradients: object,
  update: (parameter: Storage, gradient: Storage, name: string) => void,
): void {
  const dataOf = (value: unknown): Storage | undefined => {
    const data = (value as { data?: unknown } | null)?.data;
    return data instanceof Float32Array || data instanceof Float64Array ? data : undefined;
  };
  for (const [name, value] of Object.entries(model)) {
    const theta = dataOf(value);
    if (theta === undefined) continue;
    const dTheta = dataOf((gradients as Record<string, unknown>)[`d${name}`]);
    if (dTheta === undefined || dTheta.length !== theta.length) {
      throw new RangeError(`no gradient d${name} of ${theta.length} values for parameter ${name}`);
    }
    update(theta, dTheta, name);
  }
}

/** State (velocity, moments) with one zero array per parameter, created on first use. */
function perParameterState(): (name: string, size: number) => Float64Array {
  const state = new Map<string, Float64Array>();
  return (name, size) => {
    let array = state.get(name);
    if (!array) state.set(name, array = new Float64Array(size));
    return array;
  };
}

/**
 * Plain gradient descent θ ← θ − η·dθ, for "gd" (full batch) and "sgd" (mini-batches).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backwardPropagation } from "./backprop.ts";
 * import { oneHot } from "./loss.ts";
 * import { Matrix } from "./matrix.ts";
 * import { forwardPropagation, initNetwork } from "./network.ts";
 *
 * const network = initNetwork({ inputs: 2, hidden: 3, outputs: 2, seed: 1 });
 * const X = Matrix.from([[1], [0]]), Y = oneHot([1], 2);
 * const before = network.b2.get(1, 0);
 * const optimizer = gradientDescent({ learningRate: 0.1 });
 * optimizer.step(network, backwardPropagation(network, forwardPropagation(network, X), Y));
 * assert.ok(network.b2.get(1, 0) > before); // the right class's bias goes up
 * ```
 */
export function gradientDescent(options: OptimizerOptions, name: "gd" | "sgd" = "sgd"): Optimizer {
  return {
    name,
    learningRate: options.learningRate,
    step(network, gradients) {
      const eta = this.learningRate;
      forEachParameter(network, gradients, (theta, dTheta) => {
        for (let i = 0; i < theta.length; i++) theta[i] -= eta * dTheta[i];
      });
    },
  };
}

/**
 * Momentum's optimizer, with its β and velocity in sight: lib/kernels/fused_momentum.ts runs the
 * same update inside its kernels and hands the velocity back after each epoch.
 */
export interface MomentumOptimizer extends Optimizer {
  readonly name: "momentum";
  readonly beta: number;
  /** The velocity v of parameter `name` (`size` zeros before the first step). */
  velocity(name: string, size: number): Float64Array;
}

/**
 * Momentum: v ← β·v + dθ, θ ← θ − η·v (the form PyTorch uses).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * import { Matrix } from "./matrix.ts";
 *
 * const model = { w: Matrix.from([[1]], "f64") }, gradients = { dw: Matrix.from([[1]], "f64") };
 * const optimizer = momentum({ learningRate: 0.1, momentum: 0.9 });
 * optimizer.step(model, gradients); // v = 1, w = 1 − 0.1·1
 * optimizer.step(model, gradients); // v = 0.9·1 + 1 = 1.9, w = 0.9 − 0.1·1.9
 * assert.ok(Math.abs(model.w.get(0, 0) - 0.71) < 1e-12);
 * ```
 */
export function momentum(options: OptimizerOptions): MomentumOptimizer {
  const beta = options.momentum ?? 0.9;
  const velocity = perParameterState();
  return {
    name: "momentum",
    beta,
    velocity,
    learningRate: options.learningRate,
    step(network, gradients) {
      const eta = this.learningRate;
      forEachParameter(network, gradients, (theta, dTheta, name) => {
        const v = velocity(name, theta.length);
        for (let i = 0; i < theta.length; i++) {
          v[i] = beta * v[i] + dTheta[i];
          theta[i] -= eta * v[i];
        }
      });
    },
  };
}

/**
 * Adam (Kingma & Ba, 2015, who write m and v for u and s): u ← β1·u + (1−β1)·dθ,
 * s ← β2·s + (1−β2)·dθ², then θ ← θ − η·û / (√ŝ + ε) with û = u / (1 − β1ᵗ) and
 * ŝ = s / (1 − β2ᵗ) at step t.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * import { Matrix } from "./matrix.ts";
 *
 * const model = { w: Matrix.from([[1]], "f64") }, gradients = { dw: Matrix.from([[4]], "f64") };
 * adam({ learningRate: 0.001 }).step(model, gradients);
 * // Step 1: û = 4 and ŝ = 4², so w moves by η·4 / (√(4²) + ε) ≈ η, whatever the gradient's size.
 * assert.ok(Math.abs(model.w.get(0, 0) - 0.999) < 1e-9);
 * ```
 */
export function adam(options: OptimizerOptions): Optimizer {
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
  const firstMoment = perParameterState(), secondMoment = perParameterState();
  let t = 0;
  return {
    name: "adam",
    learningRate: options.learningRate,
    step(network, gradients) {
      t++;
      const eta = this.learningRate;
      const correction1 = 1 - beta1 ** t, correction2 = 1 - beta2 ** t;
      forEachParameter(network, gradients, (theta, dTheta, name) => {
        const u = firstMoment(name, theta.length), s = secondMoment(name, theta.length);
        for (let i = 0; i < theta.length; i++) {
          const g = dTheta[i];
          u[i] = beta1 * u[i] + (1 - beta1) * g;
          s[i] = beta2 * s[i] + (1 - beta2) * g * g;
          theta[i] -= eta * (u[i] / correction1) / (Math.sqrt(s[i] / correction2) + epsilon);
        }
      });
    },
  };
}

/**
 * The optimizer called `name`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(createOptimizer("adam", { learningRate: 0.001 }).name, "adam");
 * ```
 */
export function createOptimizer(name: OptimizerName, options: OptimizerOptions): Optimizer {
  switch (name) {
    case "gd":
    case "sgd":
      return gradientDescent(options, name);
    case "momentum":
      return momentum(options);
    case "adam":
      return adam(options);
  }
}
