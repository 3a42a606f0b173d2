/**
 * lib/kernels/threads/tuner.ts: the tuner runs the first way while warming up, then probes the
 * ways in interleaved visits (the first step of each not counted), keeps the one whose mean
 * step (its slowest left out) was shortest, probes less often while the same way keeps
 * winning, and probes again at once when the chosen way stays slower than the runner-up, in
 * windows in a row or over its reign as a whole; a fallback way wins near ties.
 */

import assert from "node:assert/strict";
import { StepTuner } from "../lib/kernels/threads/tuner.ts";

type Way = "a" | "b";

/**
 * Runs `steps` steps; `time(way, step, previous)` says how long each takes (`previous`: the way
 * of the step before). Returns the ways the tuner chose, one letter per step.
 */
function drive<W extends string>(
  tuner: StepTuner<W>,
  steps: number,
  time: (way: W, step: number, previous: W | undefined) => number,
  from = 0,
) {
  const ways: W[] = [];
  for (let s = 0; s < steps; s++) {
    const way = tuner.way;
    tuner.record(time(way, from + s, ways.at(-1)));
    ways.push(way);
  }
  return ways.join("");
}

Deno.test("the tuner warms up on the first way, visits both in turn, then keeps the faster", () => {
  // probe 2, visit 2: two visits of 2 steps to each way (one counted per visit); period 10.
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 2, probe: 2, visit: 2, period: 10 });
  const ways = drive(tuner, 14, (way) => way === "a" ? 1 : 0.8);
  assert.equal(ways, "aa" + "aabbaabb" + "bb" + "aa");
});

Deno.test("a busy moment during a round slows every way alike and does not decide", () => {
  // a is faster; the machine is three times slower during the round's first pass (steps 0–5),
  // which timing the ways one after the other would blame on a alone.
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 0, probe: 4, visit: 3, period: 20 });
  const ways = drive(tuner, 14, (way, step) => (way === "a" ? 1 : 1.2) * (step < 6 ? 3 : 1));
  // Counted: a 3, 3, 1, 1 (mean less the slowest 5/3); b 3.6, 3.6, 1.2, 1.2 (2).
  assert.equal(ways, "aaabbbaaabbb" + "aa");
});

Deno.test("a way fast on most steps and slow on a few is judged by what those steps cost", () => {
  // a takes 0.8 ms, but 5 ms on the steps at 9 and 13 (its worker paused): median 0.8, mean
  // less the slowest 2.2; b always 1 ms. Counted: the second step of each visit, a at steps 1,
  // 5, 9, 13.
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 0, probe: 4, visit: 2, period: 20 });
  const slow = [9, 13];
  const ways = drive(tuner, 20, (way, step) => way === "b" ? 1 : slow.includes(step) ? 5 : 0.8);
  assert.equal(ways, "aabb".repeat(4) + "bbbb");
});

Deno.test("one slow step of a round, a pause that would decide it alone, is left out", () => {
  // As above with one 5 ms step (at 13): a's mean would be 1.85, its mean less the slowest 0.8.
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 0, probe: 4, visit: 2, period: 20 });
  const ways = drive(tuner, 20, (way, step) => way === "b" ? 1 : step === 13 ? 5 : 0.8);
  assert.equal(ways, "aabb".repeat(4) + "aaaa");
});

Deno.test("the first step of a visit, which pays for the switch, is not counted", () => {
  // a costs 10 ms on the step after another way (a worker still spinning), 0.4 ms after that;
  // b always 0.5 ms. Counting the switch steps would make a's mean 5.2 ms.
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 0, probe: 2, visit: 2, period: 12 });
  const ways = drive(tuner, 12, (way, _step, previous) => {
    if (way === "b") return 0.5;
    return previous !== "a" ? 10 : 0.4;
  });
  assert.equal(ways, "aabbaabb" + "aaaa");
});

