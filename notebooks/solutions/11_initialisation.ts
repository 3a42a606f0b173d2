// Solutions to notebook 11's exercises, one percent block per exercise id (see notebooks/README.md).

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

// %% exercise: batch-norm-backward
function normaliseBackward(Z: Matrix, dZhat: Matrix, epsilon: number): Matrix | undefined {
  const dZ = Matrix.zeros(Z.rows, Z.cols, "f64");
  const m = Z.cols;
  for (let i = 0; i < Z.rows; i++) {
    let mean = 0, variance = 0;
    for (let j = 0; j < m; j++) mean += Z.get(i, j) / m;
    for (let j = 0; j < m; j++) variance += (Z.get(i, j) - mean) ** 2 / m;
    const inverseStd = 1 / Math.sqrt(variance + epsilon);
    // The paths through μ and σ²: Σₖ dẐᵢₖ and Σₖ dẐᵢₖ·Ẑᵢₖ.
    let sum = 0, sumTimesZhat = 0;
    for (let j = 0; j < m; j++) {
      sum += dZhat.get(i, j);
      sumTimesZhat += dZhat.get(i, j) * (Z.get(i, j) - mean) * inverseStd;
    }
    for (let j = 0; j < m; j++) {
      const Zhat = (Z.get(i, j) - mean) * inverseStd;
      dZ.set(i, j, inverseStd * (dZhat.get(i, j) - sum / m - Zhat * sumTimesZhat / m));
    }
  }
  return dZ;
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
