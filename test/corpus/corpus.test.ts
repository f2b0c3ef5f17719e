// The benign corpus: the reference MCP servers from npm (scripts/fetch-corpus.mjs) scanned with every built-in
// rule. They are well-behaved code, so every finding is a false positive unless test/corpus/allowance.json lists
// it with a reason. Also measures the scan rate. Skipped (never passed silently) when the corpus is not fetched.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_SKIP_DIRS } from '../../server/discovery/discover';
import { runScan } from '../../server/cli/scan';
import { ROOT } from '../cli/helpers';

interface Allowed {
  ruleId: string;
  file: string;
  reason: string;
}

const corpus = join(ROOT, '.cache/corpus');
const packages = existsSync(corpus) ? readdirSync(corpus).filter((d) => existsSync(join(corpus, d, 'package/package.json'))) : [];

describe('benign corpus', () => {
  test('real MCP servers produce no finding beyond the listed allowance', async (t) => {
    if (packages.length === 0) {
      t.skip('corpus not fetched: run `npm run corpus` (needs the npm registry once; then works offline)');
      return;
    }
    const allowance = (JSON.parse(readFileSync(join(ROOT, 'test/corpus/allowance.json'), 'utf8')) as { allowed: Allowed[] }).allowed;
    for (const a of allowance) assert.ok(a.ruleId && a.file && a.reason, `allowance entries need ruleId, file and reason: ${JSON.stringify(a)}`);
    const outcome = await runScan({
      paths: [corpus],
      // Published packages keep their code in dist/ or build/, and the repository's .gitignore ignores .cache/:
      // walk what npm ships.
      discovery: { skipDirs: DEFAULT_SKIP_DIRS.filter((d) => d !== 'dist' && d !== 'build'), gitignore: false },
    });
    const { report, timings } = outcome;
    t.diagnostic(`${packages.length} packages, ${report.stats.filesScanned} files scanned, ${report.stats.filesSkipped} skipped, ` +
      `${report.stats.rules} rules, backend ${report.stats.regexBackend}, scan ${timings.scan.toFixed(0)} ms ` +
      `(${Math.round((report.stats.filesScanned * 1000) / Math.max(1, timings.scan))} files/s)`);
    assert.ok(report.stats.filesScanned >= packages.length, 'the corpus was actually scanned');
    assert.deepEqual(outcome.errors.map((e) => `${e.ruleId} on ${e.file}: ${e.message}`), [], 'no rule may throw on real code');
    const unexpected = report.findings.filter((f) => !allowance.some((a) => a.ruleId === f.ruleId && a.file === f.file));
    for (const a of allowance) {
      if (!report.findings.some((f) => f.ruleId === a.ruleId && f.file === a.file)) t.diagnostic(`stale allowance (no longer found): ${a.ruleId} ${a.file}`);
    }
    assert.deepEqual(unexpected.map((f) => `${f.file}:${f.range.start.line}:${f.range.start.column} ${f.ruleId} (${f.severity}): ${f.message}`), []);
  });
});
