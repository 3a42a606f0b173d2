// Solutions to notebook 8's exercises, one percent block per exercise id (see notebooks/README.md).

// %% exercise: most-confused
// The darkest off-diagonal cell, found by code rather than by eye (the same answer).
const mostConfused = mistakes.length > 0
  ? [mistakes[0].label, mistakes[0].predicted] as [number, number]
  : undefined;

// %% exercise: accuracy-from-counts
function accuracyFromCounts(confusion: number[][]): number | undefined {
  let right = 0, total = 0;
  confusion.forEach((row, i) => row.forEach((count, j) => {
    total += count;
    if (i === j) right += count;
  }));
  return right / total;
}

// %% exercise: cosine-schedule
function cosineRate(initial: number, epoch: number, epochs: number): number | undefined {
  return initial * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
}
