export { accuracyScore } from './classification';
export { meanAbsoluteError, meanSquaredError, r2Score } from './regression';
