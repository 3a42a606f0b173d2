// Solutions to notebook 11's exercises, one percent block per exercise id (see notebooks/README.md).

// %% exercise: he-std
function heStd(fanIn: number): number | undefined {
  return Math.sqrt(2 / fanIn); // Var(w) = 2/fan_in
}

// %% exercise: batch-normalise
function normalise(Z: Matrix, epsilon: number): Matrix | undefined {
  const Zhat = Matrix.zeros(Z.rows, Z.cols, "f64");
  for (let i = 0; i < Z.rows; i++) {
    let mean = 0, variance = 0;
    for (let j = 0; j < Z.cols; j++) mean += Z.get(i, j) / Z.cols;
    for (let j = 0; j < Z.cols; j++) variance += (Z.get(i, j) - mean) ** 2 / Z.cols;
    for (let j = 0; j < Z.cols; j++) Zhat.set(i, j, (Z.get(i, j) - mean) / Math.sqrt(variance + epsilon));
  }
  return Zhat;
}

// %% exercise: update-ratio
function ratio(before: Matrix, after: Matrix): number | undefined {
  let update = 0, weights = 0;
  for (let k = 0; k < before.data.length; k++) {
    update += (after.data[k] - before.data[k]) ** 2;
    weights += before.data[k] ** 2;
  }
  return Math.sqrt(update) / Math.sqrt(weights);
}
