import assert from "node:assert/strict";
import { Random } from "../lib/random.ts";
import { assertClose } from "./assert.ts";

Deno.test("the same seed gives the same sequence; another seed a different one", () => {
  const draw = (seed: number) => {
    const random = new Random(seed);
    return Array.from({ length: 5 }, () => random.uniform());
  };
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
});

Deno.test("uniform() is mulberry32, checked against an independent BigInt implementation", () => {
  // BigInt arithmetic has no 32-bit wrap-around, so every step masks explicitly: a bug in our
  // Math.imul / >>> juggling cannot hide in the same place here.
  const reference = (seed: number, count: number) => {
    const mask = (1n << 32n) - 1n;
    const imul = (a: bigint, b: bigint) => (a * b) & mask;
    let state = BigInt(seed) & mask;
    const out: number[] = [];
    for (let n = 0; n < count; n++) {
      state = (state + 0x6d2b79f5n) & mask;
      let t = state;
      t = imul(t ^ (t >> 15n), t | 1n);
      t = (t ^ ((t + imul(t ^ (t >> 7n), t | 61n)) & mask)) & mask;
      out.push(Number((t ^ (t >> 14n)) & mask) / 4294967296);
    }
    return out;
  };
  const random = new Random(0);
  assert.deepEqual(Array.from({ length: 20 }, () => random.uniform()), reference(0, 20));
});

Deno.test("uniform samples have mean 1/2 and variance 1/12", () => {
  const random = new Random(1);
  const n = 100_000;
  let sum = 0, sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const u = random.uniform();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    sumSquares += u * u;
  }
  const mean = sum / n;
  // Standard error of the mean is √(1/12/n) ≈ 0.0009: allow 5 of them.
  assertClose(mean, 0.5, { absolute: 0.005 });
  assertClose(sumSquares / n - mean * mean, 1 / 12, { absolute: 0.002 });
});

Deno.test("normal samples have mean 0, variance 1 and 68 % within one σ", () => {
  const random = new Random(2);
  const n = 100_000;
  let sum = 0, sumSquares = 0, withinOne = 0;
  for (let i = 0; i < n; i++) {
    const z = random.normal();
    sum += z;
    sumSquares += z * z;
    if (Math.abs(z) < 1) withinOne++;
  }
  assertClose(sum / n, 0, { absolute: 0.02 });
  assertClose(sumSquares / n, 1, { absolute: 0.02 });
  assertClose(withinOne / n, 0.6827, { absolute: 0.01 });
});

Deno.test("shuffle is a seeded permutation", () => {
  const shuffled = new Random(3).shuffle(Int32Array.from({ length: 100 }, (_, i) => i));
  assert.deepEqual(
    Array.from(shuffled).sort((a, b) => a - b),
    Array.from({ length: 100 }, (_, i) => i),
  );
  assert.notDeepEqual(Array.from(shuffled), Array.from({ length: 100 }, (_, i) => i));
  assert.deepEqual(shuffled, new Random(3).shuffle(Int32Array.from({ length: 100 }, (_, i) => i)));
});

Deno.test("a seed must be an integer", () => {
  assert.throws(() => new Random(1.5), { message: "seed must be an integer, got 1.5" });
});
