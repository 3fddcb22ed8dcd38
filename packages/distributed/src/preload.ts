/**
 * Preload modules (Dask's `--preload`): imported when a scheduler or worker starts, for set-up
 * code that must run in that process (registering operations, opening connections, globals that
 * tasks read). A module may export `pdaskSetup(server)`, called once the server is listening, and
 * `pdaskTeardown(server)`, called when it closes (Dask's `dask_setup` / `dask_teardown`).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PreloadModule<S> {
  pdaskSetup?: (server: S) => unknown;
  pdaskTeardown?: (server: S) => unknown;
}

/**
 * Turns what the user typed into something `import()` finds from anywhere: a file path (relative
 * to `cwd`) becomes a file URL, a package name is resolved from `cwd` (not from pdask's own
 * location, where the user's packages are not installed).
 */
export function resolvePreload(spec: string, cwd = process.cwd()): string {
  if (/^(file|data|node):/.test(spec)) return spec;
  const path = isAbsolute(spec) ? spec : resolve(cwd, spec);
  if (spec.startsWith('.') || isAbsolute(spec) || existsSync(path)) return pathToFileURL(path).href;
  try {
    return pathToFileURL(createRequire(resolve(cwd, 'preload.cjs')).resolve(spec)).href;
  } catch {
    // ESM-only packages have no `require` condition; import() may still find them.
    return spec;
  }
}

export class Preloads<S> {
  private constructor(
    private readonly modules: { spec: string; mod: PreloadModule<S> }[],
  ) {}

  /** Imports every module now, so that a missing or broken one stops start-up with its name. */
  static async load<S>(specs: readonly string[] | undefined): Promise<Preloads<S>> {
    const modules: { spec: string; mod: PreloadModule<S> }[] = [];
    for (const spec of specs ?? []) {
      let mod: PreloadModule<S>;
      try {
        mod = (await import(/* @vite-ignore */ spec)) as PreloadModule<S>;
      } catch (e) {
        throw new Error(`Cannot load the preload module '${spec}': ${(e as Error).message}`);
      }
      for (const hook of ['pdaskSetup', 'pdaskTeardown'] as const) {
        if (mod[hook] !== undefined && typeof mod[hook] !== 'function') throw new Error(`The preload module '${spec}' exports '${hook}', but not as a function`);
      }
      modules.push({ spec, mod });
    }
    return new Preloads(modules);
  }

  async setup(server: S): Promise<void> {
    for (const { spec, mod } of this.modules) {
      try {
        await mod.pdaskSetup?.(server);
      } catch (e) {
        throw new Error(`pdaskSetup of the preload module '${spec}' failed: ${(e as Error).message}`);
      }
    }
  }

  /** In reverse order, like nested set-ups; a failing teardown does not stop the others. */
  async teardown(server: S, log?: (line: string) => void): Promise<void> {
    for (const { spec, mod } of [...this.modules].reverse()) {
      try {
        await mod.pdaskTeardown?.(server);
      } catch (e) {
        log?.(`pdaskTeardown of the preload module '${spec}' failed: ${(e as Error).message}`);
      }
    }
  }
}
