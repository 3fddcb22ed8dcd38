export { KMeans, type KMeansInit, type KMeansOptions } from './kmeans';
export { MiniBatchKMeans, type MiniBatchKMeansInit, type MiniBatchKMeansOptions } from './minibatch-kmeans';
