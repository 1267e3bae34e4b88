/**
 * What every bench harness shares: where the repository is, how inputs reach the Python peers
 * (raw little-endian binaries beside a JSON manifest), process CPU time, and where results go.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the harnesses run from build/bench/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Writes a typed array as raw little-endian bytes (numpy: `np.fromfile(file, '<f8')` / `'<f4'`). */
export function writeLittleEndian(file: string, a: Float64Array | Float32Array): void {
  let bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  if (os.endianness() !== 'LE') {
    bytes = Buffer.from(bytes);
    if (a instanceof Float64Array) bytes.swap64();
    else bytes.swap32();
  }
  fs.writeFileSync(file, bytes);
}

/** Process CPU seconds so far (user + system, every thread of the process: workers included). */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** A logger that prefixes each line with `[tag]` on stderr (stdout carries the tables). */
export function logger(tag: string): (msg: string) => void {
  return (msg) => process.stderr.write(`[${tag}] ${msg}\n`);
}

/** Writes bench/results/<stem>.md and <stem>.json. */
export function writeResults(stem: string, md: string, json: unknown): void {
  const dir = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${stem}.md`), md);
  fs.writeFileSync(path.join(dir, `${stem}.json`), JSON.stringify(json, null, 1));
}
