/**
 * Real-browser tests of reactive cells (extension/reactive/): a real JupyterLab with the tslab
 * kernel, driven through Chromium with the shared harness (harness.ts). The test notebook is
 * written here (into test-artifacts/browser/reactive/) with reactive mode on in its metadata:
 *
 *   0  // @param n slider(1, 100, 1)      const n = 3;
 *   1  const a = n * 2;                    (uses 0)
 *   2  const unrelated = 7;
 *   3  const b = a + 1;                    (uses 1)
 *   4  const c = unrelated + 1;            (uses 2)
 *   5  if (b > 100) throw …; const d = b;  (uses 3; fails for n ≥ 50)
 *   6  const e = d + 1;                    (uses 5)
 *   7  const unrelated = 8;                (redefines 2's name: both cells report it)
 *
 * Asserted through execution counts (the prompts): moving the slider re-runs exactly cells
 * 0, 1, 3, 5, 6 in that order; an error in 5 stops the chain and marks 6 blocked; in lazy mode the
 * slider marks 0, 1, 3, 5, 6 stale and runs nothing until "Run stale"; editing a cell marks it and
 * its downstream stale; the settings are saved in the notebook metadata; the gutter reports.
 *
 *   node build/test/browser/reactive.js [--counts FILE]
 *
 * Uses the labextension built in dist-ext/labextension/ (put first on JUPYTER_PATH), so a rebuilt
 * extension is tested without reinstalling it into .venv.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ARTIFACTS, ROOT, launchBrowser, openNotebook, prepareWorkDir, runAll, startLab, waitForKernelIdle, type Browser, type Lab } from './harness.js';

const args = process.argv.slice(2);
const countsFile = args.includes('--counts') ? args[args.indexOf('--counts') + 1] : undefined;
let passed = 0, failed = 0;

async function check(name: string, fn: () => Promise<void>): Promise<boolean> {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok - reactive: ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return true;
  } catch (e) {
    failed++;
    console.log(`not ok - reactive: ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    console.log(String((e as Error).stack ?? e).split('\n').slice(0, 10).map((l) => '    ' + l).join('\n'));
    return false;
  }
}

export const REACTIVE_CELLS = [
  '// @param n slider(1, 100, 1)\nconst n = 3;',
  'const a = n * 2;',
  'const unrelated = 7;',
  'const b = a + 1;',
  'const c = unrelated + 1;',
  "if (b > 100) throw new Error('b is too large: ' + b);\nconst d = b;",
  'const e = d + 1;\ne',
  'const unrelated = 8;',
];

function notebookJson(cells: readonly string[], reactive: { enabled: boolean; lazy: boolean }): string {
  return JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
      language_info: { name: 'typescript', file_extension: '.ts' },
      divlab: { reactive },
    },
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
  }, null, 1);
}

/** Execution counts of the code cells (null for an unnumbered prompt). */
async function counts(panel: Locator): Promise<(number | null)[]> {
  return panel.evaluate((root) => Array.from(root.querySelectorAll('.jp-CodeCell')).map((c) => {
    const m = /\[(\d+)\]/.exec(c.querySelector('.jp-InputArea-prompt')?.textContent ?? '');
    return m ? Number(m[1]) : null;
  }));
}

/** Reactive status of the code cells ('fresh' when unmarked). */
async function states(panel: Locator): Promise<string[]> {
  return panel.evaluate((root) => Array.from(root.querySelectorAll('.jp-CodeCell')).map((c) => (c as HTMLElement).dataset.divlabReactive ?? 'fresh'));
}

