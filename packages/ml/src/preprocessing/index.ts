export { StandardScaler, type StandardScalerOptions } from './standard-scaler';
export { MinMaxScaler, type MinMaxScalerOptions } from './min-max-scaler';
export { OneHotEncoder, type OneHotEncoderOptions } from './one-hot-encoder';
export { OrdinalEncoder, type OrdinalEncoderOptions } from './ordinal-encoder';
export { LabelEncoder, type Label } from './label-encoder';
export { Categorizer, DummyEncoder, type CategorizerOptions, type DummyEncoderOptions } from './dummy-encoder';
export { PolynomialFeatures, type PolynomialFeaturesOptions } from './polynomial-features';
export { RobustScaler, type RobustScalerOptions } from './robust-scaler';
export { QuantileTransformer, type QuantileTransformerOptions } from './quantile-transformer';
export { SimpleImputer, type SimpleImputerOptions } from './simple-imputer';
export type { Category } from './names';
import type { OutDtype as BlockDtype } from './runtime';
// A type alias declared here, not a re-export: tsup's declaration bundle turned the re-export of a
// type living in the ops chunk into `typeof OutDtype`, which strict consumers reject.
export type OutDtype = BlockDtype;
