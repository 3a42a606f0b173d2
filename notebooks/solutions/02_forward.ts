// Solutions of notebook 2's exercises (see notebooks/README.md, "Exercises").

// %% exercise: shape-of-z1
const shapeOfZ1 = [128, 32] as [number, number] | undefined; // W1's rows, X's columns

// %% exercise: hidden-input
function hiddenInput(W1: Matrix, X: Matrix, b1: Matrix, i: number, j: number): number {
  let sum = b1.get(i, 0);
  for (let p = 0; p < W1.cols; p++) sum += W1.get(i, p) * X.get(p, j);
  return sum;
}

// %% exercise: parameter-count
const parameterCount = (128 * 784 + 128 + 10 * 128 + 10) as number | undefined; // 101,770
