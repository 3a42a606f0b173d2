// Solutions to notebook 10's exercises, one percent block per exercise id (see notebooks/README.md).

// %% exercise: decayed-momentum
// Decoupled: the shrink acts on θ directly, outside the velocity, and only on the weights.
function decayedMomentumStep(
  params: Record<string, Float64Array>,
  gradients: Record<string, Float64Array>,
  velocity: Record<string, Float64Array>,
  learningRate: number,
  beta: number,
  lambda: number,
): Record<string, Float64Array> | undefined {
  for (const name of ["W1", "b1", "W2", "b2"]) {
    const theta = params[name], v = velocity[name], dTheta = gradients[`d${name}`];
    const shrink = name.startsWith("W") ? 1 - learningRate * lambda : 1;
    for (let i = 0; i < theta.length; i++) {
      theta[i] *= shrink;
      v[i] = beta * v[i] + dTheta[i];
      theta[i] -= learningRate * v[i];
    }
  }
  return params;
}

// %% exercise: inverted-dropout
function invertedDropout(A1: Matrix, rate: number, random: Random): Matrix | undefined {
  const out = A1.clone();
  for (let i = 0; i < out.data.length; i++) {
    out.data[i] *= random.uniform() < rate ? 0 : 1 / (1 - rate);
  }
  return out;
}

// %% exercise: shift-image
function shiftImage(image: Uint8Array, dx: number, dy: number): Uint8Array | undefined {
  const side = 28;
  const out = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const fromY = y - dy, fromX = x - dx; // the source pixel that lands on (y, x)
      if (fromY >= 0 && fromY < side && fromX >= 0 && fromX < side) {
        out[y * side + x] = image[fromY * side + fromX];
      }
    }
  }
  return out;
}
