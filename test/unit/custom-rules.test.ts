// Custom rules from the project config: the RE2 gate (lookaround, backreferences, RE2 compile errors and syntax
// the two engines read differently are rejected, naming the rule), and working rules reporting like built-in ones.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkCustomPattern, ConfigLoadError, parseProjectConfig } from '../../server/project';
import { enabledRuleMeta } from '../../server/rules/catalogue';
import { openProject, scanDocument } from '../../server/engine/project';
import { createBackend } from '../../server/core/regex';

const FIXTURES = join(process.cwd(), 'test/fixtures/project-config');

function rootWith(config: unknown): string {
  const root = mkdtempSync(join(tmpdir(), 'custom-'));
  writeFileSync(
    join(root, '.mcp-sentinel.json'),
    typeof config === 'string' ? config : JSON.stringify(config, null, 2),
  );
  return root;
}

const rule = (over: Record<string, unknown>) => ({
  id: 'my-rule',
  message: 'm',
  severity: 'high',
  category: 'other',
  pattern: 'x',
  ...over,
});

let re2Loads = true;
try {
  createBackend('re2');
} catch {
  re2Loads = false;
}

describe('the RE2 gate', () => {
  test('a lookahead is rejected with an error naming the rule, at the pattern (CLI: exit 2)', async () => {
    await assert.rejects(openProject(FIXTURES, { configPath: 'bad-lookahead.json' }), (e: unknown) => {
      assert.ok(e instanceof ConfigLoadError);
      assert.equal(e.errors.length, 1);
      const err = e.errors[0]!;
      assert.deepEqual([err.line, err.column], [8, 18]);
      assert.match(err.message, /^custom rule "no-token-unless-test": pattern uses syntax RE2 cannot run: lookahead/);
      return true;
    });
  });

  test('lookbehind, backreferences, inline flags, Unicode and POSIX classes, empty matches are rejected', () => {
    const cases: [string, RegExp][] = [
      ['(?<=key=)\\w+', /lookbehind/],
      ['(["\'])x\\1', /backreferences/],
      ['(?i)secret', /use the "flags" field/],
      ['\\pL+', /Unicode class/],
      ['[[:alpha:]]+', /POSIX class/],
      ['a*', /matches the empty string/],
      ['', /pattern is empty/],
      ['a++', /does not compile/],
    ];
    for (const [pattern, message] of cases) assert.match(checkCustomPattern(pattern) ?? 'accepted', message, pattern);
    assert.equal(checkCustomPattern('token_[A-Za-z0-9]{20,}'), undefined);
    assert.equal(checkCustomPattern('\\(\\?=x\\)'), undefined, 'escaped parentheses are literals, not a lookahead');
  });

  test(
    'a pattern RE2 cannot compile is rejected even though JS accepts it',
    { skip: !re2Loads && 're2 does not load here' },
    () => {
      assert.match(checkCustomPattern('secret\\Z') ?? 'accepted', /does not compile in RE2: invalid escape sequence/);
    },
  );

  test('other custom-rule mistakes name the rule too', () => {
    const errs = (r: unknown) =>
      parseProjectConfig(JSON.stringify({ customRules: [r] }), 'x', ['builtin-rule']).errors.map((e) => e.message);
    assert.deepEqual(errs(rule({ id: 'builtin-rule' })), [
      'custom rule "builtin-rule": the id is already used by a built-in rule',
    ]);
    assert.deepEqual(errs(rule({ severity: 'severe' })), [
      'custom rule "my-rule": "severity" must be "critical", "high", "medium", "low" or "info"',
    ]);
    assert.deepEqual(errs(rule({ flags: 'g' })), [
      'custom rule "my-rule": "flags" must be a string of flags among "i", "m" and "s"',
    ]);
    assert.deepEqual(errs(rule({ id: 'My_Rule' })), [
      'custom rule "My_Rule": "id" must be kebab-case (lower-case letters, digits and single hyphens)',
    ]);
    assert.deepEqual(errs({ id: 'half' }), [
      'custom rule "half": missing required property "message"',
      'custom rule "half": missing required property "severity"',
      'custom rule "half": missing required property "category"',
      'custom rule "half": missing required property "pattern"',
    ]);
  });
});

describe('a working custom rule', () => {
  test('reports findings with its id, message, severity, category, exact range and stable fingerprints', async () => {
    const root = rootWith({
      customRules: [
        rule({
          id: 'internal-admin-url',
          message: 'Internal admin URL in source',
          severity: 'medium',
          category: 'ssrf',
          files: ['src/**'],
          pattern: 'https?://admin\\.internal\\.[a-z]+',
          flags: 'i',
        }),
      ],
    });
    const p = await openProject(root);
    const text = 'const a = 1;\nfetch("HTTPS://admin.internal.corp/api");\n';
    const fs = scanDocument(p, 'src/client.ts', text).findings.filter((f) => f.ruleId === 'internal-admin-url');
    assert.equal(fs.length, 1);
    const f = fs[0]!;
    assert.deepEqual(
      { message: f.message, severity: f.severity, category: f.category, range: f.range },
      {
        message: 'Internal admin URL in source',
        severity: 'medium',
        category: 'ssrf',
        range: { start: { line: 1, character: 7 }, end: { line: 1, character: 34 } },
      },
    );
    assert.match(f.fingerprint, /^internal-admin-url:[0-9a-f]{16}$/);
    const moved = scanDocument(p, 'src/client.ts', '// header\n\n' + text).findings.find(
      (x) => x.ruleId === 'internal-admin-url',
    )!;
    assert.equal(moved.fingerprint, f.fingerprint);
    // The files glob limits where it runs.
    assert.deepEqual(
      scanDocument(p, 'docs/notes.py', 'x = "https://admin.internal.corp"\n').findings.filter(
        (x) => x.ruleId === 'internal-admin-url',
      ),
      [],
    );
    // Its metadata is there for SARIF.
    const meta = enabledRuleMeta(p.engine.rules, (r) => p.engine.severityOf(r)).find(
      (m) => m.id === 'internal-admin-url',
    );
    assert.equal(meta?.category, 'ssrf');
    assert.equal(meta?.severity, 'medium');
  });

  test('custom rule ids work in rule settings, ignore entries and inline directives', async () => {
    const root = rootWith({
      rules: { 'todo-marker': 'info' },
      customRules: [rule({ id: 'todo-marker', message: 'TODO left in code', severity: 'low', pattern: 'TODO-SEC' })],
      ignore: [{ rule: 'todo-marker', path: 'vendor/**', reason: 'third-party code' }],
    });
    const p = await openProject(root);
    const only = (file: string, text: string) =>
      scanDocument(p, file, text).findings.filter((f) => f.ruleId === 'todo-marker');
    assert.equal(only('a.py', 'x = 1  # TODO-SEC\n')[0]!.severity, 'info');
    assert.equal(only('vendor/a.py', 'x = 1  # TODO-SEC\n')[0]!.suppressed?.kind, 'ignore-file');
    assert.equal(
      only('a.py', '# mcp-sentinel-ignore todo-marker: tracked in #9\nTODO-SEC = 1\n')[0]!.suppressed?.reason,
      'tracked in #9',
    );
  });
});
