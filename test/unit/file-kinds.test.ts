// The file-type table (shared/languages.ts) and what is derived from it: path classification
// (server/core/fileKinds.ts), comment syntax per file, language ids, activation languages and selector globs.
// Classification decides which rules run on a file, so every case here pins today's behaviour.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ACTIVATION_LANGUAGE_IDS,
  FILE_KINDS,
  kindOfLanguageId,
  SCANNED_LANGUAGE_IDS,
  SELECTOR_GLOB,
} from '../../shared/languages';
import type { FileKind } from '../../shared/types';
import { classifyPath, commentSyntaxOf } from '../../server/core/fileKinds';

describe('classifyPath', () => {
  const cases: [string, FileKind | undefined][] = [
    ['src/server.ts', 'js'],
    ['types/index.d.ts', 'js'],
    ['a.TSX', 'js'],
    ['a.mts', 'js'],
    ['a.cts', 'js'],
    ['a.jsx', 'js'],
    ['a.mjs', 'js'],
    ['a.cjs', 'js'],
    ['.env.ts', 'js'],
    ['tools/server.py', 'python'],
    ['stubs/x.pyi', 'python'],
    ['.vscode/mcp.json', 'mcp-config'],
    ['.cursor/mcp.json', 'mcp-config'],
    ['.mcp.json', 'mcp-config'],
    ['Claude_Desktop_Config.json', 'mcp-config'],
    ['mcp_config.json', 'mcp-config'],
    ['mcp_settings.json', 'mcp-config'],
    ['cline_mcp_settings.json', 'mcp-config'],
    ['mcp-servers.json', 'mcp-config'],
    ['mcp_servers.json', 'mcp-config'],
    ['.vscode/settings.json', 'vscode-settings'],
    ['team.code-workspace', 'vscode-settings'],
    ['package-lock.json', undefined],
    ['sub/npm-shrinkwrap.json', undefined],
    ['package.json', 'json'],
    ['tsconfig.json', 'json'],
    ['a.jsonc', 'json'],
    ['a.json5', 'json'],
    ['.env.json', 'json'],
    ['.env', 'dotenv'],
    ['.env.local', 'dotenv'],
    ['prod.env', 'dotenv'],
    ['.env.yaml', 'dotenv'],
    ['dockerfile.env', 'dotenv'],
    ['ci.yaml', 'yaml'],
    ['ci.YML', 'yaml'],
    ['dockerfile.yaml', 'yaml'],
    ['Dockerfile', 'dockerfile'],
    ['Dockerfile.prod', 'dockerfile'],
    ['app.dockerfile', 'dockerfile'],
    ['Containerfile', 'dockerfile'],
    ['dockerfile.txt', 'dockerfile'],
    ['pyproject.toml', 'text'],
    ['a.ini', 'text'],
    ['run.sh', 'text'],
    ['main.tf', 'text'],
    ['x.tfvars', 'text'],
    ['main.go', 'text'],
    ['A.java', 'text'],
    ['b.kt', 'text'],
    ['c.cs', 'text'],
    ['d.php', 'text'],
    ['e.rs', 'text'],
    ['build.gradle', 'text'],
    ['f.rb', 'text'],
    ['pom.xml', 'text'],
    ['notes.txt', 'text'],
    ['.npmrc', 'text'],
    ['x.npmrc', 'text'],
    ['.pypirc', 'text'],
    ['.netrc', 'text'],
    ['.dockercfg', 'text'],
    ['main.c', undefined],
    ['main.swift', undefined],
    ['a.scala', undefined],
    ['README.md', undefined],
    ['logo.png', undefined],
    ['.gitignore', undefined],
    ['Makefile', undefined],
    ['dir\\sub\\a.py', 'python'],
    ['/abs/path/.env', 'dotenv'],
  ];
  for (const [path, kind] of cases)
    test(`${path} → ${kind ?? 'not scanned'}`, () => assert.equal(classifyPath(path), kind));
});

