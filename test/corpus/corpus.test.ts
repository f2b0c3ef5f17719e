// The benign corpus: the reference MCP servers from npm (scripts/fetch-corpus.mjs: CORPUS in .cache/corpus and
// CORPUS_MORE in .cache/corpus-more) scanned with every built-in rule. They are well-behaved code, so every finding is a false positive unless test/corpus/allowance.json lists
// it with a reason. Also measures the scan rate. Skipped (never passed silently) when the corpus is not fetched.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { DEFAULT_SKIP_DIRS, discover } from '../../server/discovery/discover';
import { runScan } from '../../server/cli/scan';
import { ROOT } from '../cli/helpers';
import { isInventoryFinding } from '../../shared/capabilities';

/** One allowed finding kind in one corpus file. */
interface Allowed {
  /** The rule that may report. */
  ruleId: string;
  /** The file (relative to its cache folder, .cache/corpus or .cache/corpus-more) it may report in. */
  file: string;
  /** How many findings of the rule the file may have (default 1): a new one in the same file still fails. */
  count?: number;
  /** Why the finding is accepted: a true positive by design, or a false positive not yet fixed, and why. */
  reason: string;
}

const corpus = join(ROOT, '.cache/corpus');
const packages = existsSync(corpus)
  ? readdirSync(corpus).filter((d) => existsSync(join(corpus, d, 'package/package.json')))
  : [];
// The second list lives in its own folder; its package names differ from the first list's, so one allowance keyed
// by the path inside either folder serves both.
const more = join(ROOT, '.cache/corpus-more');
const morePackages = existsSync(more)
  ? readdirSync(more).filter((d) => existsSync(join(more, d, 'package/package.json')))
  : [];

/**
 * Scans one cache folder of packages with every rule and checks that it was really read (compiled JavaScript in
 * dist/ and build/, every package contributing code, no rule throwing); returns its findings.
 */
async function scanFolder(t: TestContext, folder: string, pkgs: readonly string[]) {
  // Published packages keep their code in dist/ or build/, and the repository's .gitignore ignores .cache/:
  // walk what npm ships.
  const discovery = { skipDirs: DEFAULT_SKIP_DIRS.filter((d) => d !== 'dist' && d !== 'build'), gitignore: false };
  // The per-file budget is wall-clock time: on a loaded machine a large bundle could exceed the default and be
  // skipped, which this test must not mistake for the rules' behaviour.
  const outcome = await runScan({ paths: [folder], discovery, timeoutMs: 600_000 });
  const { report, timings } = outcome;
  // The report keeps texts only for files with findings: count what discovery hands to the scan instead.
  const walked = discover(folder, [folder], discovery).files.filter(
    (f) => !report.skipped.some((s) => s.file === f.file),
  );
  const files = walked.map((f) => f.file);
  const bytes = walked.reduce((sum, f) => sum + f.size, 0);
  // Published servers ship compiled JavaScript only: prove that it was read, not just README and package.json.
  const compiled = files.filter((f) => /\/(?:dist|build)\/.*\.[cm]?js$/.test(f));
  const packagesWithCode = new Set(files.filter((f) => /\.[cm]?[jt]s$/.test(f)).map((f) => f.split('/')[0]));
  t.diagnostic(
    `${folder.slice(ROOT.length + 1)}: ${pkgs.length} packages, ${report.stats.filesScanned} files scanned (${(bytes / 1048576).toFixed(1)} MB, ` +
      `${compiled.length} compiled JS files in dist/ or build/), ${report.stats.filesSkipped} skipped, ` +
      `${report.stats.rules} rules, backend ${report.stats.regexBackend}, scan ${timings.scan.toFixed(0)} ms ` +
      `(${Math.round((report.stats.filesScanned * 1000) / Math.max(1, timings.scan))} files/s), ${report.findings.length} findings`,
  );
  assert.ok(report.stats.filesScanned >= pkgs.length, 'the corpus was actually scanned');
  assert.ok(
    compiled.length >= pkgs.length / 2,
    `the compiled JavaScript in dist/ and build/ was scanned (${compiled.length} files)`,
  );
  assert.equal(packagesWithCode.size, pkgs.length, 'every package contributed JavaScript or TypeScript to the scan');
  assert.deepEqual(
    outcome.errors.map((e) => `${e.ruleId} on ${e.file}: ${e.message}`),
    [],
    'no rule may throw on real code',
  );
  return report.findings;
}

describe('benign corpus', () => {
  test('real MCP servers produce no finding beyond the listed allowance', async (t) => {
    if (packages.length === 0) {
      t.skip('corpus not fetched: run `npm run corpus` (needs the npm registry once; then works offline)');
      return;
    }
    const allowance = (
      JSON.parse(readFileSync(join(ROOT, 'test/corpus/allowance.json'), 'utf8')) as { allowed: Allowed[] }
    ).allowed;
    for (const a of allowance)
      assert.ok(a.ruleId && a.file && a.reason, `allowance entries need ruleId, file and reason: ${JSON.stringify(a)}`);
    const findings: Awaited<ReturnType<typeof scanFolder>> = [];
    for (const [folder, pkgs] of [
      [corpus, packages],
      [more, morePackages],
    ] as const) {
      if (pkgs.length === 0) continue;
      findings.push(...(await scanFolder(t, folder, pkgs)));
    }
    // Each entry admits up to `count` findings of its rule in its file, in document order; the rest are unexpected.
    const budget = new Map<string, number>();
    for (const a of allowance)
      budget.set(`${a.ruleId} ${a.file}`, (budget.get(`${a.ruleId} ${a.file}`) ?? 0) + (a.count ?? 1));
    // The capability inventory (info findings of the `capability` category) describes what each tool can do,
    // correct code included: it is not a defect to triage, so it is counted, not allowed finding by finding. The
    // lethal trifecta (medium) is a risk and is triaged like any other finding.
    const inventory = findings.filter(isInventoryFinding);
    t.diagnostic(`${inventory.length} capability inventory findings (not counted against the allowance)`);
    const unexpected = findings.filter((f) => {
      if (isInventoryFinding(f)) return false;
      const key = `${f.ruleId} ${f.file}`;
      const left = budget.get(key) ?? 0;
      if (left > 0) budget.set(key, left - 1);
      return left === 0;
    });
    for (const [key, left] of budget)
      if (left > 0) t.diagnostic(`allowance larger than the findings (${left} unused): ${key}`);
    assert.deepEqual(
      unexpected.map(
        (f) => `${f.file}:${f.range.start.line}:${f.range.start.column} ${f.ruleId} (${f.severity}): ${f.message}`,
      ),
      [],
    );
  });
});
