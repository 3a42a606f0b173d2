import assert from "node:assert/strict";
import { convolve, convolveBackward, outputSide } from "../lib/cnn/convolution.ts";
import { Tensor } from "../lib/cnn/tensor.ts";
import { compareGradients } from "../lib/gradient_check.ts";
import { Random } from "../lib/random.ts";
import { randomTensor, weightedSum } from "./cnn_helpers.ts";
import { assertAllClose } from "./assert.ts";

const X4 = Tensor.image([
  [1, 2, 0, 1],
  [0, 1, 3, 1],
  [2, 0, 1, 0],
  [1, 1, 0, 2],
]);
// Left column minus right column: a vertical-edge detector, not symmetric left to right, so a
// flipped (true) convolution would give the opposite signs.
const EDGE = Tensor.image([
  [1, 0, -1],
  [1, 0, -1],
  [1, 0, -1],
]);
const HALF = new Tensor([1], Float32Array.from([0.5]));

Deno.test("a 3×3 kernel on a 4×4 image, by hand", () => {
  // Each output is b + (sum of the window's left column) − (sum of its right column):
  //   (0, 0): rows 0–2, columns 0–2: (1 + 0 + 2) − (0 + 3 + 1) = −1, + 0.5 = −0.5
  //   (0, 1): rows 0–2, columns 1–3: (2 + 1 + 0) − (1 + 1 + 0) = 1, + 0.5 = 1.5
  //   (1, 0): rows 1–3, columns 0–2: (0 + 2 + 1) − (3 + 1 + 0) = −1, + 0.5 = −0.5
  //   (1, 1): rows 1–3, columns 1–3: (1 + 0 + 1) − (1 + 0 + 2) = −1, + 0.5 = −0.5
  const Z = convolve(X4, EDGE, HALF);
  assert.deepEqual(Z.shape, [1, 1, 2, 2]);
  assert.deepEqual(Z.toImage(), [[-0.5, 1.5], [-0.5, -0.5]]);
});

Deno.test("padding 1 and stride 2, by hand", () => {
  // Side ⌊(4 + 2 − 3) / 2⌋ + 1 = 2. The windows start at rows/columns −1 and 1; row and column
  // −1 are zeros:
  //   (0, 0): rows −1..1, columns −1..1: left column 0, right column 0 + 2 + 1 = 3 → −3 + 0.5
  //   (0, 1): rows −1..1, columns 1..3: left 0 + 2 + 1 = 3, right 0 + 1 + 1 = 2 → 1 + 0.5
  //   (1, 0): rows 1..3, columns −1..1: left 0, right 1 + 0 + 1 = 2 → −2 + 0.5
  //   (1, 1): rows 1..3, columns 1..3: left 1 + 0 + 1 = 2, right 1 + 0 + 2 = 3 → −1 + 0.5
  const Z = convolve(X4, EDGE, HALF, { padding: 1, stride: 2 });
  assert.deepEqual(Z.toImage(), [[-2.5, 1.5], [-1.5, -0.5]]);
});

Deno.test("channels: each output channel sums its kernels over every input channel", () => {
  // Two 2×2 input channels, two 1×1 kernels per output: o0 = 1·c0 + 2·c1, o1 = −1·c0 + 0·c1 + 1.
  const X = new Tensor([1, 2, 2, 2], Float32Array.from([1, 2, 3, 4, 0, 1, 1, 0]));
  const K = new Tensor([2, 2, 1, 1], Float32Array.from([1, 2, -1, 0]));
  const b = new Tensor([2], Float32Array.from([0, 1]));
  const Z = convolve(X, K, b);
  assert.deepEqual(Z.toImage(0, 0), [[1, 4], [5, 4]]);
  assert.deepEqual(Z.toImage(0, 1), [[0, -1], [-2, -3]]);
});

Deno.test("output shapes: ⌊(H + 2p − k) / s⌋ + 1", () => {
  assert.equal(outputSide(28, 5, { padding: 2 }), 28);
  assert.equal(outputSide(14, 5), 10);
  assert.equal(outputSide(7, 3, { stride: 2 }), 3);
  assert.equal(outputSide(28, 5, { padding: 2, stride: 2 }), 14);
  assert.equal(outputSide(8, 3, { stride: 3 }), 2); // positions 0 and 3; 6 would need column 8
  const X = Tensor.zeros([3, 2, 9, 7]);
  const K = Tensor.zeros([4, 2, 3, 3]);
  assert.deepEqual(convolve(X, K, Tensor.zeros([4]), { padding: 1, stride: 2 }).shape, [
    3,
    4,
    5,
    4,
  ]);
  assert.throws(() => outputSide(3, 5), /does not fit/);
  assert.throws(() => outputSide(3, 3, { stride: 0 }), /stride/);
  assert.throws(() => convolve(Tensor.zeros([1, 3, 5, 5]), K, Tensor.zeros([4])), /fit together/);
});

