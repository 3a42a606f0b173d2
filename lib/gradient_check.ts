/**
 * Checking backpropagation against the definition of a derivative. For every parameter θ,
 *
 *   ∂L/∂θ ≈ (L(θ + ε) − L(θ − ε)) / 2ε
 *
 * (centred differences: the error shrinks like ε², against ε for the one-sided formula). All of
 * it runs in Float64: in Float32 the rounding error of L, about 1e-7·L, divided by 2ε would
 * swamp the comparison.
 *
 * @module
 */

import { backwardPropagation, type Gradients } from "./backprop.ts";
import { crossEntropyLoss } from "./loss.ts";
import type { Matrix, Storage } from "./matrix.ts";
import { forwardPropagation, type Network, PARAMETER_NAMES } from "./network.ts";

/** How far backpropagation's gradient is from the numerical one, for one parameter. */
export interface GradientCheckResult {
  parameter: string;
  /** ‖analytic − numerical‖ / (‖analytic‖ + ‖numerical‖): scale-free, 0 when they agree exactly. */
  relativeError: number;
  /** Largest absolute difference of one element. */
  maxAbsoluteError: number;
}

/** Options for {@linkcode gradientCheck}. */
export interface GradientCheckOptions {
  /** The step of the centred difference (default 1e-5). */
  epsilon?: number;
  /** The backpropagation to check (default: the library's); pass your own to test it. */
  backward?: typeof backwardPropagation;
  /** A fixed dropout mask D1 (h×m) for every forward pass (lib/dropout.ts). */
  D1?: Matrix;
}

/**
 * Compares {@linkcode backwardPropagation} with centred differences of the loss for every
 * element of every parameter. `network`, X and Y should be Float64 and small (the check costs
 * two forward passes per parameter element).
 *
 * @example
 * ```ts
 * const network = initNetwork({ inputs: 6, hidden: 5, outputs: 3, seed: 1, precision: "f64" });
 * const X = Matrix.from([[0.1, 0.5], [0.2, 0.9], [0, 1], [0.3, 0.3], [0.7, 0], [1, 0.4]], "f64");
 * const results = gradientCheck(network, X, oneHot([0, 2], 3, "f64"));
 * results.every((r) => r.relativeError < 1e-6); // true
 * ```
 */
export function gradientCheck(
  network: Network,
  X: Matrix,
  Y: Matrix,
  options: GradientCheckOptions = {},
): GradientCheckResult[] {
  const { epsilon = 1e-5, backward = backwardPropagation, D1 } = options;
  const loss = () => crossEntropyLoss(forwardPropagation(network, X, D1).A2, Y);
  const analytic: Gradients = backward(network, forwardPropagation(network, X, D1), Y);
  return PARAMETER_NAMES.map((name) =>
    compareGradient(name, network[name].data, analytic[`d${name}`].data, loss, epsilon)
  );
}

/**
 * Compares one parameter's analytic `gradient` with centred differences of `loss()`, nudging
 * each element of `parameter` in place (and putting it back). The building block of
 * {@linkcode gradientCheck}, for networks of any shape.
 *
 * @example
 * ```ts
 * const result = compareGradient("W[0]", W.data, dW.data, () => lossOf(network), 1e-5);
 * ```
 */
export function compareGradient(
  name: string,
  parameter: Storage,
  gradient: Storage,
  loss: () => number,
  epsilon = 1e-5,
): GradientCheckResult {
  let difference = 0, analyticNorm = 0, numericalNorm = 0, maxAbsoluteError = 0;
  for (let i = 0; i < parameter.length; i++) {
    const original = parameter[i];
    parameter[i] = original + epsilon;
    const lossPlus = loss();
    parameter[i] = original - epsilon;
    const lossMinus = loss();
    parameter[i] = original;
    const numerical = (lossPlus - lossMinus) / (2 * epsilon);
    difference += (gradient[i] - numerical) ** 2;
    analyticNorm += gradient[i] ** 2;
    numericalNorm += numerical ** 2;
    maxAbsoluteError = Math.max(maxAbsoluteError, Math.abs(gradient[i] - numerical));
  }
  const denominator = Math.sqrt(analyticNorm) + Math.sqrt(numericalNorm);
  const relativeError = denominator === 0 ? 0 : Math.sqrt(difference) / denominator;
  return { parameter: name, relativeError, maxAbsoluteError };
}
