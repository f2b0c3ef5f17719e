// Golden files for every report format (text, JSON, SARIF, HTML) and the baseline file, rewritten only with
// UPDATE_GOLDEN=1; SARIF suppressions of every kind and related locations, also after merging shards; and SARIF
// validation against the official 2.1.0 schema (ajv, offline from the sarif-multitool package) and Microsoft's
// SARIF Multitool.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cli, fixture, ROOT, sarifValidator } from './helpers';

const GOLDEN_FIXTURE = fixture('golden');
/** Inline, file-wide, ignore-file (one live, one expired) and baseline suppressions of the test rules. */
const SUPPRESSIONS = fixture('suppressions');
const SUPPRESSIONS_BASELINE = join(SUPPRESSIONS, 'baseline.json');
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

/** The text and HTML reports: the same varying parts, found by their surroundings. */
function normaliseText(text: string, root: string): string {
  return text
    .replace(/regex backend (re2|js)/g, 'regex backend <BACKEND>')
    .split(root)
    .join('<ROOT>')
    .replace(/(MCP Sentinel) \d+\.\d+\.\d+\S* —/g, '$1 <VERSION> —');
}

function checkGolden(name: string, actual: string): void {
  const file = join(ROOT, 'test/golden', name);
  if (update || !existsSync(file)) {
    if (!update) assert.fail(`golden file ${name} is missing: run with UPDATE_GOLDEN=1 to create it`);
    writeFileSync(file, actual);
    return;
  }
  assert.equal(
    actual,
    readFileSync(file, 'utf8'),
    `${name} differs from the golden file (UPDATE_GOLDEN=1 rewrites it after review)`,
  );
}

