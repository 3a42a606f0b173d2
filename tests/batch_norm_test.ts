import assert from "node:assert/strict";
import { batchNormBackward, batchNormForward, initBatchNorm } from "../lib/batch_norm.ts";
import { compareGradients } from "../lib/gradient_check.ts";
import { crossEntropyLoss, oneHot } from "../lib/loss.ts";
import { Matrix } from "../lib/matrix.ts";
import { Random } from "../lib/random.ts";
import { softmax } from "../lib/softmax.ts";
import { assertAllClose, assertClose } from "./assert.ts";

function randomMatrix(rows: number, cols: number, seed: number, scale = 1, shift = 0): Matrix {
  const random = new Random(seed);
  const M = Matrix.zeros(rows, cols, "f64");
  for (let i = 0; i < M.data.length; i++) M.data[i] = shift + scale * random.normal();
  return M;
}

/** Mean and (biased) variance of each row. */
function rowMoments(M: Matrix): { mean: number[]; variance: number[] } {
  const rows = M.toArray();
  const mean = rows.map((row) => row.reduce((a, b) => a + b, 0) / row.length);
  const variance = rows.map((row, i) =>
    row.reduce((a, b) => a + (b - mean[i]) ** 2, 0) / row.length
  );
  return { mean, variance };
}

Deno.test("forward by hand: [1, 2, 3] becomes [−√1.5, 0, √1.5], then γ·X̂ + β", () => {
  const bn = initBatchNorm(2, { epsilon: 0, precision: "f64" });
  const X = Matrix.from([[1, 2, 3], [-4, -4, 8]], "f64");
  // Row 2: μ = 0, σ² = 32, so X̂ = [−4, −4, 8]/√32 = [−1/√2, −1/√2, √2].
  assertAllClose(batchNormForward(bn, X).out.toArray(), [
    [-Math.sqrt(1.5), 0, Math.sqrt(1.5)],
    [-Math.SQRT1_2, -Math.SQRT1_2, Math.SQRT2],
  ], { absolute: 1e-12 });
  bn.gamma.data.set([2, -1]);
  bn.beta.data.set([3, 0.5]);
  assertAllClose(batchNormForward(bn, X).out.toArray(), [
    [3 - 2 * Math.sqrt(1.5), 3, 3 + 2 * Math.sqrt(1.5)],
    [0.5 + Math.SQRT1_2, 0.5 + Math.SQRT1_2, 0.5 - Math.SQRT2],
  ], { absolute: 1e-12 });
});

Deno.test("training output has mean 0 and variance 1 per unit before γ and β, whatever X's scale", () => {
  // Units with very different scales and offsets: the first layers of a badly initialised net.
  const X = randomMatrix(4, 64, 1);
  [0.001, 1, 50, 1e4].forEach((scale, i) => {
    for (let j = 0; j < 64; j++) X.data[i * 64 + j] = 7 * i + scale * X.data[i * 64 + j];
  });
  const bn = initBatchNorm(4, { precision: "f64" });
  const { out, cache } = batchNormForward(bn, X);
  const { mean, variance } = rowMoments(out);
  mean.forEach((mu) => assertClose(mu, 0, { absolute: 1e-12 }));
  // ε = 1e-5 is not negligible next to the first unit's σ² = 1e-6: its variance is σ²/(σ² + ε).
  const sigma2 = rowMoments(X).variance;
  variance.forEach((v, i) => assertClose(v, sigma2[i] / (sigma2[i] + 1e-5), { relative: 1e-10 }));
  assert.ok(variance[1] > 0.9999 && variance[3] > 0.9999999);
  assertAllClose(cache!.Xhat.data, out.data); // γ = 1, β = 0: out is X̂
});

