// The cheap tests that let a scan skip work before any parse must never skip something that matters:
// - `Rule.applies` (engine.ts): wherever a rule reports or sets a candidate aside, its precondition holds;
// - `mayDefineMcp` (analysis/mcp/precondition.ts): wherever the MCP extraction finds a definition, and so wherever a
//   module summary has a handler edge (engine/deferredSummaries.ts), the words are there;
// - the JS backend's keyword automaton (core/regex/keywords.ts) selects the rules RE2's Set selects.
// Checked on every rule sample, the examples and the fixtures; test/cli/prefilter.test.ts compares whole reports
// with the prefilter on and off on those and on the benign corpus.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { mayDefineMcp } from '../../server/analysis/mcp/precondition';
import { mcpMetadataOf } from '../../server/analysis/mcp/extract';
import { initParsers } from '../../server/analysis/parse';
import { summaryOf } from '../../server/analysis/summary/extract';
import { createDetectContext } from '../../server/core/context';
import { createBackend, regexBackend } from '../../server/core/regex';
import { keywordPrefilter } from '../../server/core/regex/keywords';
import { DEFAULT_SKIP_DIRS, discover } from '../../server/discovery/discover';
import { readDiscovered } from '../../server/discovery/read';
import { builtinRules } from '../../server/rules';
import { secretDismissalsOf } from '../../server/rules/secrets/fixtures';
import type { FileKind } from '../../shared/types';
import { ROOT } from '../cli/helpers';

interface Doc {
  path: string;
  text: string;
  kind: FileKind;
}

/** Every rule sample (markers stripped), and every file of the examples and the fixtures. */
function documents(): Doc[] {
  const docs: Doc[] = [];
  for (const rule of builtinRules)
    for (const s of [...rule.positive, ...rule.negative])
      for (const kind of rule.kinds) docs.push({ path: s.path, text: s.code.replace(/[«»]/g, ''), kind });
  const discovery = { skipDirs: DEFAULT_SKIP_DIRS.filter((d) => d !== 'dist' && d !== 'build'), gitignore: false };
  for (const dir of ['examples', 'test/fixtures'])
    for (const f of discover(join(ROOT, dir), [join(ROOT, dir)], discovery).files) {
      const read = readDiscovered(f);
      if (read.ok && f.kind) docs.push({ path: f.file, text: read.text, kind: f.kind });
    }
  return docs;
}

describe('scan preconditions', () => {
  before(() => initParsers());

  test('a rule reports, or sets a candidate aside, only where it applies', () => {
    const backend = regexBackend();
    const rules = builtinRules.filter((r) => r.applies);
    assert.ok(rules.length >= 5, 'the rules with a precondition');
    let reported = 0;
    for (const doc of documents())
      for (const rule of rules) {
        if (!rule.kinds.includes(doc.kind)) continue;
        const { ctx, dispose } = createDetectContext(backend, doc.path, doc.text, doc.kind);
        try {
          const found = rule.detect(ctx).length;
          const dismissed = secretDismissalsOf(ctx).filter((d) => d.ruleId === rule.id).length;
          if (found || dismissed) {
            reported++;
            assert.ok(rule.applies!(doc.path, doc.text), `${rule.id} on ${doc.path} (${doc.kind})`);
          }
        } finally {
          dispose();
        }
      }
    assert.ok(reported > 10, `findings checked: ${reported}`);
  });

  test('every MCP definition, and every handler edge of a summary, has the words', () => {
    const backend = regexBackend();
    let defined = 0;
    for (const doc of documents()) {
      if (doc.kind !== 'js' && doc.kind !== 'python') continue;
      const { ctx, dispose } = createDetectContext(backend, doc.path, doc.text, doc.kind);
      try {
        const meta = mcpMetadataOf(ctx);
        const summary = summaryOf(ctx, true);
        const handlers = summary?.calls.some((e) => e.caller === '') || !!summary?.tools?.length;
        if (meta.entities.length || meta.dispatchers.length || handlers) {
          defined++;
          assert.ok(mayDefineMcp(doc.text), doc.path);
        }
      } finally {
        dispose();
      }
    }
    assert.ok(defined > 50, `definitions checked: ${defined}`);
  });

  test('the keyword automaton selects what RE2 and the per-keyword search select', () => {
    const sets = builtinRules.map((r) => r.keywords);
    const fast = keywordPrefilter(sets);
    assert.ok(fast, 'the catalogue keywords are printable ASCII');
    const js = createBackend('js');
    // The JS backend's own search, on the catalogue without the automaton: a non-ASCII keyword makes it fall back.
    const slow = js.prefilter([...sets, ['\u00e9']]);
    const re2 = regexBackend().name === 're2' ? regexBackend() : undefined;
    const viaSet = re2?.prefilter(sets);
    const texts = [
      ...documents().map((d) => d.text),
      'TOKEN',
      'apiKey',
      '\u212aey = 1',
      'pa\u017f\u017fword',
      'İmport',
      'MCP\u00e9 tool',
      '',
    ];
    for (const text of texts) {
      const got = [...fast.matching(js.prepare(text))].sort((a, b) => a - b);
      const plain = [...slow.matching(js.prepare(text))].filter((i) => i < sets.length).sort((a, b) => a - b);
      // The per-keyword search lower-cases the text, which reads the long s as itself: only there may it find less.
      if (!text.includes('\u017f')) assert.deepEqual(got, plain, JSON.stringify(text.slice(0, 80)));
      if (viaSet)
        assert.deepEqual(
          got,
          [...viaSet.matching(re2!.prepare(text))].sort((a, b) => a - b),
          text.slice(0, 80),
        );
    }
  });
});
