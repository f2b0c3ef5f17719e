// The .gitignore matcher (server/discovery/gitignore.ts): it answers what the `ignore` package answers on a walk
// (the semantics discovery had before), while its cost per path does not grow with the number of patterns and
// what its wildcard patterns may cost is capped (issue 16, item 11).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ignore from 'ignore';
import { IGNORE_LIMITS, IgnoreMatcher, type IgnoreCursor } from '../../server/discovery/gitignore';
import { Glob, segmentTokens } from '../../server/discovery/glob';

/** A tree of names, two levels deep; names without a dot are folders. */
const NAMES = [
  'a',
  'b',
  'A',
  'foo',
  'Foo.js',
  'foo.js',
  'bar.py',
  'x.log',
  'build',
  'dist',
  'doc',
  'docs',
  '.env',
  'a b',
  'tmp-1',
  'z[1]',
  'q?',
  'Debug',
  'debug',
  'out',
  'c.min.js',
  '#h',
  '!bang',
  'sp ',
  'é',
];
interface Entry {
  path: string;
  dir: boolean;
}
function tree(depth: number, prefix = ''): Entry[] {
  return NAMES.flatMap((n) => {
    const dir = depth > 0 && !n.includes('.');
    const e = { path: prefix + n, dir };
    return dir ? [e, ...tree(depth - 1, `${prefix}${n}/`)] : [e];
  });
}
const ENTRIES = tree(2);

const PATTERNS = [
  '*.log',
  'build/',
  '/dist',
  'doc/*',
  'docs/**',
  '**/foo',
  'a/**/b',
  '!a/b',
  'foo*',
  '*.js',
  '!foo.js',
  '[Dd]ebug/',
  'z\\[1\\]',
  'q\\?',
  '\\#h',
  '\\!bang',
  'sp\\ ',
  'a b',
  '**/a/foo.js',
  'a/*/bar.py',
  '/a/b/',
  '*',
  '!*/',
  '!*.py',
  'out/**/x.log',
  'tmp-?',
  'b/**',
  '!b/foo',
  '/*.js',
  'c.*.js',
  'a/b/foo/',
  '**',
  '**/',
  '/**/foo',
  'foo/**/',
  'a/**',
  '!a/**/bar.py',
  '[a-c]',
  '[!a-c]',
  '*[!.]js',
  '',
  '# comment',
  '   ',
  'foo   ',
  '!',
  '/',
  '\\',
  'a/b\\',
  '[',
  '[]',
  '[!]',
  '[a-',
  'x[',
  '***',
  'a/***/b',
  '**foo',
  'foo**',
  'a/**b/c',
  '*/',
  '*/*/',
  '/*/',
  '!/a',
  '\\*',
  '*.LOG',
  'DOC/',
  'Build',
  '[[:upper:]]',
  '[[:digit:]]*',
  'É',
];

/** Walks ENTRIES as discovery does (a folder found ignored is not entered) and returns the ignored paths. */
function walk(patterns: readonly string[], decide: 'ignore' | 'matcher'): string[] {
  const text = patterns.join('\n');
  const ig = ignore().add(text);
  const m = new IgnoreMatcher(text);
  const cursors = new Map<string, IgnoreCursor>([['', m.root()]]);
  const ignored = new Set<string>();
  for (const e of ENTRIES) {
    const cut = e.path.lastIndexOf('/');
    const parent = cut < 0 ? '' : e.path.slice(0, cut);
    if (ignored.has(parent)) {
      ignored.add(e.path);
      continue;
    }
    let yes: boolean;
    if (decide === 'ignore') yes = ig.ignores(e.dir ? e.path + '/' : e.path);
    else {
      const step = m.step(cursors.get(parent)!, e.path.slice(cut + 1), e.dir);
      if (step.next) cursors.set(e.path, step.next);
      yes = step.ignored === true;
    }
    if (yes) ignored.add(e.path);
  }
  return [...ignored];
}

describe('.gitignore matching', () => {
  test('decides as the ignore package does, pattern by pattern and in random sets of three', () => {
    const sets: string[][] = PATTERNS.map((p) => [p]);
    let seed = 16;
    const pick = () => PATTERNS[(seed = (seed * 1103515245 + 12345) & 0x7fffffff) % PATTERNS.length]!;
    for (let i = 0; i < 150; i++) sets.push([pick(), pick(), pick()]);
    sets.push(['foo\r', '*.log\r'], ['\ufeffbuild/']);
    let ignoredSomewhere = 0;
    for (const set of sets) {
      const expected = walk(set, 'ignore');
      assert.deepEqual(walk(set, 'matcher'), expected, JSON.stringify(set));
      if (expected.length) ignoredSomewhere++;
    }
    assert.ok(ignoredSomewhere > sets.length / 2, 'the sets do ignore things');
  });

  test('a 100,000-pattern file is compiled into tables: literal and *.ext patterns are not wildcard patterns', () => {
    const lines: string[] = [];
    for (let i = 0; i < 25_000; i++) lines.push(`file_${i}.py`, `*.gen${i}`, `tmp${i}-*`, `/src/out${i}`);
    const m = new IgnoreMatcher(lines.join('\n'));
    assert.equal(m.patterns, 100_000);
    assert.equal(m.wildcardPatterns, 0);
    const root = m.root();
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) m.step(root, `name_${i}.py`, false);
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `10,000 lookups against 100,000 patterns took ${ms.toFixed(0)} ms`);
    assert.equal(m.step(root, 'FILE_7.py', false).ignored, true, 'case-insensitive, as the ignore package');
    assert.equal(m.step(root, 'x.gen24999', false).ignored, true);
    assert.equal(m.step(root, 'tmp3-a', false).ignored, true);
    assert.equal(m.step(m.step(root, 'src', true).next!, 'out9', false).ignored, true);
    assert.equal(m.step(m.step(root, 'lib', true).next!, 'out9', false).ignored, undefined);
  });

  test('compiling stops at the wildcard budget and says which limit was reached', () => {
    const many = Array.from({ length: IGNORE_LIMITS.maxWildcardPatterns + 1 }, (_, i) => `a${i}?b*c`).join('\n');
    assert.equal(new IgnoreMatcher(many).overBudget, 'patterns');
    const long = `*${'a?'.repeat(IGNORE_LIMITS.maxWildcardStates)}*`;
    assert.equal(new IgnoreMatcher(long).overBudget, 'states');
    assert.equal(new IgnoreMatcher('a?b*c').overBudget, undefined);
  });

  test('a catastrophic glob (*a*a*a*a*a*a*a*a*b on 5,000 a) matches in linear time', () => {
    const g = new Glob(segmentTokens('*a*a*a*a*a*a*a*a*a*a*a*a*b')!);
    const t0 = performance.now();
    assert.equal(g.matches('a'.repeat(5000)), false);
    assert.equal(g.matches('a'.repeat(5000) + 'b'), true);
    assert.ok(performance.now() - t0 < 1000);
  });
});
