export { lstsq, norm, qr, solve, svd, tsqr, type NormOptions } from './linalg';
