/** What every built-in operation of @pdask/dataframe shares. */
export const DF_OPS = '@pdask/dataframe/ops';

/**
 * The column that holds a partition's index labels (group keys, column names of a reduction),
 * when it has one. Frames built from data have no index column: their labels are row positions.
 */
export const INDEX_COLUMN = '__pdask_index__';
