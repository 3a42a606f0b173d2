// Solutions of notebook 4's exercises (see notebooks/README.md, "Exercises").

// %% exercise: stable-softmax
function stableSoftmax(z: number[]): number[] {
  const largest = Math.max(...z);
  const exponentials = z.map((v) => Math.exp(v - largest));
  const sum = exponentials.reduce((s, e) => s + e, 0);
  return exponentials.map((e) => e / sum);
}

// %% exercise: forward-pass
function forward(network: Network, X: Matrix): Matrix {
  const Z1 = linear(network.W1, X, network.b1);
  const A1 = activate(Z1, network.activation);
  const Z2 = linear(network.W2, A1, network.b2);
  return softmax(Z2);
}

// %% exercise: gap-for-99
const gapFor99 = Math.log(99) as number | undefined; // 1 / (1 + e^−d) = 0.99 ⇔ e^−d = 1/99
