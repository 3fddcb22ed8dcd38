/**
 * arethetypeswrong over several tarballs in one process (the CLI loads TypeScript once per
 * tarball, ~5 s of CPU each). Prints one JSON array: per tarball, whether it has types, its
 * problems, and the entry points analysed (for each module resolution attw knows).
 * Usage: node scripts/test/types-wrong.mjs <tarball.tgz>...
 */
import { readFile } from 'node:fs/promises';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';

const reports = [];
for (const file of process.argv.slice(2)) {
  const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(await readFile(file))));
  reports.push({
    file,
    typed: Boolean(analysis.types),
    problems: analysis.types ? analysis.problems : [],
    entrypoints: analysis.types ? Object.keys(analysis.entrypoints) : [],
  });
}
process.stdout.write(JSON.stringify(reports));
