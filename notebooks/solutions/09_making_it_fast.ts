// Solutions of notebook 9's exercises (see notebooks/README.md, "Exercises").

// %% exercise: sparse-flops
const sparseFlops = 2 * 128 * XSparse.nonZeros as number | undefined; // a multiply and an add per unit and pixel

// %% exercise: loop-order
function matmulKIJ(A: Matrix, B: Matrix): Matrix {
  const C = Matrix.zeros(A.rows, B.cols);
  for (let k = 0; k < A.cols; k++) {
    for (let i = 0; i < A.rows; i++) {
      const aik = A.get(i, k);
      for (let j = 0; j < B.cols; j++) C.data[i * B.cols + j] += aik * B.get(k, j);
    }
  }
  return C;
}
