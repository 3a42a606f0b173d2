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
 * import assert from "node:assert/strict";
 * import { oneHot } from "./loss.ts";
 * import { Matrix } from "./matrix.ts";
 * import { initNetwork } from "./network.ts";
 *
 * const network = initNetwork({ inputs: 6, hidden: 5, outputs: 3, seed: 1, precision: "f64" });
 * const X = Matrix.from([[0.1, 0.5], [0.2, 0.9], [0, 1], [0.3, 0.3], [0.7, 0], [1, 0.4]], "f64");
 * const results = gradientCheck(network, X, oneHot([0, 2], 3, "f64"));
 * assert.ok(results.every((r) => r.relativeError < 1e-6));
 * ```
 */
export function gradientCheck(
  network: Network,
  X: Matrix,
  Y: Matrix,
  options: GradientCheckOptions = {},
): GradientCheckResult[] {
  const { epsilon = 1e-5, backward = backwardPropagation, D1 } = options;
  const analytic: Gradients = backward(network, forwardPropagation(network, X, D1), Y);
  return compareGradients(
    () => crossEntropyLoss(forwardPropagation(network, X, D1).A2, Y),
    PARAMETER_NAMES.map((name) => ({
      name,
      values: network[name].data,
      gradient: analytic[`d${name}`].data,
    })),
    epsilon,
  );
}

/** One parameter for {@linkcode compareGradients}: its values and its analytic gradient. */
export interface CheckedParameter {
  name: string;
  /** The parameter's values; nudged in place by ±ε and restored. */
  values: Storage;
  /** ∂L/∂values as the code under test computed it. */
  gradient: Storage;
}

/**
 * The heart of {@linkcode gradientCheck}, for any model: compares each analytic gradient with
 * the centred differences of `loss`, nudging one element of `values` at a time (and restoring
 * it). Use Float64 storage throughout. A convolutional layer is checked with it in
 * tests/cnn_convolution_test.ts, the whole CNN in tests/cnn_network_test.ts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // L(θ) = θ₀² + 3·θ₁, so dL/dθ = [2·θ₀, 3].
 * const theta = Float64Array.from([2, 5]);
 * const loss = () => theta[0] ** 2 + 3 * theta[1];
 * const check = (gradient: number[]) =>
 *   compareGradients(loss, [{ name: "θ", values: theta, gradient: Float64Array.from(gradient) }]);
 * assert.ok(check([4, 3])[0].relativeError < 1e-8); // right
 * assert.ok(check([4, 1])[0].relativeError > 0.1); // wrong: dL/dθ₁ is 3
 * ```
 */
export function compareGradients(
  loss: () => number,
  parameters: readonly CheckedParameter[],
  epsilon = 1e-5,
): GradientCheckResult[] {
  return parameters.map(({ name, values, gradient }) => {
    if (gradient.length !== values.length) {
      throw new RangeError(
        `${name}: the gradient has ${gradient.length} elements, the parameter ${values.length}`,
      );
    }
    let difference = 0, analyticNorm = 0, numericalNorm = 0, maxAbsoluteError = 0;
    for (let i = 0; i < values.length; i++) {
      const original = values[i];
      values[i] = original + epsilon;
      const lossPlus = loss();
      values[i] = original - epsilon;
      const lossMinus = loss();
      values[i] = original;
      const numerical = (lossPlus - lossMinus) / (2 * epsilon);
      difference += (gradient[i] - numerical) ** 2;
      analyticNorm += gradient[i] ** 2;
      numericalNorm += numerical ** 2;
      maxAbsoluteError = Math.max(maxAbsoluteError, Math.abs(gradient[i] - numerical));
    }
    const denominator = Math.sqrt(analyticNorm) + Math.sqrt(numericalNorm);
    const relativeError = denominator === 0 ? 0 : Math.sqrt(difference) / denominator;
    return { parameter: name, relativeError, maxAbsoluteError };
  });
}
