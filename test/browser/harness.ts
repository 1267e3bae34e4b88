/**
 * Real-browser test harness for divlab: a real `jupyter lab` (from the repo's .venv, with the divlab
 * labextension pip-installed by scripts/setup.sh) on a loopback port with a token, driven through
 * Debian's Chromium (/usr/bin/chromium) with playwright-core. Reusable helpers:
 *
 *   const work = prepareWorkDir(['notebooks/a.ipynb', …]);     // copies into test-artifacts/browser/work
 *   const lab = await startLab({ root: work, env: { DIVLAB_QUICK: '1' } });
 *   const browser = await launchBrowser();
 *   const page = await browser.newPage();
 *   const nb = await openNotebook(page, lab, 'a.ipynb');
 *   await runAll(page, nb); await waitForKernelIdle(page, nb);
 *   const widgets = await findWidgets(nb);                      // every divlab output
 *   …; await browser.close(); await lab.stop();
 *
 * Notebooks run from copies in test-artifacts/browser/work/ (inside the checkout, so tslab resolves
 * `divlab` by walking up node_modules; JupyterLab may autosave there without touching the sources).
 * Nothing here downloads anything: no `playwright install`, no video.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, lstatSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** The repository root (found by walking up to package.json named divlab). */
export const ROOT = ((): string => {
  let d = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'kernel-lib'))) return d;
    const up = dirname(d);
    if (up === d) throw new Error('browser harness: repository root not found above ' + fileURLToPath(import.meta.url));
    d = up;
  }
})();

export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CHROMIUM = process.env.DIVLAB_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

/** The notebooks the browser stage runs: every notebooks/*.ipynb, in name order. */
export function projectNotebooks(): string[] {
  const dir = join(ROOT, 'notebooks');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => join(dir, f));
}

/**
 * A fresh work directory test-artifacts/browser/<name>/ holding copies of `notebooks` (absolute or
 * repo-relative paths), with `node_modules/divlab` linked to the checkout beside it (for tslab's
 * type checker, in case the checkout's own node_modules/divlab link is missing).
 */
export function prepareWorkDir(notebooks: readonly string[], name = 'work'): string {
  const base = join(ARTIFACTS, 'browser');
  const work = join(base, name);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const nm = join(base, 'node_modules');
  mkdirSync(nm, { recursive: true });
  const link = join(nm, 'divlab');
  let ok = false;
  try { ok = lstatSync(link).isSymbolicLink(); } catch { ok = false; }
  if (!ok) { rmSync(link, { recursive: true, force: true }); symlinkSync(ROOT, link); }
  for (const nb of notebooks) copyFileSync(resolve(ROOT, nb), join(work, basename(nb)));
  return work;
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => res(port));
    });
  });
}

export interface Lab {
  readonly url: string;
  readonly token: string;
  readonly root: string;
  readonly log: string;
  /** `${url}/lab/tree/${path}?reset&token=…` */
  treeUrl(path: string): string;
  stop(): Promise<void>;
}

/**
 * Starts `jupyter lab` from .venv on 127.0.0.1 with a random token, serving `root`; `env` joins
 * the environment of the server and so of the kernels it starts (e.g. DIVLAB_QUICK=1). Waits until
 * /api/status answers (up to `timeoutMs`). Its log goes to test-artifacts/browser/lab-<port>.log.
 */
