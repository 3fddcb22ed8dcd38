/**
 * A script that computes on the threads scheduler and never closes the pool exits by itself, as
 * a Python script using Dask's threads does: an idle pool must not keep Node's event loop alive.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const core = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '../dist/index.js')).href;

function runScript(body: string): { status: number | null; stdout: string; stderr: string } {
  const code = `import { delayed } from '${core}';\n${body}`;
  // A pool that keeps the process alive shows as a timeout: status null.
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 45_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('an idle thread pool does not keep the process alive', () => {
  it('exits after a compute on threads, without closeThreadPools', () => {
    const r = runScript(`const d = delayed((a, b) => a + b)(20, 22);\nconsole.log(await d.compute({ scheduler: 'threads' }));`);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('42');
    expect(r.status).toBe(0);
  });

  it('exits after several computes, the pool reused between them', () => {
    const r = runScript(
      `const inc = delayed((x) => x + 1);\nlet total = 0;\nfor (let i = 0; i < 5; i++) total += await inc(i).compute({ scheduler: 'threads' });\nconsole.log(total);`,
    );
    expect(r.stdout.trim()).toBe(String(1 + 2 + 3 + 4 + 5));
    expect(r.status).toBe(0);
  });
});
