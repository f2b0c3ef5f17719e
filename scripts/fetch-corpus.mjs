// Fetches the benign corpus: real MCP servers from npm, packed with `npm pack` and extracted into the git-ignored
// .cache/corpus/<name>@<version>/. Versions are pinned so the corpus test is reproducible. Idempotent (a package
// already extracted is not fetched again) and offline-tolerant: a package that cannot be fetched is reported and
// skipped; the script fails only when the cache ends up empty, and the corpus test then skips with a message.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = join(root, '.cache/corpus');

/** The reference MCP servers, pinned to the versions the allowance in test/corpus/allowance.json was made for. */
export const CORPUS = [
  ['@modelcontextprotocol/server-filesystem', '2026.8.31'],
  ['@modelcontextprotocol/server-memory', '2026.8.31'],
  ['@modelcontextprotocol/server-everything', '2026.8.31'],
  ['@modelcontextprotocol/server-github', '2025.4.8'],
  ['@modelcontextprotocol/server-sequential-thinking', '2026.8.31'],
  ['@modelcontextprotocol/server-puppeteer', '2025.5.12'],
  ['@modelcontextprotocol/server-brave-search', '0.6.2'],
  ['@modelcontextprotocol/server-google-maps', '0.6.2'],
  ['@modelcontextprotocol/server-slack', '2025.4.25'],
  ['@modelcontextprotocol/server-postgres', '0.6.2'],
  ['@modelcontextprotocol/server-gitlab', '2025.4.25'],
  ['@modelcontextprotocol/server-redis', '2025.4.25'],
  ['@modelcontextprotocol/server-gdrive', '2025.1.14'],
  ['@modelcontextprotocol/server-aws-kb-retrieval', '0.6.2'],
  ['@modelcontextprotocol/server-everart', '0.6.2'],
];

/** Folder name of one package in the cache: "server-filesystem@2026.8.31". */
const dirName = (name, version) => `${name.replace(/^@[^/]+\//, '')}@${version}`;

mkdirSync(cache, { recursive: true });
let fetched = 0;
let failed = 0;
for (const [name, version] of CORPUS) {
  const dest = join(cache, dirName(name, version));
  if (existsSync(join(dest, 'package/package.json'))) continue;
  const work = mkdtempSync(join(tmpdir(), 'mcp-corpus-'));
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
process.stderr.write(`corpus: ${present.length} package(s) in .cache/corpus (${fetched} fetched now, ${failed} failed)\n`);
if (present.length === 0) process.exitCode = 1;
