// The recall benchmark: published npm versions of MCP servers with publicly disclosed vulnerabilities
// (scripts/fetch-recall-corpus.mjs), scanned with every built-in rule. Each vulnerable location listed in
// test/recall/expected.json must be reported by one of its acceptable rules, with a range that overlaps the
// location's code; fixed versions must not be reported at the fixed code. Prints recall = found / expected.
// Skipped (never passed silently) when the cache is empty.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import type { Finding } from '../../shared/types';
import { DEFAULT_SKIP_DIRS } from '../../server/discovery/discover';
import { runScan } from '../../server/cli/scan';
import { scanDocument } from '../../server/engine/project';
import { ROOT } from '../cli/helpers';

/** One vulnerable location the scanner must report. */
interface Expected {
  /** Short stable name used in messages and RESULTS.md. */
  id: string;
  /** File relative to the package folder (e.g. "package/dist/index.js"). */
  file: string;
  /** Code that occurs exactly once in the file; a matching finding must overlap it. */
  snippet: string;
  /** The canonical category the finding must carry. */
  category: string;
  /** Rule ids that may report it. */
  rules: string[];
  /** Why the scanner misses it today: the miss is counted but does not fail the test. */
  knownMiss?: string;
}

/** A location changed by a fix, and what the scanner must do there. */
interface FixedLocation {
  /** File relative to the package folder. */
  file: string;
  /** Code that occurs exactly once in the file. */
  snippet: string;
  /** Rules whose findings are checked. */
  rules: string[];
  /** "absent": no finding of those rules may overlap the snippet; "may-stay": either outcome is right. */
  expect: 'absent' | 'may-stay';
  /** Why a finding may stay. */
  reason?: string;
}

/** One package version of the benchmark. */
interface PackageEntry {
  /** npm package name. */
  name: string;
  /** Pinned version. */
  version: string;
  /** CVE or GHSA ids. */
  advisories: string[];
  /** What the vulnerability (or the fix) is, in one or two sentences. */
  summary: string;
  /** Vulnerable locations (vulnerable versions). */
  expect?: Expected[];
  /** Locations changed by the fix (fixed versions). */
  fixed?: FixedLocation[];
  /** Rules that must not report anywhere in the package (fixed versions). */
  noFindings?: string[];
  /** Why a vulnerable version is not counted (not a fit for the scanner's definitions). */
  outOfScope?: string;
}

const cache = join(ROOT, '.cache/recall');
const entries = (
  JSON.parse(readFileSync(join(ROOT, 'test/recall/expected.json'), 'utf8')) as { packages: PackageEntry[] }
).packages;
const dirName = (p: PackageEntry): string => `${p.name.replace(/^@/, '').replace('/', '+')}@${p.version}`;
const present = entries.filter((p) => existsSync(join(cache, dirName(p), 'package/package.json')));