describe('comment syntax per file', () => {
  const token = (path: string, kind: FileKind): string | undefined => commentSyntaxOf(path, kind)?.line[0];
  test('source, YAML, dotenv and Dockerfiles', () => {
    assert.equal(token('a.ts', 'js'), '//');
    assert.equal(token('a.py', 'python'), '#');
    assert.equal(token('ci.yml', 'yaml'), '#');
    assert.equal(token('.env', 'dotenv'), '#');
    assert.equal(token('Dockerfile', 'dockerfile'), '#');
  });
  test('JSON: only files their readers parse with comments', () => {
    assert.equal(token('.vscode/mcp.json', 'mcp-config'), '//');
    assert.equal(token('claude_desktop_config.json', 'mcp-config'), undefined);
    assert.equal(token('settings.json', 'vscode-settings'), '//');
    assert.equal(token('a/.vscode/tasks.json', 'json'), '//');
    assert.equal(token('tsconfig.build.json', 'json'), '//');
    assert.equal(token('.devcontainer/devcontainer.json', 'json'), '//');
    assert.equal(token('x.jsonc', 'json'), '//');
    assert.equal(token('package.json', 'json'), undefined);
  });
  test('text files by extension', () => {
    assert.equal(token('main.go', 'text'), '//');
    assert.equal(token('index.php', 'text'), '//');
    assert.deepEqual(commentSyntaxOf('index.php', 'text')?.line, ['//', '#']);
    assert.equal(token('main.tf', 'text'), '#');
    assert.deepEqual(commentSyntaxOf('main.tf', 'text')?.line, ['#', '//']);
    assert.equal(token('pyproject.toml', 'text'), '#');
    assert.equal(token('.npmrc', 'text'), '#');
    assert.equal(token('notes.txt', 'text'), undefined);
    assert.equal(token('pom.xml', 'text'), undefined);
  });
  test('a document known only by its kind takes the syntax its whole kind shares', () => {
    assert.equal(token('Untitled-1', 'js'), '//');
    assert.equal(token('Untitled-1', 'python'), '#');
    assert.equal(token('Untitled-1', 'json'), undefined);
  });
});

describe('editor languages', () => {
  test('language ids map to the kinds the server scans them as', () => {
    for (const id of ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'])
      assert.equal(kindOfLanguageId(id), 'js');
    assert.equal(kindOfLanguageId('python'), 'python');
    assert.equal(kindOfLanguageId('json'), 'json');
    assert.equal(kindOfLanguageId('jsonc'), 'json');
    assert.equal(kindOfLanguageId('yaml'), 'yaml');
    assert.equal(kindOfLanguageId('dockerfile'), 'dockerfile');
    assert.equal(kindOfLanguageId('dotenv'), 'dotenv');
    assert.equal(kindOfLanguageId('markdown'), undefined);
    assert.equal(kindOfLanguageId(undefined), undefined);
  });

  test('the scanned and activation lists are the ones the client declares', () => {
    assert.deepEqual(SCANNED_LANGUAGE_IDS, [
      'typescript',
      'typescriptreact',
      'javascript',
      'javascriptreact',
      'python',
      'json',
      'jsonc',
      'yaml',
      'dockerfile',
      'dotenv',
    ]);
    // Only the languages an MCP marker that `workspaceContains` cannot see is written in (an SDK import, a config
    // opened from elsewhere): YAML, Dockerfiles and .env files are scanned once the server runs, but do not wake it.
    assert.deepEqual(ACTIVATION_LANGUAGE_IDS, ['typescript', 'javascript', 'python', 'json', 'jsonc']);
  });

  test('the selector glob is the client’s, and each of its globs selects a file of its kind', () => {
    assert.equal(
      SELECTOR_GLOB,
      '**/{.env,.env.*,*.env,Dockerfile,Dockerfile.*,*.dockerfile,Containerfile,*.toml,*.ini,*.cfg,*.conf,*.properties,*.sh,.npmrc,.pypirc}',
    );
    for (const k of FILE_KINDS)
      for (const glob of k.selectorGlobs) assert.equal(classifyPath(glob.replace(/\*/g, 'x')), k.kind, glob);
  });
});
