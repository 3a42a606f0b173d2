// Solutions of notebook 1's exercises (see notebooks/README.md, "Exercises").

// %% exercise: least-common
const leastCommon = counts.indexOf(Math.min(...counts)) as number | undefined; // the shortest bar

// %% exercise: pixel-at
function pixelAt(dataset: Dataset, index: number, row: number, column: number): number {
  return dataset.images[index * PIXELS + row * IMAGE_SIDE + column];
}
