// Issue 16 item 17: a project file nested thousands of levels deep (a config, ignore file, baseline or pin file in a
// pull request) exhausted the stack in jsonc-parser's parseTree, and the scan died with "Maximum call stack size
// exceeded" naming no file. Each one is now an error on that file, and the other files still load.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CONFIG_FILE, IGNORE_FILE, PIN_FILE } from '../../shared/projectFiles';
import { MAX_NESTING_DEPTH } from '../../server/core/depth';
import { loadProjectInputs } from '../../server/project/inputs';
import { projectJsonProblem } from '../../server/project/jsonCheck';

const base = mkdtempSync(join(tmpdir(), 'mcp-sentinel-project-depth-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** JSON whose `key` holds arrays nested `depth` levels deep: 20 KB of brackets at 10,000 levels. */
const deep = (key: string, depth: number) => `{"${key}": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
const MESSAGE = `the file is nested deeper than ${MAX_NESTING_DEPTH} levels: it is not read`;

let n = 0;
function project(files: Record<string, string>): string {
  const root = join(base, `p${n++}`);
  mkdirSync(join(root, '.mcp-sentinel'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) writeFileSync(join(root, rel), text);
  return root;
}

describe('project files nested deeper than the limit (item 17)', () => {
  for (const [name, rel, key] of [
    ['config', CONFIG_FILE, 'rules'],
    ['ignore file', IGNORE_FILE, 'ignore'],
    ['pin file', PIN_FILE, 'servers'],
    ['baseline', 'ci-baseline.json', 'fingerprints'],
  ] as const) {
    test(`attack: a ${name} nested 10,000 levels is an error naming the file, not a stack overflow`, () => {
      const root = project({ [rel]: deep(key, 10_000) });
      const inputs = loadProjectInputs(root, {
        knownRuleIds: [],
        ...(name === 'baseline' ? { baselinePath: rel } : {}),
      });
      assert.deepEqual(
        inputs.errors.map((e) => [e.file, e.line, e.column, e.message]),
        [[join(root, rel), 1, 1, MESSAGE]],
      );
    });
  }

  test('a deep config does not stop the ignore file from loading, and the limit itself still parses', () => {
    const root = project({
      [CONFIG_FILE]: deep('x', 10_000),
      [IGNORE_FILE]: '{ "ignore": [{ "rule": "r", "path": "a.py", "reason": "test fixture" }] }',
    });
    const inputs = loadProjectInputs(root, { knownRuleIds: ['r'] });
    assert.equal(inputs.errors.length, 1);
    assert.equal(inputs.suppression.ignore.length, 1);
    // At the limit the text is parsed as usual: `{"x": [[…]]}` holds the object and MAX_NESTING_DEPTH - 1 arrays.
    assert.equal(projectJsonProblem(deep('x', MAX_NESTING_DEPTH - 1)), undefined);
    assert.equal(projectJsonProblem(deep('x', MAX_NESTING_DEPTH)), `nested deeper than ${MAX_NESTING_DEPTH} levels`);
  });
});