Deno.test("running statistics: exponential averages of μ and the unbiased σ², used in eval mode", () => {
  const bn = initBatchNorm(1, { momentum: 0.8, epsilon: 0, precision: "f64" });
  batchNormForward(bn, Matrix.from([[0, 4]], "f64")); // μ = 2, unbiased σ² = 8
  assertClose(bn.runningMean[0], 0.2 * 2, { absolute: 1e-12 });
  assertClose(bn.runningVariance[0], 0.8 * 1 + 0.2 * 8, { absolute: 1e-12 });
  batchNormForward(bn, Matrix.from([[1, 1, 4]], "f64")); // μ = 2, unbiased σ² = 3
  const mean = 0.8 * 0.4 + 0.2 * 2, variance = 0.8 * 2.4 + 0.2 * 3;
  assertClose(bn.runningMean[0], mean, { absolute: 1e-12 });
  assertClose(bn.runningVariance[0], variance, { absolute: 1e-12 });
  bn.gamma.data[0] = 3;
  bn.beta.data[0] = -1;
  // Eval mode: one sample is enough, the running values are used and left unchanged.
  const { out, cache } = batchNormForward(bn, Matrix.from([[5]], "f64"), { mode: "eval" });
  assertClose(out.get(0, 0), 3 * (5 - mean) / Math.sqrt(variance) - 1, { absolute: 1e-12 });
  assert.equal(cache, undefined);
  assertClose(bn.runningMean[0], mean, { absolute: 1e-12 });
});

Deno.test("backward agrees with centred differences (Float64), through softmax cross-entropy", () => {
  const units = 3, m = 5;
  const X = randomMatrix(units, m, 2, 2, 0.5);
  const bn = initBatchNorm(units, { precision: "f64" });
  bn.gamma.data.set([1.5, -0.7, 0.9]);
  bn.beta.data.set([0.2, 0, -0.4]);
  const Y = oneHot([0, 2, 1, 1, 0], units, "f64");
  const loss = () => crossEntropyLoss(softmax(batchNormForward(bn, X).out), Y);
  const { out, cache } = batchNormForward(bn, X);
  // dL/dout for mean cross-entropy over softmax: (A − Y)/m.
  const A = softmax(out);
  const dout = Matrix.zeros(units, m, "f64");
  for (let k = 0; k < dout.data.length; k++) dout.data[k] = (A.data[k] - Y.data[k]) / m;
  const { dX, dgamma, dbeta } = batchNormBackward(cache!, dout);
  const results = compareGradients(loss, [
    { name: "X", values: X.data, gradient: dX.data },
    { name: "γ", values: bn.gamma.data, gradient: dgamma.data },
    { name: "β", values: bn.beta.data, gradient: dbeta.data },
  ]);
  for (const r of results) assert.ok(r.relativeError < 1e-7, `${r.parameter}: ${r.relativeError}`);
  // Every row of dX sums to 0: adding a constant to a unit's inputs changes nothing.
  for (let i = 0; i < units; i++) {
    assertClose(dX.toArray()[i].reduce((a, b) => a + b, 0), 0, { absolute: 1e-15 });
  }
});

Deno.test("the gradient check catches a backward pass that forgets the paths through μ and σ²", () => {
  const X = randomMatrix(2, 6, 3);
  const bn = initBatchNorm(2, { precision: "f64" });
  const R = randomMatrix(2, 6, 4); // L = Σ R ∘ out, so dout = R
  const loss = () => {
    const { out } = batchNormForward(bn, X);
    return Array.from(out.data).reduce((sum, v, k) => sum + v * R.data[k], 0);
  };
  const { cache } = batchNormForward(bn, X);
  const right = batchNormBackward(cache!, R).dX;
  // As if μ and σ² were constants: dX = γ·dout/√(σ² + ε).
  const naive = Matrix.zeros(2, 6, "f64");
  for (let k = 0; k < 12; k++) naive.data[k] = R.data[k] * cache!.inverseStd[Math.floor(k / 6)];
  const [good] = compareGradients(loss, [{ name: "X", values: X.data, gradient: right.data }]);
  const [bad] = compareGradients(loss, [{ name: "X", values: X.data, gradient: naive.data }]);
  assert.ok(good.relativeError < 1e-7, `${good.relativeError}`);
  assert.ok(bad.relativeError > 0.1, `${bad.relativeError}`);
});

Deno.test("Float32 in, Float32 out; bad shapes and a batch of one are refused", () => {
  const bn = initBatchNorm(2);
  const { out, cache } = batchNormForward(bn, Matrix.from([[1, 2], [3, 5]]));
  assert.ok(out.data instanceof Float32Array);
  assert.ok(
    batchNormBackward(cache!, Matrix.from([[1, 0], [0, 1]])).dX.data instanceof Float32Array,
  );
  assert.throws(() => batchNormForward(bn, Matrix.zeros(3, 4)), /X has 3 rows, γ has 2/);
  assert.throws(() => batchNormForward(bn, Matrix.zeros(2, 1)), /at least 2, got 1/);
  assert.throws(() => batchNormBackward(cache!, Matrix.zeros(2, 3)), /dout is 2×3/);
});
