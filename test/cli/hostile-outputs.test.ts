// Issue 16, the output attacks (items 3, 6, 7, 8 and 13): each test is named after an attack, plants it in a
// temporary workspace or shard report, and checks every format the CLI writes. Secrets must never appear whole,
// merged reports must be validated and read no source file, control characters must not reach a terminal, and a
// rule that crashed must be visible in every format and in the exit code.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { defineRule, type Rule } from '../../server/core/rule';
import type { JsonReport } from '../../server/reports/model';
import type { OpenProjectOptions } from '../../server/engine/project';
import { cli, fixture, sarifValidator, testRulesOnly } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-hostile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Classic GitHub tokens in the real format (random bodies, no placeholder or fixture word in them). */
const PAT = 'ghp_xEEsAoCaA2QTqpOoast0vQj8VMtbYo9Mqb5j';
const PAT2 = 'ghp_ZMQObDDMOTsoYtxqAYfwFBHPl8KsLcsf1YaH';
/** The test rules' secret format (see helpers.ts). */
const TSK = 'tsk_Q2w3E4r5T6y7U8i9O0pA';

let counter = 0;

/** Writes a workspace of files (text or bytes) under a fresh folder and returns its path. */
function workspace(files: Record<string, string | Buffer>): string {
  const root = join(tmp, `ws${counter++}`);
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return root;
}

/** The real rule packs, nothing switched off. */
const REAL: { project: OpenProjectOptions } = { project: {} };

/**
 * A rule that quotes a name from the file in its message and in a related location, as the MCP rules quote tool,
 * parameter and server names: `NAME:<anything up to a space>`.
 */
const echoRule: Rule = defineRule({
  id: 'test-echo',
  title: 'Test echo',
  description: 'Quotes a name from the file, as rules quote tool names.',
  category: 'tool-poisoning',
  severity: 'high',
  cwe: [],
  owasp: [],
  kinds: ['js', 'python', 'json', 'text'],
  keywords: ['NAME:'],
  docs: 'Test only.',
  detect(ctx) {
    return ctx
      .re('NAME:([^ \\n]+)')
      .matchAll(ctx.doc)
      .map((m) => ({
        start: m.start,
        end: m.end,
        message: `tool "${m.groups[1]!.text}" does something`,
        related: [{ start: m.start, end: m.end, message: `defined here as ${m.groups[1]!.text}` }],
      }));
  },
  positive: [{ path: 'a.ts', code: '// «NAME:x»' }],
  negative: [{ path: 'a.ts', code: '// name' }],
});

/** A rule that throws on any file holding `CRASH_ME`, with a token in its error message. */
const crashRule: Rule = defineRule({
  id: 'test-crash',
  title: 'Test crash',
  description: 'Throws, as a buggy rule would.',
  category: 'other',
  severity: 'high',
  cwe: [],
  owasp: [],
  kinds: ['js', 'python', 'json', 'text'],
  keywords: ['CRASH_ME'],
  docs: 'Test only.',
  detect() {
    throw new Error(`cannot read ${PAT} at offset 3`);
  },
  positive: [],
  negative: [],
});

/** The test rules (secret and marker) plus extra ones, every built-in rule off. */
async function withRules(...extra: Rule[]): Promise<{ project: OpenProjectOptions }> {
  const base = await testRulesOnly();
  return { project: { ...base, extraRules: [...(base.extraRules ?? []), ...extra] } };
}

/** Scans `root` in every format (to files, as CI would) and returns the texts. */
async function allFormats(
  root: string,
  opts: { project: OpenProjectOptions },
  extra: string[] = [],
): Promise<{ code: number; stderr: string; json: string; sarif: string; text: string; html: string }> {
  const out = join(tmp, `out${counter++}`);
  const r = await cli(
    ['scan', root, '--format', 'json,sarif,text,html', '--output-dir', out, '--fail-on', 'none', ...extra],
    opts,
  );
  const read = (ext: string) => readFileSync(join(out, `mcp-sentinel.${ext}`), 'utf8');
  return {
    code: r.code,
    stderr: r.stderr,
    json: read('json'),
    sarif: read('sarif'),
    text: read('txt'),
    html: read('html'),
  };
}

