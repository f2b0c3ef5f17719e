// Fills a git-ignored cache folder with pinned npm packages, unpacked: what the benign corpus and the recall
// benchmark scan. Idempotent (a package already extracted is not fetched again), offline-tolerant (a package that
// cannot be fetched is reported and skipped; the caller fails only when the cache ends up empty, and the tests that
// read it then skip with a message), and it prunes folders no longer listed so nothing stale is scanned.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Folder name of one package in the cache: "modelcontextprotocol+server-filesystem@2026.8.31". The scope stays in
 * the name because different scopes publish the same package name (@heroku/mcp-server, @sentry/mcp-server).
 */
export const dirName = (name, version) => `${name.replace(/^@/, '').replace('/', '+')}@${version}`;

/**
 * Packs and extracts every `[name, version]` into `cache/<dirName>/package/`, writes `cache/manifest.json`, prints
 * a summary line starting with `label`, and sets a failing exit code when no package is present.
 */
export function fillNpmCache(cache, packages, label) {
  mkdirSync(cache, { recursive: true });
  const wanted = new Set(packages.map(([name, version]) => dirName(name, version)));
  for (const d of readdirSync(cache, { withFileTypes: true })) {
    if (d.isDirectory() && !wanted.has(d.name)) {
      rmSync(join(cache, d.name), { recursive: true, force: true });
      process.stderr.write(`removed stale ${d.name}\n`);
    }
  }
  let fetched = 0;
  let failed = 0;
  for (const [name, version] of packages) {
    const dest = join(cache, dirName(name, version));
    if (existsSync(join(dest, 'package/package.json'))) continue;
    const work = mkdtempSync(join(tmpdir(), 'mcp-sentinel-pack-'));
    try {
      const out = execFileSync(
        'npm',
        ['pack', `${name}@${version}`, '--json', '--pack-destination', work, '--silent'],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 120_000,
        },
      );
      const tarball = join(work, JSON.parse(out)[0].filename);
      // Extract into a staging folder and rename, so an interrupted run never leaves a half-extracted package.
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
  process.stderr.write(
    `${label}: ${present.length} package(s) in ${cache} (${fetched} fetched now, ${failed} failed)\n`,
  );
  if (present.length === 0) process.exitCode = 1;
}
