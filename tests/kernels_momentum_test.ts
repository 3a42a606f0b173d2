/**
 * Momentum inside the kernels (lib/kernels/fused_momentum.ts) against lib/optimizers.ts's
 * momentum: the kernel `momentumStep` gives bit-identical parameters and velocity over several
 * steps with a changing learning rate, and training with it gives bit-identical weights and
 * histories to the generic `optimizer.step`, also when a second `train` call continues with
 * the same optimizer (the velocity goes back to the optimizer between calls), and W1's update
 * split between 2 or 3 threads gives the same bits as on one.
 */

import assert from "node:assert/strict";
import type { Gradients } from "../lib/backprop.ts";
import { initNetwork, type Network, PARAMETER_NAMES } from "../lib/network.ts";
import { momentum, type Optimizer } from "../lib/optimizers.ts";
import { Random } from "../lib/random.ts";
import { createFastTrainer } from "../lib/kernels/mod.ts";
import { train } from "../lib/train.ts";
import { granted } from "./assert.ts";
import { Arena, KERNEL_KINDS, randomMatrix } from "./kernel_arena.ts";
import { syntheticDigits } from "./synthetic.ts";

/** The same momentum, hidden behind a plain Optimizer so that the trainer cannot fuse it. */
function generic(inner: Optimizer): Optimizer {
  return {
    name: inner.name,
    get learningRate() {
      return inner.learningRate;
    },
    set learningRate(value) {
      inner.learningRate = value;
    },
    step: (network, gradients) => inner.step(network, gradients),
  };
}

function parameters(network: Network): number[][] {
  return PARAMETER_NAMES.map((name) => Array.from(network[name].data));
}

for (const kind of KERNEL_KINDS) {
  Deno.test(`${kind}: momentumStep is lib/optimizers.ts's momentum, bit for bit`, () => {
    const random = new Random(9);
    // 5 hidden units: odd sizes (3,925, 5, 50, 10), so the two-at-a-time loop has a tail.
    const network = initNetwork({ hidden: 5, seed: 4 });
    const arena = new Arena(kind);
    const stored = PARAMETER_NAMES.map((name) => {
      const size = network[name].data.length;
      return { name, size, theta: arena.putF32(network[name].data), v: arena.alloc(size * 8) };
    });
    const optimizer = momentum({ learningRate: 0.3, momentum: 0.8 });
    for (const eta of [0.3, 0.1, 0.02, 0.5]) {
      const gradients = Object.fromEntries(
        PARAMETER_NAMES.map((name) => {
          const { rows, cols } = network[name];
          return [`d${name}`, randomMatrix(rows, cols, random)];
        }),
      ) as unknown as Gradients;
      optimizer.learningRate = eta;
      optimizer.step(network, gradients);
      for (const { name, size, theta, v } of stored) {
        const dTheta = arena.putF32(gradients[`d${name}`].data);
        arena.kernels.momentumStep(0, size, theta, dTheta, v, 0.8, eta);
      }
    }
    for (const { name, size, theta, v } of stored) {
      assert.deepEqual(arena.matrix(theta, size, 1).data, network[name].data, name);
      assert.deepEqual(arena.f64.slice(v >> 3, (v >> 3) + size), optimizer.velocity(name, size));
    }
  });

  Deno.test({
    name: `${kind}: training with fused momentum is bit-identical to optimizer.step`,
    // Workers load their module from a file: Deno asks for read permission.
    ignore: !granted({ name: "read" }),
    async fn() {
      const trainSet = syntheticDigits(300, 21);
      const run = async (fuse: boolean) => {
        const network = initNetwork({ hidden: 20, seed: 6 });
        const optimizer = momentum({ learningRate: 0.05 });
        const histories = [];
        // Two calls with one optimizer: the second continues from the first one's velocity.
        for (const threads of [1, 2]) {
          histories.push(
            await train(network, trainSet, {
              epochs: 2,
              batchSize: 40,
              optimizer: fuse ? optimizer : generic(optimizer),
              seed: threads,
              schedule: "cosine",
              kernels: kind,
              threads,
            }),
          );
        }
        const velocity = PARAMETER_NAMES.map((name) =>
          Array.from(optimizer.velocity(name, network[name].data.length))
        );
        return { weights: parameters(network), velocity, histories };
      };
      const fused = await run(true), reference = await run(false);
      assert.deepEqual(fused.weights, reference.weights);
      assert.deepEqual(fused.velocity, reference.velocity);
      const losses = (r: typeof fused) => r.histories.flat().map((e) => e.loss);
      assert.deepEqual(losses(fused), losses(reference));
      assert.ok(fused.velocity[0].some((x) => x !== 0), "the velocity was copied back");
    },
  });
}

for (const kind of KERNEL_KINDS) {
  Deno.test({
    name: `${kind}: fused momentum split between 2 and 3 threads is bit-identical to 1 thread`,
    ignore: !granted({ name: "read" }),
    async fn() {
      const trainSet = syntheticDigits(120, 5);
      const run = async (threads: number) => {
        const network = initNetwork({ hidden: 20, seed: 3 });
        // "split": every step's products and W1's momentum update run on all the threads.
        const trainer = await createFastTrainer(network, trainSet, {
          kind,
          threads,
          batchSize: 30,
          secondThread: "split",
        });
        const optimizer = momentum({ learningRate: 0.05 });
        const order = new Random(2).shuffle(Int32Array.from({ length: 120 }, (_, i) => i));
        for (let step = 0; step < 8; step++) {
          trainer.forward(order.subarray((step % 4) * 30, (step % 4 + 1) * 30));
          trainer.update(optimizer);
        }
        trainer.sync();
        trainer.close();
        return {
          weights: parameters(network),
          velocity: Array.from(optimizer.velocity("W1", 15680)),
        };
      };
      const one = await run(1);
      for (const threads of [2, 3]) assert.deepEqual(await run(threads), one, `${threads} threads`);
      assert.ok(one.velocity.some((v) => v !== 0)); // the update did run
    },
  });
}
