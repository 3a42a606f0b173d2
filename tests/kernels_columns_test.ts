/**
 * The kernels that split the first layer by column blocks (lib/kernels/compute/abi.ts's
 * `…Columns`): on any range of blocks they compute exactly the columns the row kernels compute
 * there, bit for bit, and touch no other column, for widths that are and are not multiples of
 * the 16-column block, of the 4-float vector and of the 48- and 32-float register blocks.
 */

import assert from "node:assert/strict";
import { ACTIVATION_CODES, COLUMN_BLOCK } from "../lib/kernels/compute/abi.ts";
import { Random } from "../lib/random.ts";
import { Arena, KERNEL_KINDS, randomImages } from "./kernel_arena.ts";

/** A compressed batch of `m` random images of `n` pixels, in the arena. */
function batch(arena: Arena, m: number, n: number, random: Random) {
  const images = randomImages(m, n, random);
  const starts = [0], indices: number[] = [], values: number[] = [];
  for (let j = 0; j < m; j++) {
    for (let p = 0; p < n; p++) {
      if (images[j * n + p] === 0) continue;
      indices.push(p);
      values.push(images[j * n + p] / 255);
    }
    starts.push(indices.length);
  }
  return {
    starts: arena.putI32(starts),
    indices: arena.putI32(indices),
    values: arena.putF32(values),
  };
}

const randomValues = (count: number, random: Random) =>
  Array.from({ length: count }, () => random.normal());

for (const kind of KERNEL_KINDS) {
  Deno.test(`${kind}: sparseTimesDenseColumns gives sparseTimesDense's columns, bit for bit`, () => {
    const random = new Random(8);
    for (const [n, m, h] of [[784, 9, 128], [50, 6, 40], [30, 5, 16], [20, 4, 7], [60, 3, 130]]) {
      const blocks = Math.ceil(h / COLUMN_BLOCK);
      for (const [activation, accumulate] of [["relu", 0], ["sigmoid", 0], ["none", 1]] as const) {
        const arena = new Arena(kind);
        const { starts, indices, values } = batch(arena, m, n, random);
        const D = arena.putF32(randomValues(n * h, random));
        const bias = accumulate ? 0 : arena.putF32(randomValues(h, random));
        const start = randomValues(m * h, random); // what accumulate adds to
        const byRows = arena.putF32(start), byColumns = arena.alloc(m * h * 4);
        const code = ACTIVATION_CODES[activation];
        const args = [starts, indices, values, D, h, bias] as const;
        arena.kernels.sparseTimesDense(0, m, ...args, byRows, code, accumulate);
        const expected = arena.matrix(byRows, m, h);
        // Every range of blocks: its columns as by rows, NaN (untouched) elsewhere.
        for (let from = 0; from < blocks; from++) {
          for (let to = from + 1; to <= blocks; to++) {
            arena.f32.set(start, byColumns >> 2);
            for (let r = 0; r < m; r++) {
              for (let u = 0; u < h; u++) {
                const inside = u >= from * COLUMN_BLOCK && u < to * COLUMN_BLOCK;
                if (!inside) arena.f32[(byColumns >> 2) + r * h + u] = NaN;
              }
            }
            arena.kernels.sparseTimesDenseColumns(
              from,
              to,
              m,
              ...args,
              byColumns,
              code,
              accumulate,
            );
            const actual = arena.matrix(byColumns, m, h);
            for (let r = 0; r < m; r++) {
              for (let u = 0; u < h; u++) {
                const inside = u >= from * COLUMN_BLOCK && u < to * COLUMN_BLOCK;
                const want = inside ? expected.get(r, u) : NaN;
                assert.ok(
                  Object.is(actual.get(r, u), want),
                  `${activation} n=${n} m=${m} h=${h} blocks ${from}-${to}: ` +
                    `[${r}, ${u}] is ${actual.get(r, u)}, expected ${want}`,
                );
              }
            }
          }
        }
      }
    }
  });

  Deno.test(`${kind}: momentumColumns is momentumStep on its columns, bit for bit`, () => {
    const random = new Random(9);
    for (const [rows, width] of [[5, 128], [3, 40], [4, 7]]) {
      const size = rows * width, blocks = Math.ceil(width / COLUMN_BLOCK);
      const theta = randomValues(size, random), gradient = randomValues(size, random);
      const velocity = randomValues(size, random);
      for (let from = 0; from < blocks; from++) {
        const to = Math.min(blocks, from + 2);
        const arena = new Arena(kind);
        const at = {
          theta: arena.putF32(theta),
          gradient: arena.putF32(gradient),
          velocity: arena.alloc(size * 8),
        };
        arena.f64.set(velocity, at.velocity >> 3);
        const expected = new Arena(kind);
        const want = {
          theta: expected.putF32(theta),
          gradient: expected.putF32(gradient),
          velocity: expected.alloc(size * 8),
        };
        expected.f64.set(velocity, want.velocity >> 3);
        // The reference: momentumStep on each row's part of the blocks.
        const [first, end] = [from * COLUMN_BLOCK, Math.min(to * COLUMN_BLOCK, width)];
        for (let r = 0; r < rows; r++) {
          const { theta: t, gradient: g, velocity: v } = want;
          expected.kernels.momentumStep(r * width + first, r * width + end, t, g, v, 0.9, 0.05);
        }
        const { theta: t, gradient: g, velocity: v } = at;
        arena.kernels.momentumColumns(from, to, rows, width, t, g, v, 0.9, 0.05);
        const label = `rows=${rows} width=${width} blocks ${from}-${to}`;
        assert.deepEqual(
          Array.from(arena.f32.subarray(t >> 2, (t >> 2) + size)),
          Array.from(expected.f32.subarray(want.theta >> 2, (want.theta >> 2) + size)),
          label,
        );
        assert.deepEqual(
          Array.from(arena.f64.subarray(v >> 3, (v >> 3) + size)),
          Array.from(expected.f64.subarray(want.velocity >> 3, (want.velocity >> 3) + size)),
          label,
        );
      }
    }
  });
}
