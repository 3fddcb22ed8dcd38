export { trainTestSplit, type TrainTestSplitOptions } from './train-test-split';
export { KFold, type Fold, type KFoldOptions } from './kfold';
