// The baseline and pin verbs: they write their file (never to stdout) and the file is what the engine reads back.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseBaseline } from '../../server/project/baseline';
import { parsePins } from '../../server/project/pins';
import type { JsonReport } from '../../server/reports/model';
import { cli, fixture, ROOT } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-verbs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('cli: baseline and pin', () => {
  test('baseline writes the fingerprints of every finding, sorted, and nothing on stdout', async () => {
    const out = join(tmp, 'base/baseline.json');
    const r = await cli(['baseline', fixture('golden'), '--output', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /wrote 6 finding\(s\)/);
    const base = parseBaseline(readFileSync(out, 'utf8'), out).baseline!;
    const scan = JSON.parse(
      (await cli(['scan', fixture('golden'), '--format', 'json', '--fail-on', 'none'])).stdout,
    ) as JsonReport;
    assert.deepEqual(
      new Set(base.fingerprints.map((e) => e.fingerprint)),
      new Set(scan.findings.map((f) => f.fingerprint)),
    );
  });

  test('a baseline written by `baseline` suppresses those findings in `scan --baseline` (kept, marked, not counted)', async () => {
    const out = join(tmp, 'roundtrip.json');
    assert.equal((await cli(['baseline', fixture('golden'), '--output', out])).code, 0);
    const r = await cli(['scan', fixture('golden'), '--baseline', out, '--format', 'json']);
    assert.equal(r.code, 0, `every finding is baselined, so nothing fails: ${r.stderr}`);
    const rep = JSON.parse(r.stdout) as JsonReport;
    assert.equal(rep.findings.length, 6);
    for (const f of rep.findings) assert.equal(f.suppressed?.kind, 'baseline');
    assert.equal(rep.stats.findings, 0);
    assert.equal(rep.stats.suppressed, 6);
    const sarif = JSON.parse((await cli(['scan', fixture('golden'), '--baseline', out, '--format', 'sarif'])).stdout);
    for (const res of sarif.runs[0].results) assert.equal(res.suppressions[0].kind, 'external');
    const text = (await cli(['scan', fixture('golden'), '--baseline', out])).stdout;
    assert.match(text, /^No findings \(6 suppressed\)/m);
  });

  test('a malformed baseline is an error (exit 2)', async () => {
    const bad = join(tmp, 'bad-baseline.json');
    writeFileSync(bad, '{"version": 1, "fingerprints": [');
    const r = await cli(['scan', fixture('golden'), '--baseline', bad]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  });

  test('--config: exclude globs, rule settings and failOn reach discovery, the engine and the exit code', async () => {
    const cfg = join(tmp, 'sentinel.json');
    writeFileSync(
      cfg,
      '{\n  // JSONC\n  "failOn": "medium",\n  "exclude": ["docs/**"],\n  "rules": { "test-secret": "off" }\n}\n',
    );
    const r = await cli(['scan', fixture('golden'), '--config', cfg, '--format', 'json']);
    assert.equal(r.code, 1, `a high finding fails the config's medium threshold: ${r.stderr}`);
    const rep = JSON.parse(r.stdout) as JsonReport;
    assert.equal(rep.stats.filesScanned, 3, 'docs/ is excluded');
    assert.ok(!rep.findings.some((f) => f.ruleId === 'test-secret' || f.file.startsWith('docs/')));
    assert.equal(
      (await cli(['scan', fixture('golden'), '--config', cfg, '--fail-on', 'critical'])).code,
      0,
      'the flag wins over the config',
    );
  });

  test('pin writes a lock file of the tool definitions found in the example workspace', async () => {
    const out = join(tmp, 'pins.json');
    const r = await cli(['pin', join(ROOT, 'examples'), '--output', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const pins = parsePins(readFileSync(out, 'utf8'), out).pins!;
    const tools = Object.values(pins.servers)
      .flatMap((s) => Object.keys(s.tools))
      .sort();
    for (const t of [
      'add',
      'fetch_url',
      'find_user',
      'run_command',
      'translate',
      'weather',
      'load_state',
      'parse_config',
      'run',
    ]) {
      assert.ok(tools.includes(t), `tool ${t} pinned (got ${tools.join(', ')})`);
    }
    // Deterministic: pinning again gives the same bytes.
    const again = join(tmp, 'pins2.json');
    await cli(['pin', join(ROOT, 'examples'), '--output', again]);
    assert.equal(readFileSync(again, 'utf8'), readFileSync(out, 'utf8'));
  });

  test('pin rewrites a broken pin file, as its error message says to; scan then loads it', async () => {
    const dir = join(tmp, 'broken-pins');
    mkdirSync(join(dir, '.mcp-sentinel'), { recursive: true });
    cpSync(join(ROOT, 'examples'), dir, { recursive: true });
    const pinFile = join(dir, '.mcp-sentinel', 'pins.json');
    writeFileSync(pinFile, '{ "version": 1, "servers": ');
    const before = await cli(['scan', dir, '--format', 'json']);
    assert.equal(before.code, 2, 'scan stops on the broken pin file');
    assert.match(before.stderr, /mcp-sentinel pin/);
    const r = await cli(['pin', dir, '--output', pinFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(parsePins(readFileSync(pinFile, 'utf8'), pinFile).pins, 'the rewritten file is a valid pin file');
    const after = await cli(['scan', dir, '--format', 'json', '--fail-on', 'none']);
    assert.equal(after.code, 0, after.stderr);
  });
});
