// Precision of the MCP client config rules: realistic clean configs in the shapes the clients document (VS Code,
// Cursor, Claude Desktop, Windsurf, VS Code settings) must produce no finding at all, and a malformed config must
// not throw, must report one parse error at the exact position, and must still be checked as far as it parses.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Engine } from '../../server/engine/engine';
import { scanText } from './helpers';
import { createBackend } from '../../server/core/regex';
import { configRules } from '../../server/rules/client-config';

const fixtures = join(__dirname, '../../../test/fixtures/config');
// Where each clean fixture would live in a project, which decides its kind and client.
const PLACE: Record<string, string> = {
  'vscode-mcp.json': '.vscode/mcp.json',
  'cursor-mcp.json': '.cursor/mcp.json',
  'claude_desktop_config.json': 'claude_desktop_config.json',
  'mcp_config.json': 'mcp_config.json',
  'settings.json': '.vscode/settings.json',
};

for (const backend of ['re2', 'js'] as const) {
  describe(`config precision (${backend})`, () => {
    const engine = new Engine(configRules, {}, createBackend(backend));
    const files = readdirSync(join(fixtures, 'clean')).sort();

    test('every clean fixture has a place', () => {
      assert.deepEqual(files, Object.keys(PLACE).sort());
    });

    for (const name of files) {
      test(`clean ${name} has no findings`, () => {
        const r = scanText(engine, PLACE[name]!, readFileSync(join(fixtures, 'clean', name), 'utf8'));
        assert.notEqual(r.kind, undefined);
        assert.deepEqual(r.errors, []);
        assert.deepEqual(
          r.findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`),
          [],
        );
      });
    }

    test('a malformed mcp.json does not throw, reports its parse error and is still checked', () => {
      const text = readFileSync(join(fixtures, 'malformed', 'mcp.json'), 'utf8');
      const r = scanText(engine, '.vscode/mcp.json', text);
      assert.deepEqual(r.errors, []);
      const parse = r.findings.filter((f) => f.ruleId === 'mcp-config-parse-error');
      assert.equal(parse.length, 1);
      // The text ends inside the "servers" object: the error is at the end of the document.
      const lines = text.split('\n');
      assert.deepEqual(parse[0]!.range.start, { line: lines.length - 1, character: lines[lines.length - 1]!.length });
      assert.match(parse[0]!.message, /closing brace/);
      // The recovered tree still holds both servers: the unpinned one is reported, the pinned one is not.
      const unpinned = r.findings.filter((f) => f.ruleId === 'mcp-config-unpinned-package');
      assert.deepEqual(
        unpinned.map((f) => f.range.start.line + 1),
        [8],
      );
      assert.equal(r.findings.length, 2, r.findings.map((f) => f.ruleId).join(', '));
    });

    test('garbage and empty files do not throw', () => {
      for (const text of [
        '',
        '   ',
        'not json at all',
        '{"servers": ',
        '[1, 2',
        '{"servers": {"a": {"command": 42, "args": "x", "env": [1]}}}',
      ]) {
        const r = scanText(engine, '.vscode/mcp.json', text);
        assert.deepEqual(r.errors, [], JSON.stringify(text));
      }
    });
  });
}
