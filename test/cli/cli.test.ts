// The CLI in-process with two deterministic test rules (every built-in rule switched off), so formats, exit
// codes, outputs, shards and merge are tested independently of the rule packs.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CATEGORIES } from '../../shared/types';
import type { JsonReport } from '../../server/reports/model';
import { cli, fixture } from './helpers';

const GOLDEN = fixture('golden');
const SECRET = 'tsk_Q2w3E4r5T6y7U8i9O0pA';
const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function json(args: string[]): Promise<JsonReport> {
  const r = await cli(['scan', ...args, '--format', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as JsonReport;
}

describe('cli: arguments and exit codes', () => {
  test('--help and --version exit 0 and write to stdout only', async () => {
    const h = await cli(['--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Usage: mcp-sentinel/);
    assert.equal(h.stderr, '');
    const v = await cli(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  for (const [name, argv, pattern] of [
    ['unknown flag', ['scan', GOLDEN, '--bogus'], /Unknown option '--bogus'/],
    ['unknown command', ['explode'], /unknown command "explode"/],
    ['missing path', ['scan', join(GOLDEN, 'does-not-exist')], /path not found/],
    ['bad --fail-on', ['scan', GOLDEN, '--fail-on', 'severe'], /--fail-on expects/],
    ['bad --format', ['scan', GOLDEN, '--format', 'pdf'], /unknown format "pdf"/],
    [
      'several formats without --output-dir',
      ['scan', GOLDEN, '--format', 'json,sarif'],
      /several formats need --output-dir/,
    ],
    ['bad --shard', ['scan', GOLDEN, '--shard', '4/3'], /K must be between 1 and N/],
    ['missing config file', ['scan', GOLDEN, '--config', join(GOLDEN, 'nope.json')], /config file not found/],
    ['missing baseline file', ['scan', GOLDEN, '--baseline', join(GOLDEN, 'nope.json')], /baseline file not found/],
    ['merge without files', ['merge'], /merge needs at least one JSON report/],
  ] as const) {
    test(`exit 2 with one line on stderr: ${name}`, async () => {
      const r = await cli([...argv]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line expected, got: ${r.stderr}`);
    });
  }

  test('exit 2 when no rule is enabled', async () => {
    const r = await cli(['scan', GOLDEN], {
      project: { overrides: { categories: Object.fromEntries(CATEGORIES.map((c) => [c, 'off' as const])) } },
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no rules loaded/);
  });

  test('--fail-on thresholds decide exit 0 or 1 (default high)', async () => {
    const yaml = join(GOLDEN, 'config/settings.yaml'); // one medium and one info finding
    const cases: [string[], number][] = [
      [[], 0],
      [['--fail-on', 'critical'], 0],
      [['--fail-on', 'high'], 0],
      [['--fail-on', 'medium'], 1],
      [['--fail-on', 'low'], 1],
      [['--fail-on', 'info'], 1],
      [['--fail-on', 'none'], 0],
    ];
    for (const [flags, code] of cases) {
      const r = await cli(['scan', yaml, ...flags]);
      assert.equal(r.code, code, `${flags.join(' ') || '(default)'}: ${r.stderr}`);
    }
    assert.equal((await cli(['scan', GOLDEN])).code, 1, 'critical findings fail the default threshold');
    assert.equal(
      (await cli(['scan', join(GOLDEN, 'clean.py'), '--fail-on', 'info'])).code,
      0,
      'a clean file passes any threshold',
    );
  });
});

describe('cli: formats', () => {
  test('text: grouped by file, line:col, severity, rule id, summary line; no colour off a terminal', async () => {
    const r = await cli(['scan', GOLDEN, '--fail-on', 'none']);
    assert.equal(r.code, 0);
    const out = r.stdout;
    assert.doesNotMatch(out, /\x1b\[/);
    assert.match(out, /^config\/settings\.yaml\n {2}1:3 +medium +Marker <medium> & "quoted" {2}test-marker$/m);
    assert.match(out, /^src\/app\.ts$/m);
    assert.match(out, /^ {2}2:17 +critical +Test secret tsk_…\(24 chars\) {2}test-secret$/m);
    assert.match(
      out,
      /^6 findings \(2 critical, 1 high, 1 medium, 1 low, 1 info\) in 3 files; 4 files scanned; regex backend (re2|js)$/m,
    );
    assert.ok(!out.includes(SECRET), 'the secret is masked');
  });

  test('text: colour only on a terminal without NO_COLOR and --no-color', async () => {
    assert.match((await cli(['scan', GOLDEN, '--fail-on', 'none'], { tty: true })).stdout, /\x1b\[1;31mcritical/);
    assert.doesNotMatch(
      (await cli(['scan', GOLDEN, '--fail-on', 'none', '--no-color'], { tty: true })).stdout,
      /\x1b\[/,
    );
    assert.doesNotMatch(
      (await cli(['scan', GOLDEN, '--fail-on', 'none'], { tty: true, env: { NO_COLOR: '1' } })).stdout,
      /\x1b\[/,
    );
  });

  test('json: the documented shape (docs/design.md), 1-based, relative forward-slash paths, UTF-16 columns, stats', async () => {
    const rep = await json([GOLDEN]);
    assert.deepEqual(Object.keys(rep), ['tool', 'root', 'findings', 'skipped', 'stats']);
    assert.equal(rep.tool.name, 'mcp-sentinel');
    assert.equal(rep.root, GOLDEN);
    for (const f of rep.findings) {
      // The documented fields, then the fix line every finding carries (test rules have no page, so no helpUri).
      assert.deepEqual(Object.keys(f), [
        'ruleId',
        'category',
        'severity',
        'message',
        'file',
        'range',
        'fingerprint',
        'fix',
      ]);
    }
    const wide = rep.findings.find((f) => f.file === 'docs/read me.txt')!;
    // "Notes with a wide character: " is 29 code units, the emoji two more, then a space: MARK_ starts at 33.
    assert.deepEqual(wide.range, { start: { line: 1, column: 33 }, end: { line: 1, column: 46 } });
    assert.equal(wide.severity, 'critical');
    const s = rep.stats;
    assert.equal(s.filesScanned, 4);
    assert.equal(s.filesSkipped, 0);
    assert.equal(s.rules, 2);
    assert.equal(s.findings, 6);
    assert.deepEqual(s.bySeverity, { critical: 2, high: 1, medium: 1, low: 1, info: 1 });
    assert.ok(s.regexBackend === 're2' || s.regexBackend === 'js');
    assert.equal(typeof s.durationMs, 'number');
    assert.ok(!JSON.stringify(rep).includes(SECRET));
  });

  test('--output writes the file and nothing goes to stdout', async () => {
    const out = join(tmp, 'nested/report.json');
    const r = await cli(['scan', GOLDEN, '--format', 'json', '--output', out, '--fail-on', 'none']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as JsonReport).findings.length, 6);
  });

  test('--format sarif,html --output-dir writes one file per format from one scan', async () => {
    const dir = join(tmp, 'multi');
    const r = await cli(['scan', GOLDEN, '--format', 'sarif,html,json,text', '--output-dir', dir]);
    assert.equal(r.code, 1, 'exit code still reflects the findings');
    assert.equal(r.stdout, '');
    assert.deepEqual(readdirSync(dir).sort(), [
      'mcp-sentinel.html',
      'mcp-sentinel.json',
      'mcp-sentinel.sarif',
      'mcp-sentinel.txt',
    ]);
    const sarif = JSON.parse(readFileSync(join(dir, 'mcp-sentinel.sarif'), 'utf8'));
    assert.equal(sarif.runs[0].results.length, 6);
    assert.match(readFileSync(join(dir, 'mcp-sentinel.html'), 'utf8'), /^<!DOCTYPE html>/);
    assert.doesNotMatch(readFileSync(join(dir, 'mcp-sentinel.txt'), 'utf8'), /\x1b\[/);
    for (const f of readdirSync(dir))
      assert.ok(!readFileSync(join(dir, f), 'utf8').includes(SECRET), `${f} leaks the secret`);
  });

  test('html: self-contained, escaped, filters present, secrets masked in code context', async () => {
    const r = await cli(['scan', GOLDEN, '--format', 'html', '--fail-on', 'none']);
    const html = r.stdout;
    assert.doesNotMatch(html, /<script[^>]+src=|<link |https?:\/\/(?!github\.com)/i, 'no external resources');
    assert.match(html, /Marker &lt;high&gt; &amp; &quot;quoted&quot;/);
    assert.doesNotMatch(html, /Marker <high>/);
    assert.ok(!html.includes(SECRET), 'the secret is masked in the code context');
    assert.match(html, /const apiKey = &#39;tsk_…\(24 chars\)&#39;;/);
    assert.match(html, /data-filter="severity" value="critical"/);
    assert.match(html, /data-filter="category" value="secret"/);
    assert.match(html, /id="q"/);
    assert.match(html, /<h2>docs\/read me\.txt<\/h2>/);
  });

  test('rules lists the catalogue', async () => {
    const r = await cli(['rules']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^id +severity +category +title$/m);
    assert.match(r.stdout, /\d+ rules\n$/);
  });
});

describe('cli: shards and merge', () => {
  const many = join(tmp, 'many');
  mkdirSync(join(many, 'pkg'), { recursive: true });
  for (let i = 0; i < 40; i++) {
    writeFileSync(
      join(many, i % 2 ? 'pkg' : '', `f${i}.ts`),
      `// MARK_${['HIGH', 'LOW', 'INFO'][i % 3]} ${i}\nconst k${i} = 1;\n`,
    );
  }
  writeFileSync(join(many, 'blob.js'), Buffer.from([0x41, 0, 0x42]));

  test('the union of --shard K/N equals a single run, finding for finding, and shards are disjoint', async () => {
    const whole = await json([many]);
    assert.equal(whole.findings.length, 40);
    for (const n of [2, 3, 5]) {
      const parts: JsonReport[] = [];
      for (let k = 1; k <= n; k++) parts.push(await json([many, '--shard', `${k}/${n}`]));
      const union = parts.flatMap((p) => p.findings);
      assert.equal(union.length, whole.findings.length, `N=${n}: no finding twice, none lost`);
      assert.deepEqual(new Set(union.map((f) => f.fingerprint)), new Set(whole.findings.map((f) => f.fingerprint)));
      assert.deepEqual(
        parts.flatMap((p) => p.skipped).sort((a, b) => a.file.localeCompare(b.file)),
        whole.skipped,
      );
      assert.equal(
        parts.reduce((s, p) => s + p.stats.filesScanned, 0),
        whole.stats.filesScanned,
      );
      assert.ok(parts.filter((p) => p.findings.length > 0).length >= 2, `N=${n}: the partition actually splits`);
    }
  });

  test('merge of shard reports equals the single run (findings, skipped, stats)', async () => {
    const whole = await json([many]);
    const files: string[] = [];
    for (let k = 1; k <= 3; k++) {
      const f = join(tmp, `shard-${k}.json`);
      assert.equal(
        (await cli(['scan', many, '--shard', `${k}/3`, '--format', 'json', '--output', f, '--fail-on', 'none'])).code,
        0,
      );
      files.push(f);
    }
    // A shard listed twice must not duplicate anything.
    const m = await cli(['merge', ...files, files[0]!, '--format', 'json', '--fail-on', 'none']);
    assert.equal(m.code, 0, m.stderr);
    const merged = JSON.parse(m.stdout) as JsonReport;
    assert.deepEqual(merged.findings, whole.findings);
    assert.deepEqual(merged.skipped, whole.skipped);
    assert.equal(merged.stats.filesSkipped, whole.stats.filesSkipped);
    assert.deepEqual(merged.stats.bySeverity, whole.stats.bySeverity);
    assert.equal(merged.root, whole.root);
    // merge honours --fail-on (default high) and writes other formats.
    assert.equal((await cli(['merge', ...files, '--format', 'sarif'])).code, 1);
    const sarif = JSON.parse((await cli(['merge', ...files, '--format', 'sarif', '--fail-on', 'none'])).stdout);
    assert.equal(sarif.runs[0].results.length, 40);
  });

  test('merge rejects files that are not JSON reports', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');
    const r = await cli(['merge', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not an MCP Sentinel JSON report/);
    writeFileSync(bad, 'not json');
    assert.equal((await cli(['merge', bad])).code, 2);
  });
});
