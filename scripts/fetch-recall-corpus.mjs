// Fetches the recall corpus: published versions of real MCP servers (and MCP tooling) from npm with publicly
// disclosed vulnerabilities, plus the fixed version of the same package where npm still serves one, packed with
// `npm pack` and extracted into the git-ignored .cache/recall/<name>@<version>/. test/recall/expected.json says
// where each vulnerability is and what the scanner must report there; test/recall/recall.test.ts checks it.
// Same approach as scripts/fetch-corpus.mjs: pinned versions, idempotent (a package already extracted is not
// fetched again), offline-tolerant (a package that cannot be fetched is reported and skipped; the script fails only
// when the cache ends up empty, and the recall test then skips with a message).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = join(root, '.cache/recall');

/**
 * The package versions to fetch, read from test/recall/expected.json so that the list of packages and the
 * expectations about them cannot drift apart.
 */
const expected = JSON.parse(readFileSync(join(root, 'test/recall/expected.json'), 'utf8'));
export const RECALL = expected.packages.map((p) => [p.name, p.version]);

/** Folder name of one package in the cache: "modelcontextprotocol+server-filesystem@2025.3.28" (scope kept). */
const dirName = (name, version) => `${name.replace(/^@/, '').replace('/', '+')}@${version}`;

mkdirSync(cache, { recursive: true });
// Remove what is no longer in the list: the recall test scans each listed folder, and a stale one would only
// waste disk and confuse a reader of the cache.
const wanted = new Set(RECALL.map(([name, version]) => dirName(name, version)));
for (const d of readdirSync(cache, { withFileTypes: true })) {
  if (d.isDirectory() && !wanted.has(d.name)) {
    rmSync(join(cache, d.name), { recursive: true, force: true });
    process.stderr.write(`removed stale ${d.name}\n`);
  }
}
let fetched = 0;
let failed = 0;
for (const [name, version] of RECALL) {
  const dest = join(cache, dirName(name, version));
  if (existsSync(join(dest, 'package/package.json'))) continue;
  const work = mkdtempSync(join(tmpdir(), 'mcp-recall-'));
  try {
    const out = execFileSync('npm', ['pack', `${name}@${version}`, '--json', '--pack-destination', work, '--silent'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    const tarball = join(work, JSON.parse(out)[0].filename);
    const staging = join(work, 'x');
    mkdirSync(staging);
    execFileSync('tar', ['-xzf', tarball, '-C', staging], { stdio: 'ignore' });
    rmSync(dest, { recursive: true, force: true });
    renameSync(staging, dest);
    fetched++;
    process.stderr.write(`fetched ${name}@${version}\n`);
  } catch (e) {
    failed++;
    process.stderr.write(`could not fetch ${name}@${version}: ${String(e.message ?? e).split('\n')[0]}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
const present = readdirSync(cache).filter((d) => existsSync(join(cache, d, 'package/package.json')));
writeFileSync(join(cache, 'manifest.json'), JSON.stringify({ packages: present.sort() }, null, 2) + '\n');
process.stderr.write(`recall: ${present.length} package(s) in .cache/recall (${fetched} fetched now, ${failed} failed)\n`);
if (present.length === 0) process.exitCode = 1;
