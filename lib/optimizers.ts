/**
 * Optimizers: how a gradient becomes a step. Each one updates the network's parameters in place.
 *
 * - Gradient descent: θ ← θ − η·dθ. With the whole training set as one batch this is the
 *   original NumPy script's "full-batch gradient descent"; with small random batches it is
 *   stochastic gradient descent (SGD). The update rule is the same: only the batch differs.
 * - Momentum: v ← β·v + dθ, θ ← θ − η·v. The velocity v averages recent gradients, so steps
 *   build up along directions that agree and cancel along ones that oscillate.
 * - Adam: per-parameter step sizes from running averages of the gradient (m) and of its square
 *   (v), with bias correction for their zero start: θ ← θ − η·m̂ / (√v̂ + ε).
 *
 * @module
 */

import type { Gradients } from "./backprop.ts";
import type { Storage } from "./matrix.ts";
import { type Network, PARAMETER_NAMES, type ParameterName } from "./network.ts";

/** The optimizers the CLI offers. "gd" and "sgd" share an update rule (see the module doc). */
export type OptimizerName = "gd" | "sgd" | "momentum" | "adam";

/** Updates a network's parameters from their gradients. */
export interface Optimizer {
  readonly name: OptimizerName;
  /** The step size η; a schedule may change it between steps. */
  learningRate: number;
  /** One update of every parameter, in place. */
  step(network: Network, gradients: Gradients): void;
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

/** Calls `update(parameter, gradient, name)` for W1, b1, W2, b2. */
function forEachParameter(
  network: Network,
  gradients: Gradients,
  update: (parameter: Storage, gradient: Storage, name: ParameterName) => void,
): void {
  for (const name of PARAMETER_NAMES) {
    update(network[name].data, gradients[`d${name}`].data, name);
  }
}

/** State (velocity, moments) with one zero array per parameter, created on first use. */
function perParameterState(): (name: ParameterName, size: number) => Float64Array {
  const state = new Map<ParameterName, Float64Array>();
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
  velocity(name: ParameterName, size: number): Float64Array;
}

/**
 * Momentum: v ← β·v + dθ, θ ← θ − η·v (the form PyTorch uses).
 *
 * @example
 * ```ts
 * const optimizer = momentum({ learningRate: 0.1, momentum: 0.9 });
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
 * Adam (Kingma & Ba, 2015): m ← β1·m + (1−β1)·dθ, v ← β2·v + (1−β2)·dθ², then
 * θ ← θ − η·m̂ / (√v̂ + ε) with m̂ = m / (1 − β1ᵗ) and v̂ = v / (1 − β2ᵗ) at step t.
 *
 * @example
 * ```ts
 * const optimizer = adam({ learningRate: 0.001 });
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
        const m = firstMoment(name, theta.length), v = secondMoment(name, theta.length);
        for (let i = 0; i < theta.length; i++) {
          const g = dTheta[i];
          m[i] = beta1 * m[i] + (1 - beta1) * g;
          v[i] = beta2 * v[i] + (1 - beta2) * g * g;
          theta[i] -= eta * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + epsilon);
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
 * createOptimizer("adam", { learningRate: 0.001 }).name; // "adam"
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
