/**
 * Momentum's update inside the kernels. The generic optimizer (lib/optimizers.ts) walks the
 * 101,770 parameters in TypeScript after every batch, a serial cost as large as a sixth of a
 * WebAssembly step; the kernel `momentumStep` runs the same rule, bit for bit, with its
 * velocity kept in the workspace beside the parameters. The optimizer object stays the owner
 * of the velocity: it is copied in when training starts and back whenever the network is.
 *
 * @module
 */

import { PARAMETER_NAMES, type ParameterName } from "../network.ts";
import type { MomentumOptimizer, Optimizer } from "../optimizers.ts";
import { runCall } from "./compute/abi.ts";
import { momentumStep, type ParameterBuffers } from "./memory/arguments.ts";
import type { Workspace } from "./memory/workspace.ts";
import type { ThreadPool } from "./threads/pool.ts";

/** Momentum run by the kernels of one workspace. */
export interface FusedMomentum {
  /**
   * One update of every parameter, with the optimizer's current learning rate; W1's (most of
   * them) split between the threads of `pool` when given.
   */
  step(pool?: ThreadPool): void;
  /** Copies the velocity back into the optimizer. */
  save(): void;
}

/**
 * Momentum on `workspace`'s parameters and gradients when `optimizer` is lib/optimizers.ts's
 * momentum, else undefined (the trainer then calls `optimizer.step`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createOptimizer, momentum } from "../optimizers.ts";
 * import { createWorkspace } from "./memory/workspace.ts";
 *
 * const workspace = createWorkspace({
 *   inputs: 784, hidden: 4, classes: 10, images: 1, batch: 1, entries: 784, training: true,
 * }, "typescript");
 * const adam = createOptimizer("adam", { learningRate: 0.001 });
 * assert.equal(fusedMomentum(workspace, adam), undefined); // not momentum: the trainer steps it
 * const optimizer = momentum({ learningRate: 0.1 });
 * const fused = fusedMomentum(workspace, optimizer)!;
 * workspace.f32.fill(1, workspace.layout.db2 >> 2, (workspace.layout.db2 >> 2) + 10); // db2 = 1
 * fused.step();
 * fused.save(); // the velocity goes back to the optimizer: v = β·0 + 1
 * assert.deepEqual([...optimizer.velocity("b2", 10)], new Array(10).fill(1));
 * // θ ← θ − η·v: b2 (0 in this fresh workspace) becomes −0.1.
 * assert.equal(workspace.f32[workspace.layout.b2 >> 2], Math.fround(-0.1));
 * ```
 */
export function fusedMomentum(
  workspace: Workspace,
  optimizer: Optimizer,
): FusedMomentum | undefined {
  if (optimizer.name !== "momentum" || !("velocity" in optimizer)) return undefined;
  const momentum = optimizer as MomentumOptimizer;
  const { layout: L, kernels, f64, shape: { inputs: n, hidden: h, classes: c } } = workspace;
  // [θ, dθ, v] byte offsets and the element count of each parameter (W1 stored as W1ᵀ).
  const buffers: Record<ParameterName, [ParameterBuffers, number]> = {
    W1: [[L.W1T, L.dW1T, L.vW1T], n * h],
    b1: [[L.b1, L.db1, L.vb1], h],
    W2: [[L.W2, L.dW2, L.vW2], c * h],
    b2: [[L.b2, L.db2, L.vb2], c],
  };
  for (const name of PARAMETER_NAMES) {
    const [[, , v], size] = buffers[name];
    f64.set(momentum.velocity(name, size), v >> 3);
  }
  return {
    step(pool) {
      for (const name of PARAMETER_NAMES) {
        const [parameter, size] = buffers[name];
        const call = momentumStep(parameter, momentum.beta, momentum.learningRate);
        if (pool && name === "W1") pool.run(0, size, (r) => r, [call]);
        else runCall(kernels, call, 0, size);
      }
    },
    save() {
      for (const name of PARAMETER_NAMES) {
        const [[, , v], size] = buffers[name];
        momentum.velocity(name, size).set(f64.subarray(v >> 3, (v >> 3) + size));
      }
    },
  };
}
