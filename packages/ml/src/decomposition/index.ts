export { PCA, type PCAOptions, type PCASolver } from './pca';
export { TruncatedSVD, type TruncatedSVDOptions } from './truncated-svd';
export { IncrementalPCA, type IncrementalPCAOptions } from './incremental-pca';
