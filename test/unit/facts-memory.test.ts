// The batch scan's per-file facts, held on the front end's thread until the merge, are made small without changing
// a value: placeholders of deferred summaries share their (frozen) empty lists but stay objects of their own (the
// merge records its lookups of them by identity), received strings are interned, and functions keep no parameter
// names (mergeInput.ts): the merge of such an index is the merge of the facts the workers sent.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { initParsers } from '../../server/analysis/parse';
import { regexBackend } from '../../server/core/regex';
import { DEFAULT_SKIP_DIRS, discover } from '../../server/discovery/discover';
import { readDiscovered } from '../../server/discovery/read';
import { deferredFacts, isDeferred } from '../../server/engine/deferredSummaries';
import { factsOfFile, mergeFacts, type FileFacts } from '../../server/engine/facts';
import { StringPool } from '../../server/workers/internStrings';
import { mergeInput } from '../../server/workers/mergeInput';
import { ROOT } from '../cli/helpers';

const facts = (name: string): FileFacts => ({
  tools: [name],
  servers: ['srv'],
  summary: {
    lang: 'js',
    imports: [{ local: 'run', from: './run.js', name: 'run' }],
    exports: [{ name: 'handler' }],
    functions: [{ id: 'handler', params: ['cmd', 'opts'], line: 3 }],
    classes: [],
    calls: [
      {
        caller: '',
        callee: { name: 'run' },
        args: [{ index: 0, origin: { tool: { tool: name, kind: 'tool', param: 'cmd' } }, families: ['command'] }],
        line: 4,
        character: 2,
      },
    ],
    maps: [],
    instances: [],
    partial: true,
  },
});

test('placeholders share their empty lists, which no one can add to', () => {
  const a = deferredFacts('js');
  const b = deferredFacts('js');
  assert.ok(isDeferred(a) && a.summary !== b.summary);
  assert.equal(a.summary!.functions, b.summary!.functions);
  assert.throws(() => (a.tools as string[]).push('x'));
});

test('interning keeps every value of plain data', () => {
  const pool = new StringPool();
  const x = pool.intern(facts('t'));
  const y = pool.intern(facts('t'));
  assert.deepEqual(x, facts('t'));
  assert.deepEqual(y, facts('t'));
  assert.ok(pool.size > 0);
});

test('the index without parameter names merges as the facts the workers sent', async () => {
  await initParsers();
  const backend = regexBackend();
  const pool = new StringPool();
  const sent = new Map<string, FileFacts>();
  const index = new Map<string, FileFacts>();
  for (const dir of ['test/fixtures/cross-file', 'examples']) {
    const root = join(ROOT, dir);
    const discovery = { skipDirs: DEFAULT_SKIP_DIRS.filter((d) => d !== 'dist' && d !== 'build'), gitignore: false };
    for (const f of discover(root, [root], discovery).files) {
      const read = readDiscovered(f);
      const facts = read.ok ? factsOfFile(backend, `${dir}/${f.file}`, read.text, f.kind) : undefined;
      if (!facts) continue;
      sent.set(`${dir}/${f.file}`, facts);
      index.set(`${dir}/${f.file}`, mergeInput(structuredClone(facts), pool));
    }
  }
  const merged = mergeFacts(sent);
  assert.ok(merged.entryTaints?.size && merged.toolReach?.size, 'the fixtures have cross-file flows and reach');
  assert.deepEqual(mergeFacts(index), merged);
  const params = [...index.values()].flatMap((f) => f.summary?.functions ?? []).flatMap((fn) => fn.params);
  assert.deepEqual(params, []);
});
