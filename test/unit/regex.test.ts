// The regex backends (server/core/regex): the JS backend is linear in the text for every pattern it accepts, refuses
// syntax that RE2 and JS read differently, and gives the same matches as RE2 on hostile text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createBackend, type RegexBackend } from '../../server/core/regex';

let re2: RegexBackend | undefined;
try {
  re2 = createBackend('re2');
} catch {
  re2 = undefined;
}
const js = createBackend('js');
const backends: RegexBackend[] = re2 ? [re2, js] : [js];

/** Every flag combination that rules and custom rules compile with. */
const FLAG_SETS = ['', 'i', 'm', 's', 'im', 'is', 'ms', 'ims'];

describe('catastrophic patterns run in linear time', () => {
  test('a custom rule (a+)+$ on 26 to 40 "a"s and a "b" finishes in milliseconds with every flag combination', () => {
    for (const flags of FLAG_SETS) {
      const p = js.compile('(a+)+$', flags);
      for (let n = 26; n <= 40; n += 2) {
        const text = 'a'.repeat(n) + 'b';
        const t0 = performance.now();
        assert.deepEqual(p.matchAll(js.prepare(text)), []);
        assert.equal(p.test(text), false);
        const ms = performance.now() - t0;
        assert.ok(ms < 250, `(a+)+$ with flags "${flags}" on ${n} characters took ${ms.toFixed(0)} ms`);
      }
    }
  });

  test('nested and ambiguous repetitions stay linear on 100,000 characters', () => {
    const cases: [string, string][] = [
      ['(x+x+)+y', 'x'.repeat(100_000)],
      ['(?:a|a)*c', 'a'.repeat(100_000)],
      ['(\\w+\\s?)+$', 'word '.repeat(20_000) + '!'],
      ['([A-Za-z0-9_.-]{0,60})+=', 'a'.repeat(100_000)],
    ];
    for (const [source, text] of cases) {
      for (const flags of ['', 'i']) {
        const t0 = performance.now();
        js.compile(source, flags).matchAll(js.prepare(text));
        const ms = performance.now() - t0;
        assert.ok(ms < 3000, `${source} (${flags}) took ${ms.toFixed(0)} ms on ${text.length} characters`);
      }
    }
  });
});

describe('syntax outside what both engines read alike is refused at compile time', () => {
  const cases: [string, RegExp][] = [
    ['(?=a)b', /lookahead/],
    ['(?<!a)b', /lookbehind/],
    ['(a)\\1', /backreferences/],
    ['(?<n>a)\\k<n>', /named backreferences/],
    ['[]a]', /may not start with \]/],
    ['\\a', /escape \\a is not supported/],
    ['\\u{41}', /hexadecimal digits/],
    ['a{1001}', /above 1000/],
    ['(?P<n>a)', /\(\?<name>…\)/],
    ['(?i)a', /flags field/],
    ['[[:alpha:]]', /POSIX/],
    ['a**', /another quantifier/],
    ['^*', /nothing to repeat/],
    ['(?:a{1000}){1000}', /too large/],
    ['('.repeat(1001) + ')'.repeat(1001), /nested deeper than 1000/],
  ];
  for (const [source, message] of cases) {
    test(`${source.slice(0, 24)} is refused`, () => assert.throws(() => js.compile(source), message));
  }
});

describe('both backends give the same matches on hostile text', () => {
  const patterns: [string, string][] = [
    ['^(\\w+)=(.*)$', 'm'],
    ['[ \\t]*(?:#[^\\r\\n]*)?\\r?$', 'm'],
    ['^.+$', 'm'],
    ['\\s+', ''],
    ['[^\\s]+', ''],
    ['.', ''],
    ['.', 's'],
    ['secret', 'i'],
    ['\\w+', 'i'],
    ['[^k]+', 'i'],
    ['\\bkey\\b', 'i'],
    ['(a|ab)(c|bcd)(d*)', ''],
    ['(a*)*b', ''],
    ['x*', ''],
    ['\\b', ''],
    ['(?:(a)|b)+', ''],
  ];
  const texts = [
    'KEY=value\nTOKEN=abc\n',
    'KEY=value\rTOKEN=abc\r',
    'KEY=value\r\nTOKEN=abc\r\n',
    'KEY=value\u2028TOKEN=abc\u2029x',
    '\ufeffKEY=va\ufefflue\u00a0x',
    'SECRET \u212aey \u017fecret ſ K k',
    'emoji 😀 and a lone \ud800 surrogate ☃',
    'abcd abcbcd aab',
    '',
  ];
  for (const [source, flags] of patterns) {
    test(`/${source}/${flags}`, { skip: !re2 && 'RE2 does not load here' }, () => {
      const a = re2!.compile(source, flags);
      const b = js.compile(source, flags);
      for (const t of texts) {
        assert.deepEqual(b.matchAll(js.prepare(t)), a.matchAll(re2!.prepare(t)), JSON.stringify(t));
        assert.equal(b.test(t), a.test(t), JSON.stringify(t));
      }
    });
  }
  test('an empty match before a surrogate pair moves on by the whole character', () => {
    for (const b of backends) {
      const starts = b
        .compile('x*')
        .matchAll(b.prepare('😀a'))
        .map((m) => m.start);
      assert.deepEqual(starts, [0, 2, 3], b.name);
    }
  });
});

describe('regular expression literals of the analyses and rules', () => {
  test('a .env secret of 36 letters ending in two capitals is judged in milliseconds by the CLI', () => {
    // isRandomLooking's /^(?:[A-Z]?[a-z]+)+$/ backtracked exponentially on it: 22 s at 30 letters through the CLI
    // with RE2 (which never turned on V8's fallback), hours at 36. The CLI runs in a process of its own here, so
    // nothing this test process set up helps it.
    const dir = mkdtempSync(join(tmpdir(), 'literal-'));
    writeFileSync(join(dir, '.env'), 'API_SECRET=qwertyuiopasdfghjklzxcvbnmqwertyuiopAA\n');
    const cli = join(process.cwd(), 'dist/cli.js');
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'scan', dir, '--format', 'json', '--fail-on', 'none'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    const ms = performance.now() - t0;
    assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''} after ${ms.toFixed(0)} ms: ${r.stderr}`);
    assert.ok(ms < 15_000, `${ms.toFixed(0)} ms`);
  });

  test('every literal can run on V8 linear engine, or has no quantified group holding a quantifier', async () => {
    // Literals run on V8's backtracking engine whatever the backend; core/regex turns on its fallback to the linear
    // engine after excessive backtracking, which covers every literal the linear engine accepts (no `i` flag, no
    // counted repetition above 16). The others must not have the shape of catastrophic backtracking.
    // The compiler is loaded at run time, not bundled into the test.
    const ts = createRequire(__filename)('typescript') as typeof import('typescript');
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { setFlagsFromString } = await import('node:v8');
    setFlagsFromString('--enable-experimental-regexp-engine');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(join(process.cwd(), 'server'));
    const bad: string[] = [];
    for (const f of files) {
      const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (n: import('typescript').Node): void => {
        if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) {
          const text = n.getText();
          const source = text.slice(1, text.lastIndexOf('/'));
          const flags = text.slice(text.lastIndexOf('/') + 1);
          let linear = true;
          try {
            new RegExp(source, flags.replace(/[^gmsy]/g, '') + 'l');
          } catch {
            linear = false;
          }
          if (!linear && /\([^()]*[+*][^()]*\)[+*{]/.test(source))
            bad.push(`${f}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1} ${text}`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    assert.deepEqual(bad, []);
  });
});
