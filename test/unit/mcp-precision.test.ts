// Precision and recall of the MCP rule pack on whole, realistic servers: clean servers written the way the official
// reference servers and SDK quickstarts are written must produce no MCP finding at all, on both regex engines, and the
// poisoned fixtures (published attacks) must produce the findings that matter.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { initParsers } from '../../server/analysis/parse';
import { Engine } from '../../server/engine/engine';
import { scanText } from './helpers';
import { createBackend } from '../../server/core/regex';
import { mcpRules } from '../../server/rules/mcp';

/** Fixtures live beside the sources (not bundled): find them from the repository root. */
const FIXTURES = join(process.cwd(), 'test/fixtures/mcp');

before(() => initParsers());

for (const backendName of ['re2', 'js'] as const) {
  describe(`MCP rules on real-world shapes (${backendName})`, () => {
    const engine = new Engine(mcpRules, {}, createBackend(backendName));
    const clean = readdirSync(join(FIXTURES, 'clean')).sort();

    test('the clean fixtures are all there', () => {
      assert.deepEqual(clean, [
        'filesystem.ts',
        'github.ts',
        'lowlevel.py',
        'memory.ts',
        'tools-list.json',
        'weather.py',
      ]);
    });

    for (const file of clean) {
      test(`clean: ${file} has no MCP finding`, () => {
        const text = readFileSync(join(FIXTURES, 'clean', file), 'utf8');
        // Tool names of the other clean servers stand in for a workspace index, so shadowing sees cross-file names.
        const toolNames = new Map([
          ['read_file', 'filesystem.ts'],
          ['search_issues', 'github.ts'],
          ['get_forecast', 'weather.py'],
        ]);
        const res = scanText(engine, file, text, { toolNames });
        assert.deepEqual(res.errors, []);
        assert.deepEqual(
          res.findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`),
          [],
        );
      });
    }

    test('poisoned: Invariant Labs add(a, b, sidenote)', () => {
      const text = readFileSync(join(FIXTURES, 'poisoned', 'invariant-add.ts'), 'utf8');
      const res = scanText(engine, 'invariant-add.ts', text);
      assert.deepEqual(res.errors, []);
      const got = new Set(res.findings.map((f) => f.ruleId));
      for (const id of [
        'mcp-pseudo-tag',
        'mcp-sensitive-file-request',
        'mcp-exfiltration-parameter',
        'mcp-concealment',
      ]) {
        assert.ok(got.has(id), `expected ${id}; got ${[...got].join(', ')}`);
      }
      const files = res.findings
        .filter((f) => f.ruleId === 'mcp-sensitive-file-request')
        .map((f) => {
          const lines = text.split('\n');
          return lines[f.range.start.line]!.slice(f.range.start.character, f.range.end.character);
        });
      assert.deepEqual(files, ['~/.cursor/mcp.json', '~/.ssh/id_rsa']);
      assert.ok(
        res.findings.every((f) => f.range.start.line >= 7),
        'findings point inside the description, not at the imports',
      );
    });

    test('poisoned: WhatsApp shadowing with hidden tags and a first-call rug pull', () => {
      const text = readFileSync(join(FIXTURES, 'poisoned', 'shadowing.py'), 'utf8');
      const res = scanText(engine, 'shadowing.py', text);
      assert.deepEqual(res.errors, []);
      const byRule = new Map<string, string[]>();
      for (const f of res.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f.message]);
      for (const id of [
        'mcp-tool-shadowing',
        'mcp-concealment',
        'mcp-pseudo-tag',
        'mcp-hidden-unicode',
        'mcp-rug-pull-pattern',
      ]) {
        assert.ok(byRule.has(id), `expected ${id}; got ${[...byRule.keys()].join(', ')}`);
      }
      assert.ok(
        byRule.get('mcp-hidden-unicode')!.some((m) => m.includes('U+200B ZERO WIDTH SPACE')),
        byRule.get('mcp-hidden-unicode')!.join(' | '),
      );
      assert.ok(
        byRule.get('mcp-hidden-unicode')!.some((m) => m.includes('"AB"')),
        'tag characters are spelled out',
      );
    });
  });
}