Deno.test("while the same way keeps winning, rounds come twice as late, up to maxPeriod", () => {
  const tuner = new StepTuner(["a", "b"] as const, {
    warmUp: 0,
    probe: 1,
    visit: 2,
    period: 6,
    maxPeriod: 12,
  });
  const ways = drive(tuner, 34, (way) => way === "a" ? 1 : 2);
  // Rounds (aabb) start at steps 0, 6 (the period), 18 (twice it), 30 (maxPeriod).
  const a = (count: number) => "a".repeat(count);
  assert.equal(ways, "aabb" + a(2) + "aabb" + a(8) + "aabb" + a(8) + "aabb");
});

Deno.test("a new winner brings the period back to its start", () => {
  const tuner = new StepTuner(["a", "b"] as const, {
    warmUp: 0,
    probe: 1,
    visit: 2,
    period: 6,
    maxPeriod: 24,
  });
  let slowWay: Way = "b";
  const first = drive(tuner, 18, (way) => way === slowWay ? 2 : 1);
  assert.equal(first, "aabb" + "aa" + "aabb" + "aaaaaaaa"); // rounds at 0, 6; next at 18
  slowWay = "a";
  const then = drive(tuner, 10, (way) => way === slowWay ? 2 : 1);
  assert.equal(then, "aabb" + "bb" + "aabb"); // b wins at 18: the next round 6 steps later
});

Deno.test("when the chosen way slows down for two windows, a round starts at once", () => {
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 0, probe: 2, visit: 2, period: 40 });
  // a takes 1 ms, b 1.4 ms, until step 10; then a takes 3 ms (another process took its core).
  const ways = drive(tuner, 24, (way, step) => way === "b" ? 1.4 : step < 10 ? 1 : 3);
  // Round (steps 0–7) → a. Windows of 2 steps: 8–9 at 1 ms pass; 10–11 and 12–13 at 3 ms (over
  // 1.3 × 1 and over b's 1.4) start a round at step 14, which b wins.
  assert.equal(ways, "aabbaabb" + "aa" + "aaaa" + "aabbaabb" + "bb");
});

Deno.test("one slow window, a single pause among fast steps, starts no round", () => {
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 0, probe: 2, visit: 2, period: 40 });
  // As above, but a takes 3 ms on steps 10–11 only: one slow window, then fast ones.
  const ways = drive(
    tuner,
    24,
    (way, step) => way === "b" ? 1.4 : step === 10 || step === 11 ? 3 : 1,
  );
  assert.equal(ways, "aabbaabb" + "a".repeat(16));
});

Deno.test("a way that stalls every few steps of its reign gives way, and is not taken back", () => {
  // a 0.5 ms but 5 ms on every fourth step from step 8 (its worker descheduled now and then), b
  // 1 ms. The round (steps 0–7) counts a at steps 1 and 5 only: a. Its windows of 2 steps are
  // slow and fast in turn, never two slow in a row; but its reign, judged after 4 windows
  // (steps 8–15: 5, 0.5, 0.5, 0.5, 5, 0.5, 0.5, 0.5; less the slowest 1.14), is slower than b.
  // The round at 16 counts a at 17 and 21 only (0.5 ms), but a counts as no faster than 1.14.
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 0, probe: 2, visit: 2, period: 60 });
  const ways = drive(
    tuner,
    30,
    (way, step) => way === "b" ? 1 : step >= 8 && step % 4 === 0 ? 5 : 0.5,
  );
  assert.equal(ways, "aabbaabb" + "a".repeat(8) + "aabbaabb" + "b".repeat(6));
});

Deno.test("two pauses among a reign's first four windows start no round", () => {
  // As above, with 3 ms steps at 9 and 13 only: the reign less the slowest 0.86, under b's 1.
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 0, probe: 2, visit: 2, period: 60 });
  const ways = drive(
    tuner,
    30,
    (way, step) => way === "b" ? 1 : step === 9 || step === 13 ? 3 : 0.5,
  );
  assert.equal(ways, "aabbaabb" + "a".repeat(22));
});

Deno.test("a way whose reign is no longer clearly faster than the fallback gives way to it", () => {
  // a 0.5 ms in the round, then a steady 0.95 ms, b (the fallback) 1 ms: no window is slow (over
  // 1.3 × 0.5 but not over b's 1), but 0.95 is within the margin of 1.1 of b's 1.
  const options = { warmUp: 0, probe: 2, visit: 2, period: 60, fallback: "b" as const };
  const tuner = new StepTuner(["a", "b"] as const, options);
  const ways = drive(tuner, 30, (way, step) => way === "b" ? 1 : step < 8 ? 0.5 : 0.95);
  assert.equal(ways, "aabbaabb" + "a".repeat(8) + "aabbaabb" + "b".repeat(6));
});

