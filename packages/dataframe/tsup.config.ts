import { collectionBuild } from '../../tsup.collection';

const base = collectionBuild({ 'web-worker': 'src/web-worker.ts' }) as Exclude<ReturnType<typeof collectionBuild>, unknown[] | ((...a: never[]) => unknown)>;

/**
 * The collection build, plus the browser stand-in for `#glob` (package.json `imports`); the `#`
 * imports stay imports in dist, so that each bundler or Node picks its target by condition.
 */
export default {
  ...base,
  entry: { ...(base.entry as Record<string, string>), 'no-glob': 'src/io/no-glob.ts' },
  external: ['#glob', '#csv-parse-sync'],
};
