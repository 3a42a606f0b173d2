/**
 * lib/kernels/threads/tuner.ts: the tuner runs the first way while warming up, then probes both
 * ways for the same number of steps and keeps the one whose median step was shorter.
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