Deno.test("a window only a little slower than the probed mean starts no round", () => {
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 0, probe: 2, visit: 2, period: 40 });
  const ways = drive(tuner, 30, (way, step) => way === "b" ? 1.4 : step < 10 ? 1 : 1.25);
  assert.equal(ways, "aabbaabb" + "a".repeat(22));
});

Deno.test("with three ways a pass visits each in turn; ways far behind are visited no more", () => {
  // probe 3, visit 2: three passes of one counted step per way, losers judged after the second.
  const tuner = new StepTuner(["a", "b", "c"] as const, {
    warmUp: 1,
    probe: 3,
    visit: 2,
    period: 20,
  });
  const ways = drive(tuner, 22, (way) => ({ a: 3, b: 2, c: 1 })[way]);
  // Warm-up a; after two passes a and b are over 1.5 × c's 1 ms, so the round ends there: c
  // until the next round at step 1 + 20.
  assert.equal(ways, "a" + "aabbcc".repeat(2) + "c".repeat(8) + "a");
});

Deno.test("no way is dropped after the first pass, whose few steps may hold a pause", () => {
  // probe 6, visit 3: three passes of two counted steps per way. a 1 ms; b 0.8 ms, but 5 ms on
  // its first counted step (step 4). After one pass b's mean is 2.9, over 1.5 × a; after two,
  // less the slowest, 0.8.
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 0, probe: 6, visit: 3, period: 30 });
  const ways = drive(tuner, 22, (way, step) => way === "a" ? 1 : step === 4 ? 5 : 0.8);
  assert.equal(ways, "aaabbb".repeat(3) + "bbbb");
});

Deno.test("a window slower than 1.3 × its mean but faster than the runner-up starts no round", () => {
  // a 1 ms, b 1.45 ms; from step 10 a takes 1.4 ms: slower than 1.3 × 1, faster than b.
  const tuner = new StepTuner(["a", "b"] as const, { warmUp: 0, probe: 2, visit: 2, period: 40 });
  const ways = drive(tuner, 30, (way, step) => way === "b" ? 1.45 : step < 10 ? 1 : 1.4);
  assert.equal(ways, "aabbaabb" + "a".repeat(22));
});

Deno.test("a way slower than the best by at most the drop factor is visited to the end", () => {
  // a 1 ms, b 1.5 ms, c 1.6 ms: after the second pass c (over 1.5 × 1) is dropped, b is not.
  const tuner = new StepTuner(["a", "b", "c"] as const, {
    warmUp: 0,
    probe: 3,
    visit: 2,
    period: 20,
  });
  const ways = drive(tuner, 20, (way) => ({ a: 1, b: 1.5, c: 1.6 })[way]);
  assert.equal(ways, "aabbcc".repeat(2) + "aabb" + "aaaa");
});

Deno.test("the fallback way is kept unless another is faster by the margin", () => {
  const options = { warmUp: 0, probe: 2, visit: 2, period: 12, fallback: "b" as const };
  // a 5 % faster than b: within the default margin of 1.1, so b.
  const nearTie = drive(
    new StepTuner(["a", "b"] as const, options),
    12,
    (way) => way === "a" ? 0.95 : 1,
  );
  assert.equal(nearTie, "aabbaabb" + "bbbb");
  // a takes 0.85 of b's time, 1.18 times faster, over the margin: a.
  const clear = drive(
    new StepTuner(["a", "b"] as const, options),
    12,
    (way) => way === "a" ? 0.85 : 1,
  );
  assert.equal(clear, "aabbaabb" + "aaaa");
  // Without a fallback the 5 % faster way wins.
  const none = drive(
    new StepTuner(["a", "b"] as const, { ...options, fallback: undefined }),
    12,
    (way) => way === "a" ? 0.95 : 1,
  );
  assert.equal(none, "aabbaabb" + "aaaa");
});