Deno.test("an edge filter finds the edge of a hand-made image, wherever it is", () => {
  // 6×6: columns 0–2 black (0), columns 3–5 white (1). Windows x = 1 and x = 2 straddle the
  // edge: right column white, left column black, so (−1)·0·3 + 1·1·3 = 3; the others see a flat
  // patch and give 0.
  const rows = Array.from({ length: 6 }, () => [0, 0, 0, 1, 1, 1]);
  const vertical = Tensor.image([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]);
  const horizontal = Tensor.image([[-1, -1, -1], [0, 0, 0], [1, 1, 1]]);
  const zero = Tensor.zeros([1]);
  assert.deepEqual(
    convolve(Tensor.image(rows), vertical, zero).toImage(),
    Array(4).fill([0, 3, 3, 0]),
  );
  assert.deepEqual(
    convolve(Tensor.image(rows), horizontal, zero).toImage(),
    Array(4).fill([0, 0, 0, 0]),
  );
  // Move the edge two columns left: the same response, two columns left (weight sharing).
  const shifted = Array.from({ length: 6 }, () => [0, 1, 1, 1, 1, 1]);
  assert.deepEqual(
    convolve(Tensor.image(shifted), vertical, zero).toImage(),
    Array(4).fill([3, 0, 0, 0]),
  );
});

/** L = Σ R ∘ convolve(X, K, b): dZ = R, so the backward pass of R must be L's gradient. */
function checkConvolution(padding: number, stride: number) {
  const random = new Random(5 + padding + 10 * stride);
  const X = randomTensor([2, 2, 6, 5], random);
  const K = randomTensor([3, 2, 3, 3], random);
  const b = randomTensor([3], random);
  const options = { padding, stride };
  const R = randomTensor(convolve(X, K, b, options).shape, random);
  const loss = () => {
    return weightedSum(convolve(X, K, b, options), R);
  };
  const { dX, dK, db } = convolveBackward(R, X, K, options);
  return compareGradients(loss, [
    { name: "X", values: X.data, gradient: dX!.data },
    { name: "K", values: K.data, gradient: dK.data },
    { name: "b", values: b.data, gradient: db.data },
  ]);
}

for (const [padding, stride] of [[0, 1], [1, 1], [2, 2], [1, 3]]) {
  Deno.test(`convolveBackward matches centred differences (padding ${padding}, stride ${stride})`, () => {
    const results = checkConvolution(padding, stride);
    assert.deepEqual(results.map((r) => r.parameter), ["X", "K", "b"]);
    for (const { parameter, relativeError } of results) {
      assert.ok(relativeError < 1e-8, `${parameter}: relative error ${relativeError}`);
    }
  });
}

Deno.test("the gradient check catches a backward pass that forgets the padding offset", () => {
  // A plausible bug: dK computed as if padding were 0 (windows not shifted by −p).
  const random = new Random(11);
  const X = randomTensor([1, 1, 5, 5], random), K = randomTensor([1, 1, 3, 3], random);
  const b = randomTensor([1], random);
  const R = randomTensor([1, 1, 5, 5], random);
  const loss = () => weightedSum(convolve(X, K, b, { padding: 1 }), R);
  const wrong = convolveBackward(
    R,
    new Tensor(
      [1, 1, 7, 7],
      Float64Array.from({ length: 49 }, (_, i) => {
        const u = Math.floor(i / 7), v = i % 7; // X shifted by one pixel instead of padded
        return u < 5 && v < 5 ? X.data[u * 5 + v] : 0;
      }),
    ),
    K,
  );
  const [result] = compareGradients(loss, [{ name: "K", values: K.data, gradient: wrong.dK.data }]);
  assert.ok(result.relativeError > 0.1, `relative error ${result.relativeError}`);
});

Deno.test("for stride 1, dX is a convolution of dZ with the flipped kernels (channels swapped)", () => {
  const random = new Random(3);
  for (const padding of [0, 1, 2]) {
    const X = randomTensor([2, 2, 6, 6], random), K = randomTensor([3, 2, 3, 3], random);
    const dZ = randomTensor(convolve(X, K, Tensor.zeros([3], "f64"), { padding }).shape, random);
    const { dX } = convolveBackward(dZ, X, K, { padding });
    // Kflip[c, o, i, j] = K[o, c, 2 − i, 2 − j]: rotated 180°, input and output swapped.
    const Kflip = Tensor.zeros([2, 3, 3, 3], "f64");
    for (let o = 0; o < 3; o++) {
      for (let c = 0; c < 2; c++) {
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 3; j++) {
            Kflip.data[Kflip.offset(c, o, i, j)] = K.get(o, c, 2 - i, 2 - j);
          }
        }
      }
    }
    const full = convolve(dZ, Kflip, Tensor.zeros([2], "f64"), { padding: 3 - 1 - padding });
    assert.deepEqual(full.shape, dX!.shape);
    assertAllClose(dX!.data, full.data, { absolute: 1e-12 });
  }
});

Deno.test("convolveBackward can skip dX, and refuses a dZ of the wrong shape", () => {
  const X = Tensor.zeros([1, 1, 5, 5]), K = Tensor.zeros([2, 1, 3, 3]);
  assert.equal(convolveBackward(Tensor.zeros([1, 2, 3, 3]), X, K, {}, false).dX, undefined);
  assert.throws(() => convolveBackward(Tensor.zeros([1, 2, 5, 5]), X, K), /does not match/);
});
