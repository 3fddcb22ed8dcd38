export { StandardScaler, type StandardScalerOptions } from './standard-scaler';
export { MinMaxScaler, type MinMaxScalerOptions } from './min-max-scaler';