async function report(
  format: 'json' | 'sarif' | 'text' | 'html',
  root = GOLDEN_FIXTURE,
  extra: string[] = [],
): Promise<string> {
  const r = await cli(['scan', root, '--format', format, '--fail-on', 'none', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/** The suppression fixture scanned with its baseline. */
function suppressed(format: 'json' | 'sarif' | 'text', extra: string[] = []): Promise<string> {
  return report(format, SUPPRESSIONS, ['--baseline', SUPPRESSIONS_BASELINE, ...extra]);
}

describe('golden reports', () => {
  test('JSON report matches test/golden/scan.json', async () => {
    checkGolden('scan.json', normalise(await report('json')));
  });

  test('SARIF report matches test/golden/scan.sarif', async () => {
    checkGolden('scan.sarif', normalise(await report('sarif')));
  });

  test('text report (no colour) matches test/golden/scan.txt', async () => {
    const text = await report('text');
    assert.doesNotMatch(text, /\x1b\[/);
    checkGolden('scan.txt', normaliseText(text, GOLDEN_FIXTURE));
  });

  test('HTML report matches test/golden/scan.html (version, root and backend normalised)', async () => {
    const html = await report('html');
    const normalised = normaliseText(html, GOLDEN_FIXTURE);
    // The normaliser must have had something to do, or the golden file would pin this machine's values.
    assert.match(normalised, /MCP Sentinel <VERSION> — <ROOT>/);
    assert.match(normalised, /regex backend <BACKEND>/);
    checkGolden('scan.html', normalised);
  });

  test('baseline file written by `mcp-sentinel baseline` matches test/golden/baseline.json', async () => {
    const out = join(tmp, 'golden-baseline.json');
    const r = await cli(['baseline', GOLDEN_FIXTURE, '--output', out]);
    assert.equal(r.code, 0, r.stderr);
    checkGolden('baseline.json', normalise(readFileSync(out, 'utf8')));
  });

  test('suppressions: JSON, SARIF and text (--show-suppressed) match their golden files', async () => {
    checkGolden('suppressions.json', normalise(await suppressed('json')));
    checkGolden('suppressions.sarif', normalise(await suppressed('sarif')));
    checkGolden('suppressions.txt', normaliseText(await suppressed('text', ['--show-suppressed']), SUPPRESSIONS));
  });
});

/** A SARIF result, as far as these tests read it. */
interface SarifResult {
  ruleId: string;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  suppressions?: { kind: string; status: string; justification: string; properties: { mcpSentinelKind: string } }[];
  relatedLocations?: {
    id: number;
    message: { text: string };
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
  }[];
}

/** `file:line` → result, for the suppression fixture. */
function byPlace(log: { runs: { results: SarifResult[] }[] }): Map<string, SarifResult> {
  const m = new Map<string, SarifResult>();
  for (const r of log.runs[0]!.results) {
    const loc = r.locations[0]!.physicalLocation;
    m.set(`${loc.artifactLocation.uri}:${loc.region.startLine}`, r);
  }
  return m;
}

/** Checks the suppression fixture's results: every kind mapped to SARIF's, with its justification. */
function assertSuppressionKinds(log: { runs: { results: SarifResult[] }[] }): void {
  const results = byPlace(log);
  const sup = (place: string) => {
    const r = results.get(place);
    assert.ok(r, `a result at ${place}; have ${[...results.keys()].join(', ')}`);
    return r.suppressions?.map((s) => ({
      kind: s.kind,
      status: s.status,
      justification: s.justification,
      ours: s.properties.mcpSentinelKind,
    }));
  };
  assert.deepEqual(sup('src/inline.ts:3'), [
    {
      kind: 'inSource',
      status: 'accepted',
      justification: 'reviewed, the marker is part of the fixture',
      ours: 'inline',
    },
  ]);
  assert.deepEqual(sup('src/inline.ts:4'), [
    { kind: 'inSource', status: 'accepted', justification: 'same-line form', ours: 'inline' },
  ]);
  assert.equal(sup('src/inline.ts:5'), undefined, 'the uncovered marker is not suppressed');
  assert.deepEqual(sup('src/keys.py:2'), [
    { kind: 'inSource', status: 'accepted', justification: 'fake keys for the fixture', ours: 'file' },
  ]);
  assert.deepEqual(sup('legacy/old.ts:2'), [
    { kind: 'external', status: 'accepted', justification: 'legacy code, scheduled for removal', ours: 'ignore-file' },
  ]);
  assert.deepEqual(sup('accepted/known.ts:2'), [
    { kind: 'external', status: 'accepted', justification: 'in baseline baseline.json', ours: 'baseline' },
  ]);
  // The expired entry no longer suppresses; the result points at it instead.
  const late = results.get('expired/late.ts:2')!;
  assert.equal(late.suppressions, undefined);
  assert.equal(late.relatedLocations?.length, 1);
  assert.equal(late.relatedLocations![0]!.physicalLocation.artifactLocation.uri, '.mcp-sentinel/ignore.json');
  assert.equal(late.relatedLocations![0]!.physicalLocation.region.startLine, 5);
  assert.match(late.relatedLocations![0]!.message.text, /until 2020-01-01; it has expired/);
  assert.equal(results.size, 7);
}

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
    const wide = run.results.find(
      (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        r.locations[0]!.physicalLocation.artifactLocation.uri === 'docs/read%20me.txt',
    );
    assert.deepEqual(wide.locations[0].physicalLocation.region, {
      startLine: 1,
      startColumn: 33,
      endLine: 1,
      endColumn: 46,
    });
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
    assert.deepEqual(notes, [
      {
        level: 'note',
        message: { text: 'Skipped blob.ts: binary file (NUL byte)' },
        descriptor: { id: 'skipped-file' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'blob.ts', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);
  });

  test('validates against the official SARIF 2.1.0 schema (ajv)', async () => {
    const validate = sarifValidator();
    for (const args of [[GOLDEN_FIXTURE], [tmp], [SUPPRESSIONS, '--baseline', SUPPRESSIONS_BASELINE]]) {
      const r = await cli(['scan', ...args, '--format', 'sarif', '--fail-on', 'none']);
      const log = JSON.parse(r.stdout);
      assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    }
    // And the validator is real: a broken log fails.
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
  });

  test('suppressions: inline and file comments are inSource, ignore file and baseline external, each with its reason', async () => {
    assertSuppressionKinds(JSON.parse(await suppressed('sarif')));
  });

  test('merge: shard JSON reports become SARIF with the same suppressions and related locations, and it validates', async () => {
    const single = JSON.parse(await suppressed('sarif'));
    const shards: string[] = [];
    for (let k = 1; k <= 3; k++) {
      const out = join(tmp, `sup-shard-${k}.json`);
      const r = await cli([
        'scan',
        SUPPRESSIONS,
        '--baseline',
        SUPPRESSIONS_BASELINE,
        '--shard',
        `${k}/3`,
        '--format',
        'json',
        '--output',
        out,
        '--fail-on',
        'none',
      ]);
      assert.equal(r.code, 0, r.stderr);
      shards.push(out);
    }
    const merged = join(tmp, 'merged.sarif');
    const m = await cli(['merge', ...shards, '--format', 'sarif', '--output', merged, '--fail-on', 'none']);
    assert.equal(m.code, 0, m.stderr);
    const log = JSON.parse(readFileSync(merged, 'utf8'));
    assertSuppressionKinds(log);
    // merge defines the whole built-in catalogue (it has no project to ask which rules ran), so rule indexes differ
    // from the single run's; each must still point at its own rule.
    const withoutIndex = (rs: (SarifResult & { ruleIndex?: number })[]) => rs.map(({ ruleIndex: _i, ...r }) => r);
    assert.deepEqual(
      withoutIndex(log.runs[0].results),
      withoutIndex(single.runs[0].results),
      'merged SARIF results equal the single run',
    );
    for (const r of log.runs[0].results) assert.equal(log.runs[0].tool.driver.rules[r.ruleIndex].id, r.ruleId);
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
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
    const p = spawnSync(bin, ['validate', input, '-o', out, '--log', 'ForceOverwrite'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (p.error || !existsSync(out))
      return t.skip(
        `Sarif.Multitool could not run here: ${(p.error?.message ?? (p.stderr || p.stdout)).slice(0, 300)}`,
      );
    const results = (JSON.parse(readFileSync(out, 'utf8')).runs?.[0]?.results ?? []) as {
      level?: string;
      ruleId: string;
      message: { text?: string; id?: string };
    }[];
    const errors = results.filter((r) => r.level === 'error');
    assert.deepEqual(errors, [], p.stdout);
    for (const w of results) t.diagnostic(`${w.level ?? 'warning'} ${w.ruleId}`);
  });
});
