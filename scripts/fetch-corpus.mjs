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
  // Popular third-party servers (TypeScript/JavaScript), as published: compiled JS in dist/ or build/, written by
  // people who never saw this scanner. Versions were the current ones on npm when the triage in
  // test/corpus/TRIAGE.md was made; bump a version only together with a new triage.
  ['@playwright/mcp', '0.0.83'],
  ['@upstash/context7-mcp', '4.1.1'],
  ['firecrawl-mcp', '3.26.0'],
  ['@notionhq/notion-mcp-server', '2.5.2'],
  ['@supabase/mcp-server-supabase', '0.13.0'],
  ['mcp-server-kubernetes', '4.1.7'],
  ['@browserbasehq/mcp-server-browserbase', '2.4.3'],
  ['exa-mcp-server', '3.4.1'],
  ['tavily-mcp', '0.2.22'],
  ['@heroku/mcp-server', '1.2.8'],
  ['@cloudflare/mcp-server-cloudflare', '0.2.0'],
  ['@sentry/mcp-server', '0.39.0'],
  ['@stripe/mcp', '0.3.3'],
  ['mongodb-mcp-server', '3.0.4'],
  ['@agentdeskai/browser-tools-mcp', '2.0.2'],
  ['@executeautomation/playwright-mcp-server', '1.0.12'],
  ['@kimtaeyoon83/mcp-server-youtube-transcript', '0.1.1'],
  ['mcp-remote', '0.15.1'],
  ['@wonderwhy-er/desktop-commander', '0.2.52'],
  ['@benborla29/mcp-server-mysql', '2.0.9'],
  ['@hubspot/mcp-server', '0.4.0'],
  ['@translated/lara-mcp', '1.0.6'],
  ['@21st-dev/magic', '0.2.3'],
  ['@gongrzhe/server-gmail-autoauth-mcp', '1.1.11'],
  ['@zereight/mcp-gitlab', '2.1.64'],
  ['@aashari/mcp-server-atlassian-jira', '3.3.0'],
  ['mcp-server-code-runner', '0.1.8'],
  ['figma-developer-mcp', '0.13.2'],
  ['@shopify/dev-mcp', '1.16.0'],
];

/**
 * Folder name of one package in the cache: "modelcontextprotocol+server-filesystem@2026.8.31". The scope stays in
 * the name because different scopes publish the same package name (@heroku/mcp-server, @sentry/mcp-server).
 */
const dirName = (name, version) => `${name.replace(/^@/, '').replace('/', '+')}@${version}`;

mkdirSync(cache, { recursive: true });
// Remove what is no longer in the list (an older version, a dropped package): the corpus test scans every folder
// in the cache, so a stale folder would be scanned twice over and its findings checked against the wrong triage.
const wanted = new Set(CORPUS.map(([name, version]) => dirName(name, version)));
for (const d of readdirSync(cache, { withFileTypes: true })) {
  if (d.isDirectory() && !wanted.has(d.name)) {
    rmSync(join(cache, d.name), { recursive: true, force: true });
    process.stderr.write(`removed stale ${d.name}\n`);
  }
}
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
