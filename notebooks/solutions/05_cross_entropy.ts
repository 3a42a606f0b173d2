// Solutions of notebook 5's exercises (see notebooks/README.md, "Exercises").

// %% exercise: mixed-loss
const mixedLoss = 2.355 as number | undefined; // (−ln 0.9 − ln 0.01) / 2 = (0.105 + 4.605) / 2

// %% exercise: cross-entropy
function crossEntropy(A2: Matrix, Y: Matrix): number {
  let total = 0;
  for (let i = 0; i < A2.rows; i++) {
    for (let j = 0; j < A2.cols; j++) {
      if (Y.get(i, j) === 1) total -= Math.log(Math.max(A2.get(i, j), LOG_EPSILON));
    }
  }
  return total / A2.cols;
}
