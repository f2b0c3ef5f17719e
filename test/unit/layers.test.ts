// The layers only point down, and `npm run lint` says so: the layer rule of eslint.config.mjs
// (scripts/eslint-layers.mjs) must reject an upward import and accept the imports the architecture allows.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { createRequire } from 'node:module';
import type { Linter as LinterType } from 'eslint';

const REPO = process.cwd();
// ESLint is loaded from node_modules at run time (the test bundles would otherwise inline it).
const { Linter } = createRequire(join(REPO, 'package.json'))('eslint') as { Linter: typeof LinterType };

async function lint(file: string, code: string): Promise<string[]> {
  const { layersPlugin } = (await import(pathToFileURL(join(REPO, 'scripts', 'eslint-layers.mjs')).href)) as {
    layersPlugin: NonNullable<LinterType.Config['plugins']>[string];
  };
  const linter = new Linter({ configType: 'flat', cwd: REPO });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { sourceType: 'module', ecmaVersion: 2022 },
        plugins: { layers: layersPlugin },
        rules: { 'layers/imports-point-down': 'error' },
      },
    ],
    { filename: join(REPO, file) },
  );
  return messages.map((m) => m.message);
}

test('an upward import fails the lint', async () => {
  const up = await lint('server/core/example.ts', "import { Engine } from '../engine/engine';\n");
  assert.equal(up.length, 1);
  assert.match(up[0]!, /'server\/core' may not import from 'server\/engine'/);
  const rulesToEngine = await lint('server/rules/mcp/example.ts', "export * from '../../engine/project';\n");
  assert.match(rulesToEngine[0] ?? '', /'server\/rules' may not import from 'server\/engine'/);
  const clientToServer = await lint('client/example.ts', "import { x } from '../server/core/rule';\n");
  assert.match(clientToServer[0] ?? '', /'client' may not import from 'server\/core'/);
  const sharedToAnything = await lint('shared/example.ts', "import { x } from '../server/core/rule';\n");
  assert.equal(sharedToAnything.length, 1);
});

test('downward and same-layer imports pass', async () => {
  assert.deepEqual(
    await lint('server/engine/example.ts', "import { x } from '../core/rule';\nimport { y } from './engine';\n"),
    [],
  );
  assert.deepEqual(await lint('server/lsp/example.ts', "import { x } from '../engine/project';\n"), []);
  assert.deepEqual(await lint('client/example.ts', "import { x } from '../shared/types';\n"), []);
  assert.deepEqual(await lint('server/rules/mcp/example.ts', "import { x } from '../../analysis/parse';\n"), []);
});
