// Solutions to notebook 10's exercises, one percent block per exercise id (see notebooks/README.md).

// %% exercise: l2-step
// The penalty (λ/2)·‖W‖² adds λ·W to the gradient; the step multiplies the sum by η.
function l2Step(W: Float64Array, dW: Float64Array, learningRate: number, lambda: number): Float64Array | undefined {
  return W.map((w, i) => w - learningRate * (dW[i] + lambda * w));
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
