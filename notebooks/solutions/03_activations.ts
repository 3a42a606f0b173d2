// Solutions of notebook 3's exercises (see notebooks/README.md, "Exercises").

// %% exercise: numerical-derivative
function numericalDerivative(g: (z: number) => number, z: number): number {
  const h = 1e-5;
  return (g(z + h) - g(z - h)) / (2 * h);
}

// %% exercise: dead-units
function deadUnits(Z1: Matrix): number {
  let dead = 0;
  for (let i = 0; i < Z1.rows; i++) if (Z1.row(i).every((z) => z <= 0)) dead += 1;
  return dead;
}

// %% exercise: five-layer-factor
const fiveLayerFactor = 0.25 ** 5 as number | undefined; // σ′(0) = 0.25, once per layer