/** Waits until nothing is queued or running, reactive re-runs included, and the state is stable. */
async function settle(page: Page, panel: Locator, timeoutMs = 60_000): Promise<void> {
  const handle = await panel.elementHandle();
  for (let round = 0; round < 2; round++) {
    await page.waitForTimeout(600);
    await page.waitForFunction((root) => {
      if (!root) return false;
      if (root.querySelector('.jp-CodeCell[data-divlab-reactive="queued"], .jp-CodeCell[data-divlab-reactive="running"]')) return false;
      return !Array.from(root.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')).some((p) => (p.textContent ?? '').includes('*'));
    }, handle, { timeout: timeoutMs, polling: 100 });
  }
  await waitForKernelIdle(page, panel, timeoutMs);
}

/** Moves the @param slider of code cell `cell` to `value` as a user would (input, then change). */
async function slide(panel: Locator, cell: number, name: string, value: number): Promise<void> {
  const input = panel.locator('.jp-CodeCell').nth(cell).locator(`.jp-DivlabReactive-param[data-param="${name}"] input[type="range"]`);
  await input.waitFor({ timeout: 30_000 });
  await input.evaluate((el, v) => {
    (el as HTMLInputElement).value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

async function cellSource(panel: Locator, cell: number): Promise<string> {
  return (await panel.locator('.jp-CodeCell').nth(cell).locator('.cm-content').innerText()).replace(/\u00a0/g, ' ');
}

const rerun = (before: (number | null)[], after: (number | null)[]): number[] =>
  after.flatMap((c, i) => (c !== before[i] ? [i] : []));

async function main(): Promise<void> {
  const work = prepareWorkDir(['notebooks/reactive-tour.ipynb'], 'reactive');
  const nbName = 'reactive-test.ipynb';
  writeFileSync(join(work, nbName), notebookJson(REACTIVE_CELLS, { enabled: true, lazy: false }));
  writeFileSync(join(work, 'reactive-off.ipynb'), notebookJson(REACTIVE_CELLS, { enabled: false, lazy: false }));
  // The extension under test: the current build, first on JUPYTER_PATH.
  const env: Record<string, string> = { DIVLAB_QUICK: '1' };
  const built = join(ROOT, 'dist-ext', 'labextension');
  if (existsSync(join(built, 'package.json'))) {
    const jp = join(ARTIFACTS, 'browser', 'reactive-jupyter-path');
    rmSync(jp, { recursive: true, force: true });
    mkdirSync(join(jp, 'labextensions'), { recursive: true });
    cpSync(built, join(jp, 'labextensions', 'divlab'), { recursive: true });
    env.JUPYTER_PATH = jp;
  }
  let lab: Lab | undefined;
  let browser: Browser | undefined;
  try {
    lab = await startLab({ root: work, env });
    browser = await launchBrowser();
    const page = await browser.newPage();
    // (JupyterLab's debugger sidebar logs "No active debugger session" for tslab kernels: not ours.)
    page.on('pageerror', (e) => { if (!/No active debugger session/.test(e.message)) console.log(`    [page error] ${e.message}`); });
    // The TypeScript compiler is its own chunk of the labextension: find its file name.
    const staticDir = join(env.JUPYTER_PATH ?? join(ROOT, '.venv', 'share', 'jupyter'), 'labextensions', 'divlab', 'static');
    const tsChunk = readdirSync(staticDir).find((f) => f.endsWith('.js') && statSync(join(staticDir, f)).size > 1e6
      && readFileSync(join(staticDir, f), 'utf8').includes('versionMajorMinor'));
    const fetched: string[] = [];
    page.on('request', (r) => { fetched.push(r.url()); });

    await check('reactive mode off: TypeScript is not loaded; the toolbar toggle loads it and turns the notebook reactive', async () => {
      assert.ok(tsChunk, `no TypeScript chunk in ${staticDir}`);
      const off = await openNotebook(page, lab!, 'reactive-off.ipynb');
      await page.waitForTimeout(1500);
      assert.equal(await off.locator('.jp-DivlabReactive-params, .jp-DivlabReactive-report').count(), 0);
      assert.equal(fetched.filter((u) => u.includes(tsChunk!)).length, 0, 'the TypeScript chunk was fetched with reactive mode off');
      await off.locator('input.jp-DivlabReactive-enabled').check();
      await off.locator('.jp-DivlabReactive-param[data-param="n"] input[type="range"]').waitFor({ timeout: 60_000 });
      assert.equal(fetched.filter((u) => u.includes(tsChunk!)).length, 1, 'the TypeScript chunk is fetched once, on demand');
      await off.locator('.jp-CodeCell').nth(2).locator('.jp-InputArea-prompt').click();
      await page.keyboard.press('Control+s');
      await page.waitForFunction(() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty'), undefined, { timeout: 20_000 });
      const saved = JSON.parse(readFileSync(join(work, 'reactive-off.ipynb'), 'utf8')) as { metadata: { divlab?: { reactive?: unknown } } };
      assert.deepEqual(saved.metadata.divlab?.reactive, { enabled: true, lazy: false }, 'the toggle is remembered in the notebook metadata');
    });

    const panel = await openNotebook(page, lab, nbName);

    await check('reactive mode from the notebook metadata: TypeScript loads, the slider and the gutter reports appear', async () => {
      await panel.locator('.jp-DivlabReactive-param[data-param="n"] input[type="range"]').waitFor({ timeout: 60_000 });
      assert.equal(await panel.locator('input.jp-DivlabReactive-enabled').isChecked(), true);
      assert.equal(await panel.locator('input.jp-DivlabReactive-lazy').isChecked(), false);
      const report = (i: number) => panel.locator('.jp-CodeCell').nth(i).locator('.jp-DivlabReactive-report').innerText();
      assert.match(await report(7), /unrelated is also defined in cell 3/);
      assert.match(await report(2), /unrelated is redefined in cell 8/);
      assert.equal(await panel.locator('.jp-CodeCell').nth(1).locator('.jp-DivlabReactive-report').count(), 0);
    });

    let base: (number | null)[] = [];
    await check('Run All runs every cell once: no reactive re-run on top', async () => {
      await runAll(page, panel);
      await settle(page, panel);
      await page.waitForTimeout(1000);
      await settle(page, panel);
      base = await counts(panel);
      assert.ok(base.every((c) => c !== null), `unnumbered cells after Run All: ${JSON.stringify(base)}`);
      const sorted = [...(base as number[])].sort((x, y) => x - y);
      assert.deepEqual(base, sorted, 'cells ran in notebook order');
      assert.equal(new Set(base).size, base.length);
      assert.equal(base[7]! - base[0]!, 7, `each cell ran exactly once: ${JSON.stringify(base)}`);
      assert.deepEqual(await states(panel), Array(8).fill('fresh'));
    });

    await check('moving the n slider rewrites the literal and re-runs exactly its dependents (0, 1, 3, 5, 6), in order', async () => {
      const before = await counts(panel);
      await slide(panel, 0, 'n', 4);
      await page.waitForFunction((el) => /\[\d+\]/.test(el?.textContent ?? '') && el?.textContent !== (el as HTMLElement).dataset.before,
        await panel.locator('.jp-CodeCell').nth(0).locator('.jp-InputArea-prompt').evaluateHandle((p) => { (p as HTMLElement).dataset.before = p.textContent ?? ''; return p; }),
        { timeout: 30_000 }).catch(() => undefined);
      await settle(page, panel);
      const after = await counts(panel);
      assert.deepEqual(rerun(before, after), [0, 1, 3, 5, 6], `before ${JSON.stringify(before)} after ${JSON.stringify(after)}`);
      const order = [0, 1, 3, 5, 6].map((i) => after[i]!);
      assert.deepEqual(order, [...order].sort((x, y) => x - y), 'in notebook order');
      assert.equal(order[4]! - order[0]!, 4, 'one run each');
      assert.match(await cellSource(panel, 0), /const n = 4;/);
      const out = await panel.locator('.jp-CodeCell').nth(6).locator('.jp-OutputArea-output').innerText();
      assert.match(out, /\b10\b/, `e = 4·2 + 1 + 1 = 10, got ${out}`);
      assert.deepEqual(await states(panel), Array(8).fill('fresh'));
    });

    await check('an error stops the chain: cell 5 fails, cell 6 does not run and is marked blocked', async () => {
      const before = await counts(panel);
      await slide(panel, 0, 'n', 60); // b = 121 > 100
      await page.waitForFunction((root) => !!root?.querySelector('.jp-CodeCell[data-divlab-reactive="blocked"]'), await panel.elementHandle(), { timeout: 30_000 });
      await settle(page, panel);
      const after = await counts(panel);
      const ran = rerun(before, after);
      assert.deepEqual(ran.filter((i) => i !== 5), [0, 1, 3], `re-ran ${JSON.stringify(ran)}`);
      assert.equal(after[6], before[6], 'cell 6 must not run after the error');
      const st = await states(panel);
      assert.equal(st[5], 'error');
      assert.equal(st[6], 'blocked');
      assert.deepEqual([st[0], st[1], st[2], st[3], st[4], st[7]], Array(6).fill('fresh'));
      assert.match(await panel.locator('.jp-CodeCell').nth(5).innerText(), /b is too large: 121/);
    });

    await check('lazy mode: the slider marks 0, 1, 3, 5, 6 stale and runs nothing; "Run stale" runs exactly them', async () => {
      await panel.locator('input.jp-DivlabReactive-lazy').check();
      await page.waitForTimeout(300);
      const before = await counts(panel);
      await slide(panel, 0, 'n', 5);
      await page.waitForFunction((root) => (root?.querySelectorAll('.jp-CodeCell[data-divlab-reactive="stale"]').length ?? 0) >= 5, await panel.elementHandle(), { timeout: 30_000 });
      await page.waitForTimeout(1500);
      assert.deepEqual(await counts(panel), before, 'lazy mode must not run anything');
      assert.deepEqual(await states(panel), ['stale', 'stale', 'fresh', 'stale', 'fresh', 'stale', 'stale', 'fresh']);
      assert.match(await cellSource(panel, 0), /const n = 5;/);
      assert.match(await panel.locator('button.jp-DivlabReactive-runStale').innerText(), /Run stale \(5\)/);
      mkdirSync(join(ARTIFACTS, 'screenshots'), { recursive: true });
      await panel.screenshot({ path: join(ARTIFACTS, 'screenshots', 'reactive-lazy-stale.png') });
      await panel.locator('button.jp-DivlabReactive-runStale').click();
      await settle(page, panel);
      const after = await counts(panel);
      assert.deepEqual(rerun(before, after), [0, 1, 3, 5, 6]);
      assert.deepEqual(await states(panel), Array(8).fill('fresh'));
      const out = await panel.locator('.jp-CodeCell').nth(6).locator('.jp-OutputArea-output').innerText();
      assert.match(out, /\b12\b/, `e = 5·2 + 1 + 1 = 12, got ${out}`);
    });

    await check('lazy mode: running a cell by hand marks its dependents stale without running them', async () => {
      const before = await counts(panel);
      await panel.locator('.jp-CodeCell').nth(2).locator('.jp-InputArea-prompt').click();
      await page.keyboard.press('Control+Enter');
      await page.waitForFunction((root) => (root?.querySelectorAll('.jp-CodeCell[data-divlab-reactive="stale"]').length ?? 0) >= 2, await panel.elementHandle(), { timeout: 30_000 });
      await settle(page, panel);
      const after = await counts(panel);
      assert.deepEqual(rerun(before, after), [2]);
      assert.deepEqual(await states(panel), ['fresh', 'fresh', 'fresh', 'fresh', 'stale', 'fresh', 'fresh', 'stale'],
        'cell 4 reads unrelated from cell 2; cell 7 redefines it');
    });

    await check('editing a cell without running it marks it and its downstream stale; settings are saved in the metadata', async () => {
      await panel.locator('input.jp-DivlabReactive-lazy').uncheck();
      await panel.locator('button.jp-DivlabReactive-runStale').click();
      await settle(page, panel);
      assert.deepEqual(await states(panel), Array(8).fill('fresh'));
      const before = await counts(panel);
      const editor = panel.locator('.jp-CodeCell').nth(1).locator('.cm-content');
      await editor.click();
      await page.keyboard.press('End');
      await page.keyboard.type(' // edited');
      await page.keyboard.press('Escape');
      await page.waitForFunction((root) => (root?.querySelectorAll('.jp-CodeCell[data-divlab-reactive="stale"]').length ?? 0) >= 4, await panel.elementHandle(), { timeout: 30_000 });
      assert.deepEqual(await states(panel), ['fresh', 'stale', 'fresh', 'stale', 'fresh', 'stale', 'stale', 'fresh']);
      assert.deepEqual(await counts(panel), before, 'an edit runs nothing');
      await panel.locator('input.jp-DivlabReactive-lazy').check();
      // Save (Ctrl+S with a prompt focused: the harness's saveNotebook clicks into cell 0, where the slider is).
      await panel.locator('.jp-CodeCell').nth(2).locator('.jp-InputArea-prompt').click();
      await page.keyboard.press('Control+s');
      await page.waitForFunction(() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty'), undefined, { timeout: 20_000 });
      const saved = JSON.parse(readFileSync(join(work, nbName), 'utf8')) as { metadata: { divlab?: { reactive?: unknown } } };
      assert.deepEqual(saved.metadata.divlab?.reactive, { enabled: true, lazy: true });
      await panel.locator('input.jp-DivlabReactive-enabled').uncheck();
      await page.waitForFunction((root) => !root?.querySelector('[data-divlab-reactive], .jp-DivlabReactive-params, .jp-DivlabReactive-report'), await panel.elementHandle(), { timeout: 10_000 });
    });

    await check('the tour (notebooks/reactive-tour.ipynb): the h slider re-runs the KDE cells, not the k-NN cell; n re-runs both', async () => {
      const tour = await openNotebook(page, lab!, 'reactive-tour.ipynb');
      await tour.locator('.jp-DivlabReactive-param[data-param="h"] input[type="range"]').waitFor({ timeout: 60_000 });
      await runAll(page, tour);
      await settle(page, tour, 120_000);
      const base = await counts(tour);
      if (!base.every((c) => c !== null)) {
        const errs = await tour.locator('.jp-CodeCell .jp-OutputArea-output').allInnerTexts();
        assert.fail(`the tour did not run through: ${JSON.stringify(base)}; outputs: ${errs.join(' | ').slice(0, 600)}`);
      }
      // code cells: 0 setup, 1 parameters, 2 truth, 3 samples, 4 KDE, 5 k-NN, 6 comparison, 7 sweep
      await slide(tour, 1, 'h', 0.5);
      await page.waitForTimeout(500);
      await settle(page, tour, 120_000);
      const afterH = await counts(tour);
      assert.deepEqual(rerun(base, afterH), [1, 4, 6, 7], `h: before ${JSON.stringify(base)} after ${JSON.stringify(afterH)}`);
      assert.match(await tour.locator('.jp-CodeCell').nth(6).locator('.jp-OutputArea-output').first().innerText(), /h = 0\.5/);
      await slide(tour, 1, 'n', 600);
      await page.waitForTimeout(500);
      await settle(page, tour, 120_000);
      const afterN = await counts(tour);
      assert.deepEqual(rerun(afterH, afterN), [1, 3, 4, 5, 6, 7], `n: before ${JSON.stringify(afterH)} after ${JSON.stringify(afterN)}`);
      assert.deepEqual(await states(tour), Array(8).fill('fresh'));
      mkdirSync(join(ARTIFACTS, 'screenshots'), { recursive: true });
      await tour.locator('.jp-CodeCell').nth(1).screenshot({ path: join(ARTIFACTS, 'screenshots', 'reactive-tour-params.png') });
    });

    await check('restarting the kernel marks every code cell stale', async () => {
      const tour = page.locator('.jp-NotebookPanel:visible').first();
      await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Kernel$/ }).click();
      await page.locator('.lm-Menu-itemLabel', { hasText: /^Restart Kernel…$/ }).click();
      await page.locator('.jp-Dialog-button.jp-mod-accept').click();
      await page.waitForFunction((root) => (root?.querySelectorAll('.jp-CodeCell[data-divlab-reactive="stale"]').length ?? 0) === 8, await tour.elementHandle(), { timeout: 30_000 });
      assert.deepEqual(await states(tour), Array(8).fill('stale'));
    });
  } catch (e) {
    failed++;
    console.log(`not ok - reactive: set-up: ${(e as Error).message}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await lab?.stop().catch(() => undefined);
  }
  console.log(`browser (reactive): pass ${passed}, fail ${failed}`);
  if (countsFile) writeFileSync(countsFile, JSON.stringify({ passed, failed }));
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

void main();
