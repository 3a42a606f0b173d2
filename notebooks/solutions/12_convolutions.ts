// Solutions to notebook 12's exercises, one percent block per exercise id (see notebooks/README.md).

// %% exercise: output-size
function outputSize(side: number, kernel: number, padding: number, stride: number): number | undefined {
  return Math.floor((side + 2 * padding - kernel) / stride) + 1;
}

// %% exercise: convolve-2d
function convolve2d(image: number[][], kernel: number[][]): number[][] | undefined {
  const k = kernel.length;
  const rows = image.length - k + 1, cols = image[0].length - k + 1;
  return Array.from({ length: rows }, (_, y) =>
    Array.from({ length: cols }, (_, x) => {
      let sum = 0;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) sum += kernel[i][j] * image[y + i][x + j];
      }
      return sum;
    }));
}

// %% exercise: max-pool-backward
function poolBackward(A: number[][], dP: number[][]): number[][] | undefined {
  const dA = A.map((row) => row.map(() => 0));
  dP.forEach((row, y) =>
    row.forEach((gradient, x) => {
      // The first maximum of tile (y, x) in reading order, as the forward pass picked it.
      let best = [2 * y, 2 * x];
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) {
          if (A[2 * y + i][2 * x + j] > A[best[0]][best[1]]) best = [2 * y + i, 2 * x + j];
        }
      }
      dA[best[0]][best[1]] = gradient;
    })
  );
  return dA;
}
