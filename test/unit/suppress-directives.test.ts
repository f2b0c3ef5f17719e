// The directive grammar (server/engine/suppress/directives.ts): the writer and the parser agree (what a quick fix
// or the rule docs suggest is what the engine accepts), and the reader finds directives only at the start of a
// comment, with the lines each covers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDirective, parseDirective, type DirectiveScope } from '../../server/engine/suppress/directives';
import { directivesIn } from './helpers';

describe('formatDirective and parseDirective', () => {
  const cases: { scope: DirectiveScope; ruleIds: string[]; reason: string }[] = [
    { scope: 'line', ruleIds: ['secret-github-pat'], reason: 'test fixture, never deployed' },
    { scope: 'file', ruleIds: ['cmd-injection', 'ssrf-fetch'], reason: 'sandboxed: see SECURITY.md' },
    { scope: 'line', ruleIds: ['a_1.b-2'], reason: '<reason>' },
    { scope: 'file', ruleIds: ['only-rule'], reason: '' },
  ];

  test('format → parse gives back the scope, rule ids and reason', () => {
    for (const c of cases) {
      const written = formatDirective(c);
      const parsed = parseDirective(written);
      assert.ok(parsed, written);
      assert.deepEqual(
        { scope: parsed.scope, ruleIds: parsed.ruleIds, reason: parsed.reason, problem: parsed.problem },
        { ...c, problem: undefined },
        written,
      );
      assert.deepEqual([parsed.start, parsed.end], [0, written.replace(/\s+$/, '').length]);
    }
  });

  test('format → comment → findDirectives gives back the same directive in every comment syntax', () => {
    for (const c of cases) {
      for (const [path, comment] of [
        ['a.ts', (d: string) => `// ${d}\nx;\n`],
        ['a.ts', (d: string) => `/* ${d} */\nx;\n`],
        ['a.py', (d: string) => `# ${d}\nx = 1\n`],
        ['ci.yaml', (d: string) => `# ${d}\na: 1\n`],
        ['.vscode/mcp.json', (d: string) => `{\n  // ${d}\n  "a": 1\n}\n`],
        ['main.go', (d: string) => `// ${d}\nx := 1\n`],
      ] as const) {
        const [d] = directivesIn(path, comment(formatDirective(c)));
        assert.ok(d, `${path}: ${formatDirective(c)}`);
        assert.deepEqual([d.scope, d.ruleIds, d.reason, d.problem], [c.scope, c.ruleIds, c.reason, undefined], path);
      }
    }
  });

  test('the exact text quick fixes and docs write', () => {
    assert.equal(
      formatDirective({ scope: 'line', ruleIds: ['r'], reason: '<reason>' }),
      'mcp-sentinel-ignore r: <reason>',
    );
    assert.equal(
      formatDirective({ scope: 'file', ruleIds: ['r', 's'], reason: '<reason>' }),
      'mcp-sentinel-ignore-file r, s: <reason>',
    );
    assert.equal(formatDirective({ scope: 'line', ruleIds: ['r'] }), 'mcp-sentinel-ignore r');
  });

  test('malformed directives are parsed with their problem', () => {
    assert.match(parseDirective('mcp-sentinel-ignore: why')!.problem!, /names no rule id/);
    assert.match(parseDirective('mcp-sentinel-ignore r because')!.problem!, /expected ":"/);
    assert.equal(parseDirective('mcp-sentinel-ignored r: why'), undefined);
    assert.equal(parseDirective('see mcp-sentinel-ignore r: why'), undefined);
  });
});

describe('findDirectives', () => {
  test('several rule ids separated by commas', () => {
    const d = directivesIn('a.ts', '// mcp-sentinel-ignore test-danger, other-rule: both are fine here\nx');
    assert.equal(d.length, 1);
    assert.deepEqual(d[0]!.ruleIds, ['test-danger', 'other-rule']);
    assert.equal(d[0]!.reason, 'both are fine here');
    assert.deepEqual(d[0]!.lines, [0, 1]);
  });

  test('prose that mentions the keyword mid-comment is not a directive', () => {
    assert.deepEqual(directivesIn('a.ts', '// to silence it, write mcp-sentinel-ignore test-danger: why\nx'), []);
  });
});
