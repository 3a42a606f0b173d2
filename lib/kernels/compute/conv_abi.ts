/**
 * The convolutional network's kernels (lib/cnn/): their part of the {@link ./abi.ts} interface,
 * implemented by wasm/assembly/conv.ts and {@link ./typescript_conv.ts}. Layouts follow
 * lib/cnn/tensor.ts, one sample after another: sample j's maps are C×H×W floats from
 * `X + j·C·H·W·4`. A convolution runs as im2col then a product: cols[j] (R×P, R = C·k·k rows
 * (c, i, jj), P = H′·W′ columns (y, x)) holds the input pixel each kernel weight meets at each
 * output position, so that Z[j] (O×P) = K (O×R)·cols[j]. Stride 1 (the course's network).
 *
 * Every kernel computes the rows [from, to) of its output and nothing else: samples, except
 * `convolutionKernelGradient`, whose rows are output channels summed over every sample in a
 * fixed order. So threads split rows, never sums, and results do not depend on their number.
 *
 * @module
 */

/** The convolutional network's kernels; pointers are byte offsets into the shared memory. */
export interface ConvKernels {
  /** X[j, p] = scale[images[order[j]·n + p]] (f32) for the `n` pixels of each sample. */
  loadPixels(
    from: number,
    to: number,
    images: number,
    order: number,
    n: number,
    scale: number,
    X: number,
  ): void;
  /** cols[j] (C·k·k × H′·W′) from X[j] (C×H×W) padded by `padding` zeros (see the module doc). */
  im2col(
    from: number,
    to: number,
    C: number,
    H: number,
    W: number,
    k: number,
    padding: number,
    X: number,
    cols: number,
  ): void;
  /** A[j] (O×P) = g(K (O×R)·cols[j] (R×P) + b), b added to every column. */
  convolutionLayer(
    from: number,
    to: number,
    O: number,
    R: number,
    P: number,
    K: number,
    b: number,
    cols: number,
    A: number,
    activation: number,
  ): void;
  /**
   * size×size max pooling of A[j] (C×H×W) into P[j] (C×⌊H/s⌋×⌊W/s⌋), and argmax[j] (i32): the
   * offset within A[j] of each maximum (the first one in reading order on ties).
   */
  maxPool(
    from: number,
    to: number,
    C: number,
    H: number,
    W: number,
    size: number,
    A: number,
    P: number,
    argmax: number,
  ): void;
  /**
   * Back through ReLU then max pooling: dZ[j] (C×H×W) is zero except at each tile's argmax,
   * which gets dP[j]'s element where A > 0 (ReLU′(Z) = 1 exactly where A = ReLU(Z) > 0).
   */
  maxPoolReluBackward(
    from: number,
    to: number,
    C: number,
    H: number,
    W: number,
    size: number,
    A: number,
    argmax: number,
    dP: number,
    dZ: number,
  ): void;
  /** out[j, u] = g(b[u] + Σᵢ W[u, i]·X[j, i]): W (width×inputs), a dense layer per sample. */
  denseLayer(
    from: number,
    to: number,
    inputs: number,
    width: number,
    X: number,
    W: number,
    b: number,
    out: number,
    activation: number,
  ): void;
  /** out[j, i] = Σᵤ dZ[j, u]·W[u, i]: (dZ·W)ᵀ's rows, W (rows×width); dF = W3ᵀ·dZ3 per sample. */
  denseInputGradient(
    from: number,
    to: number,
    rows: number,
    width: number,
    dZ: number,
    W: number,
    out: number,
  ): void;
  /** dcols[j] (R×P) = Kᵀ·dZ[j]: dcols[j, r, p] = Σₒ K[o, r]·dZ[j, o, p], K (O×R). */
  convolutionInputGradient(
    from: number,
    to: number,
    O: number,
    R: number,
    P: number,
    K: number,
    dZ: number,
    dcols: number,
  ): void;
  /** The adjoint of im2col: dX[j] (C×H×W) = the sum of dcols[j]'s entries at each pixel. */
  col2im(
    from: number,
    to: number,
    C: number,
    H: number,
    W: number,
    k: number,
    padding: number,
    dcols: number,
    dX: number,
  ): void;
  /**
   * For the output channels o in [from, to), over the m samples in order:
   * dK[o, r] = Σⱼ Σₚ dZ[j, o, p]·cols[j, r, p] and db[o] = Σⱼ Σₚ dZ[j, o, p].
   */
  convolutionKernelGradient(
    from: number,
    to: number,
    m: number,
    O: number,
    R: number,
    P: number,
    dZ: number,
    cols: number,
    dK: number,
    db: number,
  ): void;
}
