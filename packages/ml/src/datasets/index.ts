export { makeBlobs, makeClassification, makeRegression, type MakeBlobsOptions, type MakeClassificationOptions, type MakeRegressionOptions } from './generators';
