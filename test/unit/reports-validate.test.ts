// The JSON report schema (server/reports/schema.ts) and the validation `merge` runs on every input: the published
// schema file stays equal to the one the CLI compiles, real reports validate against it, and paths that leave the
// root are refused whatever their spelling.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { REPORT_SCHEMA } from '../../server/reports/schema';
import { pathOutsideRoot, validateReport } from '../../server/reports/validate';
import type { JsonReport } from '../../server/reports/model';
import { ROOT, cli, fixture } from '../cli/helpers';

const SCHEMA_FILE = join(ROOT, 'schemas/mcp-sentinel-report.schema.json');

async function goldenReport(): Promise<JsonReport> {
  const r = await cli(['scan', fixture('golden'), '--format', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as JsonReport;
}

describe('report schema', () => {
  test('schemas/mcp-sentinel-report.schema.json is the schema merge compiles', () => {
    assert.deepEqual(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')), JSON.parse(JSON.stringify(REPORT_SCHEMA)));
  });

  test('the golden JSON report and a real scan validate against the published file', async () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
    const golden = JSON.parse(readFileSync(join(ROOT, 'test/golden/scan.json'), 'utf8')) as Record<string, unknown>;
    // The golden file has its machine-specific values normalised; put real ones back.
    (golden.tool as { version: string }).version = '0.1.0';
    (golden.stats as { regexBackend: string }).regexBackend = 're2';
    assert.ok(validate(golden), JSON.stringify(validate.errors));
    const report = await goldenReport();
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.equal(validate({ ...report, findings: [{ ...report.findings[0], severity: 'severe' }] }), false);
  });
});

describe('validateReport', () => {
  test('returns a valid report as it is', async () => {
    const report = await goldenReport();
    assert.equal(validateReport(report, 'a.json'), report);
  });

  test('names the file and the first problem', async () => {
    assert.throws(() => validateReport([], 'x.json'), /^Error: x\.json is not an MCP Sentinel JSON report/);
    assert.throws(() => validateReport({ hello: 1 }, 'x.json'), /is not an MCP Sentinel JSON report/);
    const report = await goldenReport();
    const bad = structuredClone(report);
    bad.findings[2]!.range.end.column = -1;
    assert.throws(
      () => validateReport(bad, 'x.json'),
      /x\.json is not a valid JSON report: findings\.2\.range\.end\.column must be >= 1/,
    );
    const tool = structuredClone(report);
    tool.tool.name = 'other-tool';
    assert.throws(() => validateReport(tool, 'x.json'), /tool\.name must be equal to constant/);
  });

  test('refuses every path outside the root, accepts the ones a scan writes', () => {
    for (const p of [
      '../x',
      'a/../../x',
      'a/..',
      '..\\x',
      'a\\..\\..\\x',
      '/etc/passwd',
      '\\\\server\\share',
      'C:/x',
      'c:x',
      'a\0b',
    ])
      assert.ok(pathOutsideRoot(p), p);
    for (const p of ['a.ts', 'src/a b.ts', 'pkg/', '.', './a.ts', '..a/b', 'a/..b', '.../x', 'x..y'])
      assert.equal(pathOutsideRoot(p), undefined, p);
  });
});
