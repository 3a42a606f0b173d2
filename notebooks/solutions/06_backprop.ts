// Solutions to notebook 6's exercises, one percent block per exercise id (see notebooks/README.md).

// %% exercise: gradient-shapes
const shapeOfDW1 = [64, 784] as [number, number] | undefined; // like W1: hidden × inputs
const shapeOfDZ1 = [64, 32] as [number, number] | undefined; // like Z1: hidden × images

// %% exercise: hand-backward
// A2 − Y = [0.6225 − 1, 0.3775 − 0]; dA1 = W2ᵀ·dZ2 = [−0.3775 + 0.1887, 0.3775 + 0.3775];
// unit 1 is off, so dZ1 = [−0.1887, 0]; dW1 = dZ1·xᵀ with x = [1, 2].
const byHand = {
  dZ2: [-0.3775, 0.3775],
  dZ1: [-0.1887, 0],
  dW1: [[-0.1887, -0.3775], [0, 0]],
} as HandBackward | undefined;
