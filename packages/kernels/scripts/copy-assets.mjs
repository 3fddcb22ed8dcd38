// After tsup: the binaries that the package exports for loading by URL
// (`@pdask/kernels/kernels.wasm`, `@pdask/kernels/kernels-shared.wasm`), which the loader also reads
// (Node) or fetches (browsers) for a shared memory when `@pdask/kernels/shared` was not imported,
// and the declaration TypeScript resolves for those subpaths.
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const f of ['kernels.wasm', 'kernels-shared.wasm']) cpSync(join(pkg, 'src/generated', f), join(pkg, 'dist/generated', f));
for (const ext of ['d.ts', 'd.cts']) cpSync(join(pkg, 'src/wasm.d.ts'), join(pkg, `dist/generated/wasm.${ext}`));