/** UTF-16 offset of a zero-based line/character position. */
function offsetOf(lineStarts: number[], pos: { line: number; character: number }): number {
  return (lineStarts[pos.line] ?? 0) + pos.character;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** The [start, end) offsets of a snippet that must occur exactly once in the file. */
function locate(text: string, snippet: string, where: string): [number, number] {
  const at = text.indexOf(snippet);
  assert.ok(at >= 0, `snippet not found in ${where}: ${snippet}`);
  assert.equal(text.indexOf(snippet, at + 1), -1, `snippet occurs more than once in ${where}: ${snippet}`);
  return [at, at + snippet.length];
}

describe('recall on real vulnerable MCP servers', () => {
  test('every disclosed vulnerability is reported at its location, fixed versions are not', async (t) => {
    if (present.length === 0) {
      t.skip('recall corpus not fetched: run `npm run recall` (needs the npm registry once; then works offline)');
      return;
    }
    for (const p of entries) {
      assert.ok(
        p.name && p.version && p.advisories?.length && p.summary,
        `entry needs name, version, advisories, summary: ${p.name}`,
      );
      for (const e of p.expect ?? [])
        assert.ok(
          e.id && e.file && e.snippet && e.category && e.rules.length,
          `incomplete expectation in ${p.name}@${p.version}`,
        );
    }
    const missing = entries.filter((p) => !present.includes(p)).map(dirName);
    if (missing.length) t.diagnostic(`not fetched (skipped): ${missing.join(', ')}`);
    // Published packages keep their code in dist/ or build/, and the repository's .gitignore ignores .cache/:
    // walk what npm ships, as the benign corpus test does.
    const discovery = { skipDirs: DEFAULT_SKIP_DIRS.filter((d) => d !== 'dist' && d !== 'build'), gitignore: false };
    // A generous per-file budget: a loaded machine must not turn a slow file into a missed finding.
    const outcome = await runScan({
      paths: present.map((p) => join(cache, dirName(p))),
      cwd: cache,
      discovery,
      timeoutMs: 600_000,
    });
    assert.deepEqual(
      outcome.errors.map((e) => `${e.ruleId} on ${e.file}: ${e.message}`),
      [],
      'no rule may throw on real code',
    );
    const byFile = new Map<string, Finding[]>();
    // Finding paths are relative to the scan root (the packages' common folder): key them by path in the cache.
    const inCache = (f: Finding): string => relative(cache, join(outcome.report.root, f.file)).split('\\').join('/');
    for (const f of outcome.findings) byFile.set(inCache(f), [...(byFile.get(inCache(f)) ?? []), f]);
    const texts = new Map<string, { text: string; starts: number[] }>();
    const fileOf = (p: PackageEntry, file: string): { text: string; starts: number[] } => {
      const rel = `${dirName(p)}/${file}`;
      let t0 = texts.get(rel);
      if (!t0) {
        const text = readFileSync(join(cache, rel), 'utf8');
        t0 = { text, starts: lineStartsOf(text) };
        texts.set(rel, t0);
      }
      return t0;
    };
    /** Findings of the given rules in a package file whose range overlaps the snippet. */
    const overlapping = (p: PackageEntry, file: string, snippet: string, rules: string[]): Finding[] => {
      const { text, starts } = fileOf(p, file);
      const [from, to] = locate(text, snippet, `${dirName(p)}/${file}`);
      const inside = (r: Finding['range']) => offsetOf(starts, r.start) < to && offsetOf(starts, r.end) > from;
      // A cross-file flow is reported at the sink in the helper file; a hop of it (a related location) at the
      // expected code counts too: the finding shows the vulnerable call as a step of the flow.
      const hop = (f: Finding) =>
        (f.related ?? []).some(
          (r) =>
            inCache({ ...f, file: r.file }) === `${dirName(p)}/${file}` &&
            offsetOf(starts, r.range.start) >= from &&
            offsetOf(starts, r.range.start) < to,
        );
      return outcome.findings.filter(
        (f) => rules.includes(f.ruleId) && ((inCache(f) === `${dirName(p)}/${file}` && inside(f.range)) || hop(f)),
      );
    };

    let expected = 0;
    let found = 0;
    let engineOnly = 0;
    const failures: string[] = [];
    for (const p of present) {
      const label = `${p.name}@${p.version} (${p.advisories.join(', ')})`;
      // Every finding in the package, so a reader sees what else the scanner reported next to the expectation.
      const all = outcome.findings.filter((f) => inCache(f).startsWith(`${dirName(p)}/`));
      t.diagnostic(
        `${label}: ${all.length} finding(s)${all.length ? ': ' : ''}${all.map((f) => `${f.ruleId} ${inCache(f).slice(dirName(p).length + 1)}:${f.range.start.line + 1}`).join('; ')}`,
      );
      // Files discovery or the engine did not scan (minified bundles, oversize files): a miss there is not a rule's.
      const skipped = outcome.report.skipped.filter((k) =>
        relative(cache, join(outcome.report.root, k.file))
          .split('\\')
          .join('/')
          .startsWith(`${dirName(p)}/`),
      );
      if (skipped.length)
        t.diagnostic(
          `${label}: skipped ${skipped.map((k) => `${k.file.slice(k.file.indexOf('/package/') + 1)} (${k.reason})`).join('; ')}`,
        );
      if (p.outOfScope) {
        t.diagnostic(`out of scope, not counted: ${label}`);
        continue;
      }
      for (const e of p.expect ?? []) {
        expected++;
        const hits = overlapping(p, e.file, e.snippet, e.rules).filter((f) => f.category === e.category);
        if (hits.length > 0) {
          found++;
          t.diagnostic(
            `found  ${label} ${e.id}: ${hits.map((f) => `${f.ruleId} at ${f.range.start.line + 1}:${f.range.start.character + 1}`).join(', ')}`,
          );
          if (e.knownMiss) failures.push(`${label} ${e.id} is found now: remove its knownMiss`);
        } else {
          t.diagnostic(`MISSED ${label} ${e.id}${e.knownMiss ? ` (known: ${e.knownMiss})` : ''}`);
          // A file discovery skipped (minified bundle) is scanned here directly, to tell a discovery miss from an
          // engine miss; this engine-level result is printed, not counted in the recall above.
          const rel = `${dirName(p)}/${e.file}`;
          if (
            outcome.report.skipped.some(
              (k) => relative(cache, join(outcome.report.root, k.file)).split('\\').join('/') === rel,
            )
          ) {
            const { text, starts } = fileOf(p, e.file);
            const [from, to] = locate(text, e.snippet, rel);
            const direct = scanDocument(outcome.project, rel, text).findings.filter(
              (f) =>
                e.rules.includes(f.ruleId) &&
                offsetOf(starts, f.range.start) < to &&
                offsetOf(starts, f.range.end) > from,
            );
            if (direct.length) engineOnly++;
            t.diagnostic(
              `       engine on the skipped file: ${direct.length ? direct.map((f) => `${f.ruleId} at ${f.range.start.line + 1}:${f.range.start.character + 1}`).join(', ') : 'no finding either'}`,
            );
          }
          if (!e.knownMiss)
            failures.push(`${label} ${e.id}: no ${e.rules.join('/')} finding on \`${e.snippet}\` in ${e.file}`);
        }
      }
      for (const fx of p.fixed ?? []) {
        const hits = overlapping(p, fx.file, fx.snippet, fx.rules);
        t.diagnostic(
          `fixed  ${label} at \`${fx.snippet}\`: ${hits.length ? hits.map((f) => f.ruleId).join(', ') : 'no finding'}`,
        );
        if (fx.expect === 'absent' && hits.length)
          failures.push(
            `${label}: the fixed code \`${fx.snippet}\` is still reported by ${hits.map((f) => f.ruleId).join(', ')}`,
          );
      }
      const banned = outcome.findings.filter(
        (f) => inCache(f).startsWith(`${dirName(p)}/`) && (p.noFindings ?? []).includes(f.ruleId),
      );
      for (const f of banned)
        failures.push(`${label}: unexpected ${f.ruleId} at ${inCache(f)}:${f.range.start.line + 1}: ${f.message}`);
    }
    t.diagnostic(
      `recall = ${found}/${expected}${expected ? ` (${((100 * found) / expected).toFixed(0)}%)` : ''} over ${present.length} package versions` +
        `; with skipped (minified bundle) files scanned directly: ${found + engineOnly}/${expected}`,
    );
    assert.ok(expected > 0, 'at least one vulnerable location was checked');
    assert.deepEqual(failures, []);
  });
});
