/**
 * lib/kernels/threads/tuner.ts: the tuner runs the first way while warming up, then probes every
 * way for the same number of steps and keeps the one whose median step was shortest.
 */

import assert from "node:assert/strict";
import { StepTuner } from "../lib/kernels/threads/tuner.ts";

/** Runs `steps` steps that take `time(way)` ms each; returns the ways the tuner chose. */
function drive(tuner: StepTuner<"a" | "b">, steps: number, time: (way: "a" | "b") => number) {
  const ways: string[] = [];
  for (let s = 0; s < steps; s++) {
    ways.push(tuner.way);
    tuner.record(time(tuner.way));
  }
  return ways.join("");
}

Deno.test("the tuner warms up on the first way, probes both, then keeps the faster", () => {
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 2, probe: 3, period: 10 });
  // b is faster: after the round (steps 2–7) it runs b until the next round at step 12.
  assert.equal(drive(tuner, 14, (way) => way === "a" ? 1 : 0.5), "aa" + "aaabbb" + "bbbb" + "aa");
});

Deno.test("a round that finds the first way faster switches back to it", () => {
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 0, probe: 3, period: 8 });
  let slowWay: "a" | "b" = "a";
  const ways = drive(tuner, 8, (way) => way === slowWay ? 3 : 1);
  assert.equal(ways, "aaabbb" + "bb");
  slowWay = "b";
  // Medians, not means: one slow outlier among the probes does not decide.
  let step = 0;
  const next = drive(tuner, 8, (way) => (step++ === 0 ? 50 : way === slowWay ? 3 : 1));
  assert.equal(next, "aaabbb" + "aa");
});

Deno.test("with three ways the tuner probes each in turn and keeps the fastest", () => {
  const tuner = new StepTuner(["a", "b", "c"] as const, { warmUp: 1, probe: 2, period: 9 });
  const ways: string[] = [];
  let slowest: "a" | "b" | "c" = "a";
  for (let step = 0; step < 19; step++) {
    if (step === 10) slowest = "c"; // the second round finds a faster than c
    ways.push(tuner.way);
    tuner.record({ a: 3, b: 2, c: 1 }[tuner.way] * (tuner.way === slowest ? 10 : 1));
  }
  // Round 1 (steps 1–6): a 30, b 2, c 1 → c; round 2 (steps 10–15): a 3, b 2, c 10 → b.
  assert.equal(ways.join(""), "a" + "aabbcc" + "ccc" + "aabbcc" + "bbb");
});
