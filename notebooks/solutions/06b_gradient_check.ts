// Solutions to notebook 6b's exercises, one percent block per exercise id (see notebooks/README.md).

// %% exercise: numerical-derivative
function numericalDb2At3(): number | undefined {
  const epsilon = 1e-5, b2 = smallNetwork.b2.data, original = b2[3];
  const loss = () => crossEntropyLoss(forwardPropagation(smallNetwork, smallX).A2, smallY);
  b2[3] = original + epsilon;
  const plus = loss();
  b2[3] = original - epsilon;
  const minus = loss();
  b2[3] = original;
  return (plus - minus) / (2 * epsilon);
}

// %% exercise: backward-pass
function myBackward(network: Network, cache: ForwardCache, Y: Matrix): Gradients | undefined {
  const X = cache.X as Matrix, m = X.cols;
  const dZ2 = softmaxCrossEntropyGradient(cache.A2, Y);
  const dW2 = scale(matmulTransposeB(dZ2, cache.A1), 1 / m);
  const db2 = scale(sumRows(dZ2), 1 / m);
  const dZ1 = multiplyElementwise(matmulTransposeA(network.W2, dZ2), reluDerivative(cache.Z1));
  const dW1 = scale(matmulTransposeB(dZ1, X), 1 / m);
  const db1 = scale(sumRows(dZ1), 1 / m);
  return { dW1, db1, dW2, db2 };
}
