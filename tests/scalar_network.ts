/** Networks and gradients whose parameters are single numbers, so updates can be followed by hand. */

import type { Gradients } from "../lib/backprop.ts";
import { Matrix } from "../lib/matrix.ts";
import type { Network } from "../lib/network.ts";

/** A network whose four parameters are the 1×1 matrix [value]. */
export function scalarNetwork(value: number): Network {
  const one = () => Matrix.from([[value]], "f64");
  return { activation: "relu", W1: one(), b1: one(), W2: one(), b2: one() };
}

/** Gradients whose four entries are the 1×1 matrix [value]. */
export function scalarGradients(value: number): Gradients {
  const one = () => Matrix.from([[value]], "f64");
  return { dW1: one(), db1: one(), dW2: one(), db2: one() };
}
