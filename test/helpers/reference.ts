import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest ancestor of this file holding divlab's package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && JSON.parse(readFileSync(pj, 'utf8')).name === 'divlab') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('test helpers: cannot find the divlab repository root above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/**
 * The shared reference data (../shared/reference/reference.json beside the checkout; DIVLAB_SHARED
 * overrides the shared folder). Fails with a clear message when it is missing.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadReference(): any {
  const shared = process.env.DIVLAB_SHARED ?? resolve(repoRoot(), '..', 'shared');
  const file = join(shared, 'reference', 'reference.json');
  if (!existsSync(file)) {
    throw new Error(`reference data not found at ${file}: the shared/ folder must sit beside the checkout (or set DIVLAB_SHARED)`);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** |a − b| / |b| (absolute difference when b = 0). */
export function relErr(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b);
}
