// Solutions to notebook 7's exercises, one percent block per exercise id (see notebooks/README.md).

// %% exercise: steps-per-epoch
const stepsPerEpoch = Math.ceil(10000 / 128) as number | undefined; // 78 full batches + 1 of 16

// %% exercise: momentum-by-hand
// v = 1, 1.9, 2.71; θ moves 0.1·v each step: 0.1 + 0.19 + 0.271.
const momentumDistance = 0.561 as number | undefined;

// %% exercise: momentum-step
const momentumStep: MomentumStep | undefined = (theta, v, dTheta, eta, beta) => {
  for (let i = 0; i < theta.length; i++) {
    v[i] = beta * v[i] + dTheta[i];
    theta[i] -= eta * v[i];
  }
};

// %% exercise: epoch-loop
const trainEpoch: EpochLoop | undefined = (network, trainSet, optimizer, batchSize, random) => {
  const order = random.shuffle(Array.from({ length: trainSet.count }, (_, i) => i));
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    const X = denseInputs(trainSet, indices);
    const Y = oneHot(indices.map((i) => trainSet.labels![i]));
    const cache = forwardPropagation(network, X);
    optimizer.step(network, backwardPropagation(network, cache, Y));
  }
};
