// The TextMate injection grammar that highlights ignore directives in comments, and its contribution in
// package.json (with the JSON Schemas). TextMate runs Oniguruma; the pattern uses only syntax that JS RegExp reads
// the same way (a fixed-width lookbehind, lookaheads, classes), so plain JS is a faithful test here.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { directivesIn } from './helpers';

const ROOT = process.cwd();
const grammar = JSON.parse(readFileSync(join(ROOT, 'syntaxes/mcp-sentinel-ignore.tmLanguage.json'), 'utf8')) as {
  scopeName: string;
  injectionSelector: string;
  repository: { directive: { match: string; captures: Record<string, { name: string }> } };
};
const directive = new RegExp(grammar.repository.directive.match, 'g');

/** The captures (keyword, rule ids, colon, reason) of the first directive in a line, or undefined. */
function highlight(line: string): (string | undefined)[] | undefined {
  directive.lastIndex = 0;
  const m = directive.exec(line);
  return m ? [m[1], m[2], m[3], m[4]] : undefined;
}

describe('ignore-directive grammar', () => {
  test('injects into comments only', () => {
    assert.equal(grammar.injectionSelector, 'L:comment');
    assert.equal(grammar.repository.directive.captures['1']!.name, 'keyword.control.directive.mcp-sentinel');
  });

  test('highlights the directive, rule ids, colon and reason in every comment syntax', () => {
    const cases: [string, (string | undefined)[]][] = [
      [
        '// mcp-sentinel-ignore secret-hardcoded: test fixture',
        ['mcp-sentinel-ignore', 'secret-hardcoded', ':', 'test fixture'],
      ],
      [
        'x = 1  # mcp-sentinel-ignore-file cmd-injection, ssrf-fetch: sandboxed',
        ['mcp-sentinel-ignore-file', 'cmd-injection, ssrf-fetch', ':', 'sandboxed'],
      ],
      ['/* mcp-sentinel-ignore rule-a: block form */', ['mcp-sentinel-ignore', 'rule-a', ':', 'block form']],
      ['  # mcp-sentinel-ignore rule-a', ['mcp-sentinel-ignore', 'rule-a', undefined, undefined]],
      ['// mcp-sentinel-ignore rule-a:', ['mcp-sentinel-ignore', 'rule-a', ':', '']],
    ];
    for (const [line, expected] of cases) assert.deepEqual(highlight(line), expected, line);
  });

  test('does not highlight look-alike words', () => {
    for (const line of [
      '// xmcp-sentinel-ignore a: b',
      '// mcp-sentinel-ignored a: b',
      '// mcp-sentinel-ignore-files a: b',
    ]) {
      assert.equal(highlight(line), undefined, line);
    }
  });

  test('highlights what the engine accepts: same rule ids and reason as the directive parser', () => {
    for (const line of [
      '// mcp-sentinel-ignore a-1, b.c: why it is fine',
      '// mcp-sentinel-ignore-file only-rule: generated file',
    ]) {
      const [d] = directivesIn('a.ts', line + '\n');
      const h = highlight(line)!;
      assert.deepEqual(
        h[1]!.split(',').map((s) => s.trim()),
        d!.ruleIds,
      );
      assert.equal(h[3], d!.reason);
    }
  });
});

describe('package.json contributions', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    contributes: {
      grammars: { scopeName: string; path: string; injectTo: string[] }[];
      jsonValidation: { fileMatch: string[]; url: string }[];
    };
  };

  test('the grammar is contributed and injected into every scanned language', () => {
    const g = pkg.contributes.grammars.find((x) => x.scopeName === grammar.scopeName);
    assert.ok(g, 'grammar contributed');
    assert.ok(existsSync(join(ROOT, g.path)));
    for (const scope of [
      'source.ts',
      'source.tsx',
      'source.js',
      'source.js.jsx',
      'source.python',
      'source.json',
      'source.json.comments',
      'source.yaml',
      'source.dockerfile',
      'source.shell',
      'source.dotenv',
    ]) {
      assert.ok(g.injectTo.includes(scope), scope);
    }
  });

  test('both schemas are contributed through jsonValidation and exist', () => {
    const byUrl = new Map(pkg.contributes.jsonValidation.map((v) => [v.url, v.fileMatch]));
    assert.deepEqual(byUrl.get('./schemas/mcp-sentinel.schema.json'), ['.mcp-sentinel.json']);
    assert.deepEqual(byUrl.get('./schemas/mcp-sentinel-ignore.schema.json'), ['**/.mcp-sentinel/ignore.json']);
    for (const url of byUrl.keys()) assert.ok(existsSync(join(ROOT, url)), url);
  });
});
