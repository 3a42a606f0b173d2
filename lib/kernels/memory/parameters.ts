/**
 * Moving a network's parameters into a workspace and back. The workspace holds W1 transposed
 * (W1ᵀ, inputs×h): row p is what pixel p adds to every hidden unit, read contiguously.
 *
 * @module
 */

import { Matrix } from "../../matrix.ts";
import type { Network } from "../../network.ts";
import type { Workspace } from "./workspace.ts";

/**
 * The workspace's parameters as matrices (views, no copy), shaped as stored: W1 is W1ᵀ.
 * The optimizer updates these in place; its rules are element-wise, so the layout is moot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../../network.ts";
 * import { createWorkspace } from "./workspace.ts";
 *
 * const network = initNetwork({ hidden: 3, seed: 1 });
 * const shape = { inputs: 784, hidden: 3, classes: 10, images: 1, batch: 1, entries: 784 };
 * const workspace = createWorkspace({ ...shape, training: false }, "typescript");
 * assert.deepEqual(parameterViews(workspace, "relu").W1.shape, [784, 3]); // W1ᵀ
 * ```
 */
export function parameterViews(workspace: Workspace, activation: Network["activation"]): Network {
  const { layout, shape: { inputs: n, hidden: h, classes: c } } = workspace;
  const view = matrixView(workspace);
  return {
    activation,
    W1: view(layout.W1T, n, h),
    b1: view(layout.b1, h, 1),
    W2: view(layout.W2, c, h),
    b2: view(layout.b2, c, 1),
  };
}

/**
 * A function that views `rows×cols` float32 of the workspace at byte offset `at` as a Matrix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../../network.ts";
 * import { createWorkspace } from "./workspace.ts";
 *
 * const network = initNetwork({ hidden: 3, seed: 1 });
 * const shape = { inputs: 784, hidden: 3, classes: 10, images: 1, batch: 1, entries: 784 };
 * const workspace = createWorkspace({ ...shape, training: false }, "typescript");
 * const b1 = matrixView(workspace)(workspace.layout.b1, 3, 1);
 * b1.data.fill(0.5); // a view: this writes the workspace
 * assert.equal(workspace.f32[workspace.layout.b1 >> 2], 0.5);
 * ```
 */
export function matrixView(
  workspace: Workspace,
): (at: number, rows: number, cols: number) => Matrix {
  return (at, rows, cols) =>
    new Matrix(rows, cols, workspace.f32.subarray(at >> 2, (at >> 2) + rows * cols));
}

/**
 * Copies the network's parameters into the workspace (W1 transposed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../../network.ts";
 * import { createWorkspace } from "./workspace.ts";
 *
 * const network = initNetwork({ hidden: 3, seed: 1 });
 * const shape = { inputs: 784, hidden: 3, classes: 10, images: 1, batch: 1, entries: 784 };
 * const workspace = createWorkspace({ ...shape, training: false }, "typescript");
 * writeParameters(workspace, network);
 * // W1ᵀ[p, u] = W1[u, p]
 * assert.equal(parameterViews(workspace, "relu").W1.get(5, 2), network.W1.get(2, 5));
 * ```
 */
export function writeParameters(workspace: Workspace, network: Network): void {
  const stored = parameterViews(workspace, network.activation);
  transposeInto(network.W1, stored.W1);
  stored.b1.data.set(network.b1.data);
  stored.W2.data.set(network.W2.data);
  stored.b2.data.set(network.b2.data);
}

/**
 * Copies the workspace's parameters back into the network (W1 transposed back).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initNetwork } from "../../network.ts";
 * import { createWorkspace } from "./workspace.ts";
 *
 * const network = initNetwork({ hidden: 3, seed: 1 });
 * const shape = { inputs: 784, hidden: 3, classes: 10, images: 1, batch: 1, entries: 784 };
 * const workspace = createWorkspace({ ...shape, training: false }, "typescript");
 * writeParameters(workspace, network);
 * const copy = initNetwork({ hidden: 3, seed: 2 });
 * readParameters(workspace, copy);
 * assert.deepEqual(copy.W1.data, network.W1.data);
 * ```
 */
export function readParameters(workspace: Workspace, network: Network): void {
  const stored = parameterViews(workspace, network.activation);
  transposeInto(stored.W1, network.W1);
  network.b1.data.set(stored.b1.data);
  network.W2.data.set(stored.W2.data);
  network.b2.data.set(stored.b2.data);
}

function transposeInto(source: Matrix, target: Matrix): void {
  for (let i = 0; i < source.rows; i++) {
    for (let j = 0; j < source.cols; j++) {
      target.data[j * source.rows + i] = source.data[i * source.cols + j];
    }
  }
}
