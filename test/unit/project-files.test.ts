// The project-file names (shared/projectFiles.ts): the predicate the language server uses and the glob the
// extension watches with must agree, and both must know every file the loaders read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import picomatch from 'picomatch';
import {
  BASELINE_FILE,
  CONFIG_FILE,
  IGNORE_FILE,
  isProjectFilePath,
  PIN_FILE,
  PROJECT_FILES_GLOB,
} from '../../shared/projectFiles';

describe('project-file names', () => {
  const glob = picomatch(PROJECT_FILES_GLOB, { dot: true });
  const yes = [
    CONFIG_FILE,
    IGNORE_FILE,
    PIN_FILE,
    BASELINE_FILE,
    `sub/project/${CONFIG_FILE}`,
    `sub/${PIN_FILE}`,
    'ci/baseline.json',
    'ci/my-baseline-2024.json',
  ];
  const no = [
    'mcp-sentinel.json',
    '.mcp-sentinel.jsonc',
    '.mcp-sentinel/nested/pins.json',
    '.mcp-sentinel/notes.txt',
    'src/server.ts',
    '.vscode/mcp.json',
    'baseline.yaml',
  ];

  test('the predicate and the watcher glob agree on paths', () => {
    for (const p of yes) {
      assert.ok(isProjectFilePath(p), `predicate: ${p}`);
      assert.ok(glob(p), `glob: ${p}`);
    }
    for (const p of no) {
      assert.ok(!isProjectFilePath(p), `predicate: ${p}`);
      assert.ok(!glob(p), `glob: ${p}`);
    }
  });

  test('the predicate reads URIs and absolute paths too', () => {
    assert.ok(isProjectFilePath(`file:///home/u/project/${PIN_FILE}`));
    assert.ok(isProjectFilePath(`/home/u/project/${CONFIG_FILE}`));
    assert.ok(!isProjectFilePath('file:///home/u/project/server.ts'));
  });
});