export async function startLab(opts: { root: string; env?: Record<string, string>; timeoutMs?: number }): Promise<Lab> {
  const jupyter = join(ROOT, '.venv', 'bin', 'jupyter');
  if (!existsSync(jupyter)) throw new Error(`${jupyter} is missing: run scripts/setup.sh (npm test does) first`);
  const port = await freePort();
  const token = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  mkdirSync(join(ARTIFACTS, 'browser'), { recursive: true });
  const log = join(ARTIFACTS, 'browser', `lab-${port}.log`);
  const out = openSync(log, 'w');
  const home = mkdtempSync(join(tmpdir(), 'divlab-lab-home-'));
  // No "get notified about Jupyter news?" toast over the widgets in screenshots.
  mkdirSync(join(home, 'settings', '@jupyterlab', 'apputils-extension'), { recursive: true });
  writeFileSync(join(home, 'settings', '@jupyterlab', 'apputils-extension', 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false', checkForUpdates: false }));
  const args = [
    'lab', '--no-browser', '--allow-root', `--ServerApp.ip=127.0.0.1`, `--ServerApp.port=${port}`, '--ServerApp.port_retries=0',
    `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${opts.root}`, '--ServerApp.disable_check_xsrf=False',
    '--LabApp.news_url=', '--LabServerApp.workspaces_dir=' + join(home, 'workspaces'), '--LabServerApp.user_settings_dir=' + join(home, 'settings'),
  ];
  const child: ChildProcess = spawn(jupyter, args, {
    cwd: opts.root,
    env: { ...process.env, ...opts.env, JUPYTER_CONFIG_DIR: join(home, 'config'), JUPYTER_RUNTIME_DIR: join(home, 'runtime'), PATH: `${join(ROOT, '.venv', 'bin')}:${process.env.PATH ?? ''}` },
    stdio: ['ignore', out, out],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let exited = false;
  child.on('exit', () => { exited = true; });
  for (;;) {
    if (exited) throw new Error(`jupyter lab exited during start-up; see ${log}`);
    try {
      const r = await fetch(`${url}/api/status?token=${token}`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) { try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ } throw new Error(`jupyter lab did not answer within ${opts.timeoutMs ?? 60_000} ms; see ${log}`); }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url, token, root: opts.root, log,
    treeUrl: (path: string) => `${url}/lab/tree/${path.split('/').map(encodeURIComponent).join('/')}?reset&token=${token}`,
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { return; } // the whole group: server and kernels
      const t = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 8000);
      await gone;
      clearTimeout(t);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Headless Chromium (Debian's) in a fresh profile. */
export async function launchBrowser(opts: { width?: number; height?: number } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (scripts/setup.sh does it in CI)`);
  const profile = mkdtempSync(join(tmpdir(), 'divlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
  });
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens a notebook (path relative to the lab's root) and returns its visible notebook panel. */
export async function openNotebook(page: Page, lab: Lab, path: string, timeoutMs = 60_000): Promise<Locator> {
  await page.goto(lab.treeUrl(path), { timeout: timeoutMs });
  const panel = page.locator('.jp-NotebookPanel:visible').first();
  await panel.waitFor({ state: 'visible', timeout: timeoutMs });
  await panel.locator('.jp-Cell').first().waitFor({ timeout: timeoutMs });
  await waitForKernelReady(page, timeoutMs);
  return panel;
}

/** Waits until the kernel of the visible notebook is connected and idle (toolbar status). */
export async function waitForKernelReady(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(() => {
    const ind = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator') as HTMLElement | null;
    const status = ind?.getAttribute('data-status');
    return status === 'idle';
  }, undefined, { timeout: timeoutMs, polling: 200 });
}

/**
 * Runs every cell of the notebook (JupyterLab's "Run All Cells", through the Run menu) and waits
 * until the run has started (a code cell shows `[*]` or a number); clicks again once if it has not
 * after 15 s (a busy machine can swallow the first click while the page settles).
 */
export async function runAll(page: Page, panel: Locator): Promise<void> {
  const handle = await panel.elementHandle();
  for (let attempt = 0; attempt < 2; attempt++) {
    await panel.locator('.jp-Cell').first().click();
    await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
    try {
      await page.waitForFunction((root) => !!root && Array.from(root.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt'))
        .some((p) => /\[(\*|\d+)\]/.test(p.textContent ?? '')), handle, { timeout: 15_000, polling: 100 });
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error('Run All Cells did not start any cell');
}

/**
 * Waits until no cell of the panel is queued or running (`[*]`) and the kernel is idle again.
 * tslab stops a "Run All" at the first failing cell: the cells after it stay unnumbered.
 */
export async function waitForKernelIdle(page: Page, panel: Locator, timeoutMs = 120_000): Promise<void> {
  await page.waitForTimeout(300);
  const handle = await panel.elementHandle();
  await page.waitForFunction((root) => {
    if (!root) return false;
    const prompts = Array.from(root.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')).map((p) => p.textContent ?? '');
    if (prompts.some((t) => t.includes('*'))) return false;
    const ind = root.querySelector('.jp-Notebook-ExecutionIndicator');
    return !ind || ind.getAttribute('data-status') === 'idle';
  }, handle, { timeout: timeoutMs, polling: 250 });
}

export interface CellReport {
  readonly index: number;
  readonly prompt: string;
  /** Text of stderr streams and error outputs (tslab reports cell exceptions on stderr). */
  readonly errors: string;
}

/** Every code cell's prompt and error text (stderr / error outputs). */
export async function cellReports(panel: Locator): Promise<CellReport[]> {
  return panel.evaluate((root) => Array.from(root.querySelectorAll('.jp-CodeCell')).map((c, index) => ({
    index,
    prompt: c.querySelector('.jp-InputArea-prompt')?.textContent ?? '',
    errors: Array.from(c.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')).map((o) => o.textContent ?? '').join('\n'),
  })));
}

export interface WidgetInfo {
  readonly index: number;
  readonly kind: string | null;
  /** A plotly plot with at least one trace was drawn. */
  readonly plotted: boolean;
  /** The error panel is shown. */
  readonly error: boolean;
  readonly errorText: string;
  readonly traces: number;
  readonly controls: string[];
}

/** The divlab outputs (`.jp-DivlabOutput`) of a panel. */
export function widgets(panel: Locator): Locator {
  return panel.locator('.jp-DivlabOutput');
}

/** What each divlab output of the panel shows. */
export async function findWidgets(panel: Locator): Promise<WidgetInfo[]> {
  return panel.evaluate((root) => Array.from(root.querySelectorAll('.jp-DivlabOutput')).map((w, index) => {
    const plot = w.querySelector('.jp-DivlabOutput-plot') as (HTMLElement & { data?: unknown[] }) | null;
    const traces = Array.isArray(plot?.data) ? plot!.data!.length : 0;
    return {
      index,
      kind: (w as HTMLElement).dataset.divlabKind ?? null,
      plotted: w.classList.contains('jp-DivlabOutput-plotted') && !!plot?.querySelector('.main-svg') && traces > 0,
      error: !!w.querySelector('.jp-DivlabOutput-errorPanel'),
      errorText: w.querySelector('.jp-DivlabOutput-errorPanel')?.textContent ?? '',
      traces,
      controls: Array.from(w.querySelectorAll('input[data-control]')).map((i) => (i as HTMLInputElement).dataset.control ?? ''),
    };
  }));
}

/** Waits until every divlab output of the panel is either plotted or an error panel. */
export async function waitForWidgets(page: Page, panel: Locator, timeoutMs = 60_000): Promise<void> {
  const handle = await panel.elementHandle();
  await page.waitForFunction((root) => {
    if (!root) return false;
    return Array.from(root.querySelectorAll('.jp-DivlabOutput')).every((w) => w.querySelector('.jp-DivlabOutput-errorPanel') ||
      (w.querySelector('.jp-DivlabOutput-plot .main-svg') && ((w.querySelector('.jp-DivlabOutput-plot') as HTMLElement & { data?: unknown[] }).data?.length ?? 0) > 0));
  }, handle, { timeout: timeoutMs, polling: 250 });
}

/**
 * Moves a widget's slider to `position` (as a user dragging it) and waits for the redraw; returns
 * the widget's timings (ms) from its data attributes.
 */
export async function moveSlider(widget: Locator, control: string, position: number, timeoutMs = 30_000): Promise<{ redrawMs: number; computeMs: number; drawMs: number; where: string; answerMs: number }> {
  const before = Number(await widget.getAttribute('data-divlab-redraws') ?? '0');
  await widget.locator(`input[data-control="${control}"]`).evaluate((input, pos) => {
    (input as HTMLInputElement).value = String(pos);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, position);
  await widget.page().waitForFunction(([w, n]) => Number((w as HTMLElement).dataset.divlabRedraws ?? '0') > (n as number) && !(w as HTMLElement).dataset.divlabPending,
    [await widget.elementHandle(), before] as const, { timeout: timeoutMs, polling: 'raf' });
  const d = await widget.evaluate((w) => ({ ...(w as HTMLElement).dataset }));
  return { redrawMs: Number(d.divlabRedrawMs), computeMs: Number(d.divlabComputeMs), drawMs: Number(d.divlabDrawMs), where: String(d.divlabWhere), answerMs: Number(d.divlabAnswerMs) };
}

/** The traces' data of a widget's plot (x and y arrays), for before/after comparisons. */
export async function plotData(widget: Locator): Promise<unknown> {
  return widget.locator('.jp-DivlabOutput-plot').evaluate((p) => ((p as HTMLElement & { data?: { x?: unknown; y?: unknown; name?: unknown }[] }).data ?? []).map((t) => ({ name: t.name, x: t.x, y: t.y })));
}

/** Saves the visible notebook (Ctrl+S) and waits for the dirty mark to clear. */
export async function saveNotebook(page: Page, panel: Locator): Promise<void> {
  await panel.locator('.jp-Cell').first().click();
  await page.keyboard.press('Control+s');
  await page.waitForFunction(() => !document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-mod-dirty, .lm-TabBar-tab.jp-mod-current.jp-mod-dirty'), undefined, { timeout: 20_000 });
}
