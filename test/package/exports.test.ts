/**
 * Every estimator family folder (kernel-lib/<family>/index.ts) is reachable the three ways a user
 * reaches it: as a namespace of the root module (kernel-lib/index.ts), as a deep import
 * `divlab/<family>` through package.json "exports" (import and require conditions), and through
 * "typesVersions" for TypeScript's node10 resolution (tslab). A new family that forgets one of
 * them fails here rather than in a user's notebook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/reference.js';

const root = repoRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const families = readdirSync(join(root, 'kernel-lib'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(root, 'kernel-lib', e.name, 'index.ts')))
  .map((e) => e.name)
  .sort();

test('kernel-lib has family folders', () => {
  assert.ok(families.includes('knn') && families.length >= 5, `families: ${families.join(', ')}`);
});

for (const family of families) {
  test(`family ${family}: root namespace, exports (import + require), typesVersions`, () => {
    const index = readFileSync(join(root, 'kernel-lib', 'index.ts'), 'utf8');
    assert.match(index, new RegExp(`export \\* as ${family} from '\\./${family}/index\\.js';`), `kernel-lib/index.ts does not export ${family}`);
    const entry = pkg.exports[`./${family}`];
    assert.ok(entry, `package.json exports lacks "./${family}"`);
    assert.equal(entry.import.default, `./dist/esm/${family}/index.js`);
    assert.equal(entry.import.types, `./dist/types/${family}/index.d.ts`);
    assert.equal(entry.require.default, `./dist/cjs/${family}/index.js`);
    assert.equal(entry.require.types, `./dist/cjs/${family}/index.d.ts`);
    assert.deepEqual(pkg.typesVersions['*'][family], [`dist/types/${family}/index.d.ts`]);
  });
}
