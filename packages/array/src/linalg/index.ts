export { lstsq, norm, qr, solve, svd, tsqr, type NormOptions, type SvdOptions } from './linalg';
export { sfqr } from './sfqr';
export { svdCompressed, type SvdCompressedOptions } from './svd-compressed';
export { cholesky, inv, lu, solveTriangular, type CholeskyOptions, type SolveTriangularOptions } from './triangular';