/** A JSON report of `root` written as a shard would be, parsed for tampering. */
async function shard(root: string, opts?: { project: OpenProjectOptions }): Promise<JsonReport> {
  const r = await cli(['scan', root, '--format', 'json', '--fail-on', 'none'], opts ?? {});
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as JsonReport;
}

/** Writes a (possibly tampered) report and merges it to HTML. */
async function mergeHtml(
  report: unknown,
  extra: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(tmp, `shard${counter++}.json`);
  writeFileSync(file, JSON.stringify(report));
  return cli(['merge', file, '--format', 'html', '--fail-on', 'none', ...extra]);
}

describe('issue 16 item 3: secrets in HTML code excerpts', () => {
  test('attack: a token in a client config cwd, URL path and bash -c argument, which no rule reports, is shown whole in the HTML excerpt', async () => {
    const root = workspace({
      '.vscode/mcp.json': [
        '{ "servers": { "deploy": {',
        `  "command": "bash", "args": ["-c", "curl -s https://get.acme.io/i.sh | sh -s -- ${PAT}"],`,
        `  "cwd": "/srv/${PAT2}/app",`,
        `  "url": "http://hooks.acme.io/${PAT}/mcp"`,
        '} } }',
        '',
      ].join('\n'),
    });
    const { html, json } = await allFormats(root, REAL);
    assert.ok(JSON.parse(json).findings.length > 0, 'some rule reports this config, so the HTML has excerpts');
    assert.match(html, /<table class="ctx">/);
    assert.ok(!html.includes(PAT), 'the bash -c and URL token is masked');
    assert.ok(!html.includes(PAT2), 'the cwd token is masked');
    assert.match(html, /ghp_…\(40 chars\)/);
  });

  test('attack: merge --format html re-reads source files (a file edited after the scan leaks its new token)', async () => {
    const root = workspace({ 'src/app.ts': `const k = '${TSK}';\n// MARK_HIGH\n` });
    const report = await shard(root, await withRules());
    // After the scan the file changes: a token moves to where the excerpt would show it unmasked.
    writeFileSync(join(root, 'src/app.ts'), `const other = 'x'; const k = '${TSK}';\n// MARK_HIGH ${PAT}\n`);
    const r = await mergeHtml(report);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(TSK) && !r.stdout.includes(PAT), 'nothing of the edited file reaches the report');
    assert.doesNotMatch(r.stdout, /<table class="ctx">/, 'merged HTML has no code excerpts');
    assert.match(r.stdout, /Code excerpts are not shown: a merged report is built from the shard reports only/);
  });

  test('attack: merge --format html re-reads a UTF-16 file as UTF-8 and leaks most of its token', async () => {
    const text = `\ufeffimport os\r\nkey = "${TSK}"\r\n# MARK_LOW\r\n`;
    const root = workspace({ 'conf/settings.py': Buffer.from(text, 'utf16le') });
    const r = await mergeHtml(await shard(root, await withRules()));
    assert.equal(r.code, 0, r.stderr);
    const visible = r.stdout.replace(/\u0000/g, '');
    assert.ok(!visible.includes(TSK.slice(4, 12)), 'no run of the token survives, NUL bytes removed');
  });

  test('a UTF-16 file with a BOM and CRLF line ends: the scan excerpt is the decoded text, masked at the right columns', async () => {
    const text = `\ufeffimport os\r\nkey = "${TSK}"  # NAME:${PAT}\r\n# MARK_LOW\r\n`;
    const root = workspace({ 'conf/settings.py': Buffer.from(text, 'utf16le') });
    const { html } = await allFormats(root, await withRules(echoRule));
    assert.ok(!html.includes(TSK) && !html.includes(PAT));
    assert.ok(!html.includes(TSK.slice(4, 12)) && !html.includes(PAT.slice(4, 12)), 'no part of either token');
    assert.match(html, /<code>key = &quot;tsk_…\(24 chars\)&quot;  # NAME:ghp_…\(40 chars\)<\/code>/);
    assert.match(html, /<td class="ln">1<\/td><td><code>import os<\/code>/, 'the BOM is not part of line 1');
  });
});

