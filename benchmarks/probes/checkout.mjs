// The built dataframe and core packages of a checkout, for the probes that A/B two builds by
// running alternately with each tree's path.
export async function checkoutModules(tree, usage) {
  if (!tree) throw new Error(`usage: ${usage}`);
  const { fromColumns } = await import(`${tree}/packages/dataframe/dist/index.js`);
  const { closeThreadPools } = await import(`${tree}/packages/core/dist/index.js`);
  return { fromColumns, closeThreadPools };
}
