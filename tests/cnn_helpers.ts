/**
 * Helpers shared by the CNN tests: random Float64 tensors, and the scalar loss L = Σ R ∘ T whose
 * gradient with respect to T is R, which turns a layer's backward pass into something
 * centred differences can check.
 *
 * @module
 */

import { type ConvNet, initConvNet } from "../lib/cnn/network.ts";
import { Tensor } from "../lib/cnn/tensor.ts";
import type { Random } from "../lib/random.ts";

/** A Float64 tensor of `shape` with elements uniform in [−1, 1) (distinct, almost surely). */
export function randomTensor(shape: readonly number[], random: Random): Tensor {
  const T = Tensor.zeros(shape, "f64");
  for (let i = 0; i < T.size; i++) T.data[i] = random.uniform() * 2 - 1;
  return T;
}

/** Σᵢ T[i]·R[i]: a scalar loss whose gradient with respect to T is R. */
export function weightedSum(T: Tensor, R: Tensor): number {
  let sum = 0;
  for (let i = 0; i < T.size; i++) sum += T.data[i] * R.data[i];
  return sum;
}

/** A CNN small enough to train on tests/synthetic.ts's digits in about a second. */
export function smallCnn(seed: number): ConvNet {
  return initConvNet({ channels1: 4, channels2: 6, hidden: 16, seed });
}
