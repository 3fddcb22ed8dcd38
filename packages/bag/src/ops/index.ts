/**
 * Built-in operations of @pdask/bag, importable by worker threads as `@pdask/bag/ops`. Each is
 * registered with core's defineOp under its export name, so the calling thread resolves it without
 * an import and a worker finds it as `module[name]`.
 */
export { BAG_OPS, NO_RESULT, isNoResult } from './spec';
export * from './elementwise';
export * from './reduce';
export * from './shuffle';
export * from './io';
export * from './pipeline';
