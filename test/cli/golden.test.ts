// Golden files for the JSON and SARIF reports (rewrite with UPDATE_GOLDEN=1), and SARIF validation against the
// official 2.1.0 schema (ajv, offline from the sarif-multitool package) and Microsoft's SARIF Multitool.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { cli, fixture, ROOT } from './helpers';

const GOLDEN_FIXTURE = fixture('golden');
const update = process.env.UPDATE_GOLDEN === '1';
const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-golden-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Replaces what legitimately varies between machines and runs: root, version, backend, duration. */
function normalise(text: string): string {
  const v = JSON.parse(text);
  const walk = (o: unknown): unknown => {
    if (Array.isArray(o)) return o.map(walk);
    if (o && typeof o === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(o)) {
        if (k === 'root') out[k] = '<ROOT>';
        else if (k === 'version' && typeof val === 'string' && val !== '2.1.0') out[k] = '<VERSION>';
        else if (k === 'semanticVersion') out[k] = '<VERSION>';
        else if (k === 'durationMs') out[k] = 0;
        else if (k === 'regexBackend') out[k] = '<BACKEND>';
        else if (k === '%SRCROOT%') out[k] = { uri: '<ROOT>' };
        else out[k] = walk(val);
      }
      return out;
    }
    return o;
  };
  return JSON.stringify(walk(v), null, 2) + '\n';
}

function checkGolden(name: string, actual: string): void {
  const file = join(ROOT, 'test/golden', name);
  if (update || !existsSync(file)) {
    if (!update) assert.fail(`golden file ${name} is missing: run with UPDATE_GOLDEN=1 to create it`);
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDEN=1 rewrites it after review)`);
}

async function report(format: 'json' | 'sarif'): Promise<string> {
  const r = await cli(['scan', GOLDEN_FIXTURE, '--format', format, '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

describe('golden reports', () => {
  test('JSON report matches test/golden/scan.json', async () => {
    checkGolden('scan.json', normalise(await report('json')));
  });

  test('SARIF report matches test/golden/scan.sarif', async () => {
    checkGolden('scan.sarif', normalise(await report('sarif')));
  });
});

describe('SARIF', () => {
  test('every result refers to a defined rule with the right index, 1-based UTF-16 regions, fingerprints', async () => {
    const log = JSON.parse(await report('sarif'));
    const run = log.runs[0];
    assert.equal(log.version, '2.1.0');
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.equal(run.tool.driver.name, 'MCP Sentinel');
    assert.equal(run.invocations[0].executionSuccessful, true);
    const ids: string[] = run.tool.driver.rules.map((r: { id: string }) => r.id);
    for (const res of run.results) {
      assert.equal(ids[res.ruleIndex], res.ruleId);
      assert.match(res.partialFingerprints['mcpSentinel/v1'], /^test-(secret|marker):[0-9a-f]{16}$/);
      assert.ok(res.properties.category);
      const reg = res.locations[0].physicalLocation.region;
      assert.ok(reg.startLine >= 1 && reg.startColumn >= 1);
      assert.equal(res.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    }
    const wide = run.results.find((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'docs/read%20me.txt');
    assert.deepEqual(wide.locations[0].physicalLocation.region, { startLine: 1, startColumn: 33, endLine: 1, endColumn: 46 });
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'test-secret');
    assert.deepEqual(rule.properties.tags, ['security', 'secret', 'external/cwe/cwe-798']);
    assert.equal(rule.properties['security-severity'], '9.5');
    assert.equal(rule.defaultConfiguration.level, 'error');
  });

  test('skipped files become tool execution notifications', async () => {
    const clean = JSON.parse((await cli(['scan', GOLDEN_FIXTURE, '--format', 'sarif', '--fail-on', 'none'])).stdout);
    assert.deepEqual(clean.runs[0].invocations[0].toolExecutionNotifications, []);
    writeFileSync(join(tmp, 'blob.ts'), Buffer.from([0x41, 0, 0x42]));
    const r = await cli(['scan', tmp, '--format', 'sarif', '--fail-on', 'none']);
    const notes = JSON.parse(r.stdout).runs[0].invocations[0].toolExecutionNotifications;
    assert.deepEqual(notes, [{
      level: 'note',
      message: { text: 'Skipped blob.ts: binary file (NUL byte)' },
      descriptor: { id: 'skipped-file' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'blob.ts', uriBaseId: '%SRCROOT%' } } }],
    }]);
  });

  test('validates against the official SARIF 2.1.0 schema (ajv)', async () => {
    const schemaPath = join(ROOT, 'node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json');
    if (!existsSync(schemaPath)) assert.fail(`the SARIF schema ships with @microsoft/sarif-multitool-linux; not found at ${schemaPath}`);
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    // The schema uses these formats; ajv needs a definition for each (ajv-formats is not installed).
    ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
    ajv.addFormat('uri-reference', /^[^\s]*$/);
    ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    const validate = ajv.compile(schema);
    for (const args of [[GOLDEN_FIXTURE], [tmp]]) {
      const r = await cli(['scan', ...args, '--format', 'sarif', '--fail-on', 'none']);
      const log = JSON.parse(r.stdout);
      assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    }
    // And the validator is real: a broken log fails.
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
  });

  test('passes Sarif.Multitool validate with no errors', async (t) => {
    const bin = join(ROOT, 'node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');
    if (!existsSync(bin)) return t.skip(`Sarif.Multitool not installed at ${bin}`);
    try {
      accessSync(bin, constants.X_OK);
    } catch {
      try {
        chmodSync(bin, 0o755); // npm does not keep its run bit
      } catch (e) {
        return t.skip(`Sarif.Multitool is not executable and chmod failed: ${(e as Error).message}`);
      }
    }
    const input = join(tmp, 'golden.sarif');
    writeFileSync(input, await report('sarif'));
    const out = join(tmp, 'validation.sarif');
    const p = spawnSync(bin, ['validate', input, '-o', out, '--log', 'ForceOverwrite'], { encoding: 'utf8', timeout: 120_000 });
    if (p.error || !existsSync(out)) return t.skip(`Sarif.Multitool could not run here: ${(p.error?.message ?? (p.stderr || p.stdout)).slice(0, 300)}`);
    const results = (JSON.parse(readFileSync(out, 'utf8')).runs?.[0]?.results ?? []) as { level?: string; ruleId: string; message: { text?: string; id?: string } }[];
    const errors = results.filter((r) => r.level === 'error');
    assert.deepEqual(errors, [], p.stdout);
    for (const w of results) t.diagnostic(`${w.level ?? 'warning'} ${w.ruleId}`);
  });
});
