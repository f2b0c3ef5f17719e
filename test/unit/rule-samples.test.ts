// The data-driven rule test: every rule must have positive and negative samples; every «marked» span in a
// positive sample must be found with that exact range, nothing else may be found, and negatives stay quiet.
// It runs on both regex engines so a pattern that behaves differently under RE2 and V8 fails here.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParsers } from '../../server/analysis/parse';
import { Engine } from '../../server/engine/engine';
import { scanText } from './helpers';
import { createBackend } from '../../server/core/regex';
import type { Rule, RuleSample } from '../../server/core/rule';
import { builtinRules } from '../../server/rules';

/** Strips «» markers and returns the clean text with the marked spans (UTF-16 offsets). */
export function parseSample(code: string): { text: string; spans: { start: number; end: number }[] } {
  let text = '';
  const spans: { start: number; end: number }[] = [];
  const open: number[] = [];
  for (const ch of code) {
    if (ch === '«') open.push(text.length);
    else if (ch === '»') {
      const start = open.pop();
      assert.ok(start !== undefined, 'unbalanced » in sample');
      spans.push({ start, end: text.length });
    } else text += ch;
  }
  assert.equal(open.length, 0, 'unbalanced « in sample');
  return { text, spans: spans.sort((a, b) => a.start - b.start || a.end - b.end) };
}

function offsetsOf(
  text: string,
  range: { start: { line: number; character: number }; end: { line: number; character: number } },
) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return {
    start: starts[range.start.line]! + range.start.character,
    end: starts[range.end.line]! + range.end.character,
  };
}

function runSample(engine: Engine, rule: Rule, sample: RuleSample) {
  const { text, spans } = parseSample(sample.code);
  const found = scanText(engine, sample.path, text, sample.workspace)
    .findings.filter((f) => f.ruleId === rule.id)
    .map((f) => ({ ...offsetsOf(text, f.range), message: f.message }));
  return { text, spans, found };
}

before(() => initParsers());

for (const backendName of ['re2', 'js'] as const) {
  describe(`rule samples (${backendName})`, () => {
    const backend = createBackend(backendName);
    for (const rule of builtinRules) {
      test(rule.id, () => {
        assert.ok(rule.positive.length > 0, `${rule.id} has no positive sample`);
        assert.ok(rule.negative.length > 0, `${rule.id} has no negative sample`);
        const engine = new Engine([rule], {}, backend);
        for (const [i, sample] of rule.positive.entries()) {
          const { text, spans, found } = runSample(engine, rule, sample);
          assert.ok(spans.length > 0, `${rule.id} positive #${i} has no «marked» span`);
          const show = (s: { start: number; end: number }) => JSON.stringify(text.slice(s.start, s.end));
          assert.deepEqual(
            found.map((f) => show(f)),
            spans.map(show),
            `${rule.id} positive #${i} (${sample.path}): expected the marked spans, got ${found.map((f) => `${show(f)} "${f.message}"`).join(', ') || 'nothing'}`,
          );
          assert.deepEqual(
            found.map((f) => [f.start, f.end]),
            spans.map((s) => [s.start, s.end]),
            `${rule.id} positive #${i}: ranges`,
          );
        }
        for (const [i, sample] of rule.negative.entries()) {
          const { text, found } = runSample(engine, rule, sample);
          assert.deepEqual(
            found.map((f) => `${JSON.stringify(text.slice(f.start, f.end))}: ${f.message}`),
            [],
            `${rule.id} negative #${i} (${sample.path}) must not be flagged`,
          );
        }
      });
    }
  });
}

test('rule ids are unique, kebab-case, and metadata is complete', () => {
  const ids = new Set<string>();
  for (const r of builtinRules) {
    assert.match(r.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, `rule id ${r.id} is not kebab-case`);
    assert.ok(!ids.has(r.id), `duplicate rule id ${r.id}`);
    ids.add(r.id);
    assert.ok(r.title && r.description && r.docs, `${r.id} lacks title, description or docs`);
    assert.ok(r.kinds.length > 0, `${r.id} applies to no file kind`);
    assert.ok(
      r.cwe.every((c) => /^CWE-\d+$/.test(c)),
      `${r.id} has a malformed CWE tag`,
    );
  }
});