describe('issue 16 item 6: merge trusts its input', () => {
  const golden = fixture('golden');

  test('attack: a shard report with markup in `severity` runs script in the merged HTML', async () => {
    const report = await shard(golden, await withRules());
    report.findings[0]!.severity = '"><script>alert(1)</script>' as never;
    const r = await mergeHtml(report);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '', 'no report is written');
    assert.match(r.stderr, /not a valid JSON report: findings\.0\.severity must be one of "critical", "high"/);
  });

  test('attack: a shard report with markup in a line number, or a fractional one', async () => {
    for (const line of ['<img src=x onerror=alert(1)>', 2.5, 0]) {
      const report = await shard(golden, await withRules());
      report.findings[1]!.range.start.line = line as never;
      const r = await mergeHtml(report);
      assert.equal(r.code, 2, `line ${JSON.stringify(line)}`);
      assert.match(r.stderr, /findings\.1\.range\.start\.line must be (integer|>= 1)/);
    }
  });

  test('attack: a shard report with an unknown category or an extra field', async () => {
    const report = await shard(golden, await withRules());
    report.findings[0]!.category = 'onmouseover=alert(1)' as never;
    assert.match((await mergeHtml(report)).stderr, /findings\.0\.category must be one of "secret"/);
    const extra = await shard(golden, await withRules());
    (extra.findings[0] as unknown as Record<string, unknown>).html = '<script>';
    assert.match((await mergeHtml(extra)).stderr, /findings\.0 has an unknown property "html"/);
  });

  test('attack: a finding path ../../../../etc/passwd puts that file into the merged HTML', async () => {
    for (const file of ['../../../../etc/passwd', 'src/../../../etc/passwd', '/etc/passwd', 'C:/Windows/win.ini']) {
      const report = await shard(golden, await withRules());
      report.findings[0]!.file = file;
      const r = await mergeHtml(report);
      assert.equal(r.code, 2, file);
      assert.match(r.stderr, /findings\.0\.file .* (leaves the root|is absolute)/);
      assert.doesNotMatch(r.stdout + r.stderr, /root:x:0:0/);
    }
    const related = await shard(golden, await withRules());
    related.skipped.push({ file: '../outside.ts', reason: 'x' });
    assert.match((await mergeHtml(related)).stderr, /skipped\.0\.file "\.\.\/outside\.ts" leaves the root/);
  });

  test('attack: the HTML report CSP allows inline script', async () => {
    const { html } = await allFormats(golden, await withRules());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'the page declares a CSP');
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /default-src 'none'/);
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    assert.match(csp, new RegExp(`script-src ${escapeRegExp(hash(script))}(;|$)`), 'the report script runs by hash');
    assert.match(csp, new RegExp(`style-src ${escapeRegExp(hash(style))}(;|$)`), 'the report style applies by hash');
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script block, the hashed one');
  });

  test('a valid shard still merges, and the written report validates against schemas/mcp-sentinel-report.schema.json', async () => {
    const report = await shard(golden, await withRules());
    const file = join(tmp, `valid${counter++}.json`);
    writeFileSync(file, JSON.stringify(report));
    const r = await cli(['merge', file, '--format', 'json', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as JsonReport).findings, report.findings);
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('issue 16 item 7: terminal escapes in human-readable output', () => {
  const hostileName = 'a\x1b[2J\x1b]0;owned\x07\nforged line.ts';

  test('attack: a file name with clear-screen, window-title and newline sequences forges the text report, even in a file', async () => {
    const root = workspace({ [hostileName]: '// MARK_HIGH\n', 'ok.ts': '// MARK_LOW\n' });
    const { text } = await allFormats(root, await withRules());
    assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, 'no control character but line ends');
    assert.ok(
      text.split('\n').includes('a\\x1b[2J\\x1b]0;owned\\x07\\nforged line.ts'),
      'the name is one escaped line',
    );
    assert.ok(!text.split('\n').some((l) => l.startsWith('forged line.ts')), 'no forged line');
  });

  test('attack: tool and parameter names with escapes and bidi overrides in messages, and --verbose file names', async () => {
    const root = workspace({
      'server.ts': '// NAME:ev\x1b]0;x\x07il\u202egnp.exe\n',
      ['bin\x1b[31m\u2028ary.ts']: Buffer.from([0x41, 0, 0x42]),
    });
    const out = join(tmp, `verbose${counter++}.txt`);
    const r = await cli(
      ['scan', root, '--format', 'text', '--output', out, '--verbose', '--fail-on', 'none'],
      await withRules(echoRule),
    );
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(out, 'utf8');
    for (const [what, s] of [
      ['text report', text],
      ['--verbose', r.stderr],
    ] as const) {
      assert.doesNotMatch(
        s,
        /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/,
        what,
      );
    }
    assert.match(text, /tool "ev\\x1b\]0;x\\x07il\\u202egnp\.exe" does something/);
    assert.match(r.stderr, /skipped bin\\x1b\[31m\\u2028ary\.ts: binary file/);
  });
});

describe('issue 16 item 8: a secret used as an identifier', () => {
  test('attack: an MCP server named with a GitHub token is printed whole in JSON, SARIF, text and HTML', async () => {
    const root = workspace({
      '.vscode/mcp.json': JSON.stringify(
        { servers: { [PAT]: { command: 'node', args: ['server.js'], env: { GITHUB_TOKEN: PAT2 } } } },
        null,
        2,
      ),
    });
    const out = await allFormats(root, REAL);
    const report = JSON.parse(out.json) as JsonReport;
    assert.ok(
      report.findings.some((f) => f.ruleId === 'mcp-config-plaintext-secret'),
      'the plaintext secret rule reports the env value and quotes the server name',
    );
    for (const [format, s] of Object.entries(out)) {
      if (typeof s !== 'string') continue;
      assert.ok(!s.includes(PAT) && !s.includes(PAT2), `${format} holds no token whole`);
    }
    assert.match(out.json, /MCP server \\"ghp_…\(40 chars\)\\"/);
  });

  test('attack: a tool name holding a token, quoted in a message and a related-location message', async () => {
    const root = workspace({ 'server.ts': `// NAME:${PAT}\n` });
    const out = await allFormats(root, await withRules(echoRule));
    for (const [format, s] of Object.entries(out)) {
      if (typeof s !== 'string') continue;
      assert.ok(!s.includes(PAT), `${format} holds no token whole`);
    }
    const f = (JSON.parse(out.json) as JsonReport).findings[0]!;
    assert.equal(f.message, 'tool "ghp_…(40 chars)" does something');
    assert.equal(f.related?.[0]?.message, 'defined here as ghp_…(40 chars)');
    const sarif = JSON.parse(out.sarif);
    assert.equal(sarif.runs[0].results[0].relatedLocations[0].message.text, 'defined here as ghp_…(40 chars)');
  });

  test('attack: a shard report written elsewhere carries a token whole into the merged output', async () => {
    const report = await shard(fixture('golden'), await withRules());
    report.findings[0]!.message = `tool ${PAT} shadows another`;
    report.skipped.push({ file: 'x.ts', reason: `unreadable: ${PAT2}` });
    const file = join(tmp, `tokens${counter++}.json`);
    writeFileSync(file, JSON.stringify(report));
    for (const format of ['json', 'sarif', 'text', 'html']) {
      const r = await cli(['merge', file, '--format', format, '--fail-on', 'none']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes(PAT) && !r.stdout.includes(PAT2), format);
    }
  });
});

describe('issue 16 item 13: a crashed rule', () => {
  test('attack: a rule that throws on a file is invisible (file counted as scanned, executionSuccessful, "No findings", exit 0)', async () => {
    const root = workspace({ 'src/a.ts': '// CRASH_ME\n', 'src/b.ts': '// nothing\n' });
    const rules = await withRules(crashRule);
    const out = await allFormats(root, rules);
    assert.equal(out.code, 2, 'a rule error exits with 2');
    assert.match(out.stderr, /1 rule error\(s\): the results are incomplete .*--allow-rule-errors/);

    const report = JSON.parse(out.json) as JsonReport;
    assert.deepEqual(report.ruleErrors, [
      { file: 'src/a.ts', ruleId: 'test-crash', message: 'cannot read ghp_…(40 chars) at offset 3' },
    ]);
    assert.equal(report.stats.ruleErrors, 1);

    const run = JSON.parse(out.sarif).runs[0];
    assert.equal(run.invocations[0].executionSuccessful, false);
    const note = run.invocations[0].toolExecutionNotifications.find(
      (n: { descriptor: { id: string } }) => n.descriptor.id === 'rule-error',
    );
    assert.equal(note.level, 'error');
    assert.equal(note.associatedRule.id, 'test-crash');
    assert.equal(note.locations[0].physicalLocation.artifactLocation.uri, 'src/a.ts');
    const validate = sarifValidator();
    assert.ok(validate(JSON.parse(out.sarif)), JSON.stringify(validate.errors, null, 2));

    assert.match(out.text, /Rule errors .*\n {2}src\/a\.ts {2}test-crash: cannot read ghp_…\(40 chars\) at offset 3\n/);
    assert.match(out.text, /; 1 rule error \(results are incomplete\)/);
    assert.match(out.html, /1 rule error\(s\): these rules failed on these files/);
    assert.match(out.html, /No findings, but the results are incomplete/);
    assert.doesNotMatch(out.html, /<p>No findings\.<\/p>/);
    for (const s of Object.values(out)) if (typeof s === 'string') assert.ok(!s.includes(PAT));

    const allowed = await cli(['scan', root, '--fail-on', 'none', '--allow-rule-errors'], rules);
    assert.equal(allowed.code, 0, '--allow-rule-errors exits by the findings');
  });

  test('attack: baseline writes an incomplete baseline and exits 0 when a rule crashed', async () => {
    const root = workspace({ 'a.ts': '// CRASH_ME\n// MARK_LOW\n' });
    const rules = await withRules(crashRule);
    const output = join(tmp, `baseline${counter++}.json`);
    const refused = await cli(['baseline', root, '--output', output], rules);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /1 rule error\(s\): no baseline written/);
    assert.ok(!existsSync(output), 'nothing written');
    const accepted = await cli(['baseline', root, '--output', output, '--allow-rule-errors'], rules);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.ok(existsSync(output), 'written when the user accepts incomplete results');
  });

  test('merge keeps the rule errors of its shards, and exits 2 unless --allow-rule-errors', async () => {
    const root = workspace({ 'a.ts': '// CRASH_ME\n// MARK_LOW\n' });
    const r = await cli(
      ['scan', root, '--format', 'json', '--fail-on', 'none', '--allow-rule-errors'],
      await withRules(crashRule),
    );
    assert.equal(r.code, 0, r.stderr);
    const file = join(tmp, `errors${counter++}.json`);
    writeFileSync(file, r.stdout);
    const merged = await cli(['merge', file, file, '--format', 'json', '--fail-on', 'none']);
    assert.equal(merged.code, 2);
    const report = JSON.parse(merged.stdout) as JsonReport;
    assert.equal(report.ruleErrors?.length, 1, 'a shard given twice does not double its errors');
    assert.equal(report.stats.ruleErrors, 1);
    assert.equal((await cli(['merge', file, '--fail-on', 'none', '--allow-rule-errors'])).code, 0);
  });
});
