// The batch scan's per-file facts, held on the front end's thread until the merge, are made small without changing
// a value: placeholders of deferred summaries share their (frozen) empty lists but stay objects of their own (the
// merge records its lookups of them by identity), and received strings are interned.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deferredFacts, isDeferred } from '../../server/engine/deferredSummaries';
import type { FileFacts } from '../../server/engine/facts';
import { StringPool } from '../../server/workers/internStrings';

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
