// Lint configuration (ESLint 9 flat config with typed linting by typescript-eslint).
//
// The rule set is deliberately small: the compiler (strict tsconfig) already catches what most style rules would, and
// the formatter (Prettier) owns layout. What the compiler cannot see is a promise nobody waits for: in an LSP handler
// or a VS Code command a lost rejection is a silent failure, so both promise rules are errors. Fire-and-forget calls
// that are intended are written `void promise` (with a comment where the reason is not obvious).
//
// The layer rule (scripts/eslint-layers.mjs) fails the lint on an import that points up the layers.
//
// Only the shipped code (server/, client/, shared/) is linted. Tests are left out on purpose: node:test's `describe`
// and `it` return promises that the runner itself tracks, so the floating-promise rule would flag every test.
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { layersPlugin } from './scripts/eslint-layers.mjs';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'out/**',
      '.cache/**',
      '.e2e/**',
      'test-artifacts/**',
      'examples/**',
      'test/**',
      'scripts/**',
      'docs/**',
    ],
  },
  {
    files: ['server/**/*.ts', 'client/**/*.ts', 'shared/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: true,
        // import.meta.dirname needs Node 20.11; package.json promises any Node 20.
        tsconfigRootDir: fileURLToPath(new URL('.', import.meta.url)),
      },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, layers: layersPlugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // The layers only point down: shared at the bottom, then the kernel, analysis / project inputs / discovery /
      // reports, rules, the engine, and the two front ends on top; the client depends on shared only.
      'layers/imports-point-down': 'error',
    },
  },
);
