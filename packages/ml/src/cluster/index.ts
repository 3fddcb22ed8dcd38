export { KMeans, type KMeansInit, type KMeansOptions } from './kmeans';
