/**
 * What part a file plays in its project, decided by its path alone: the code that ships and runs (`source`), the
 * code that tests it (`test`), the maintainer's helper scripts (`script`), or the build's own configuration
 * (`build`). Generic heuristics (a shell command built from a variable, a random string under a `token` name) are
 * mostly noise outside `source`: test suites spawn processes and carry fake credentials on purpose, and release
 * scripts run the maintainer's own input. The engine hides what such rules find there unless the scan includes
 * tests (see `engine/fileRoles.ts`); the decision is made here, once, so every front end and report agrees.
 *
 * Example servers (`examples/`, `example/`, `demo/`) stay `source`: an example server is exactly what users copy
 * into their own projects, so its flaws spread and deserve the same findings as the server itself.
 */

/** The part a file plays in its project. */
export type FileRole = 'source' | 'test' | 'script' | 'build';

/** Folders whose contents are tests, test data or mocks (compared in lower case, at any depth). */
const TEST_DIRS = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  'fixtures',
  '__fixtures__',
  '__mocks__',
  'e2e',
]);

/** Folders of maintainer scripts (release, codegen, setup), which run with the maintainer's own input. */
const SCRIPT_DIRS = new Set(['scripts']);

/** Test files by name, wherever they are: `x.test.ts`, `x.spec.js`, pytest's `test_x.py`, `x_test.py`, `conftest.py`. */
const TEST_FILE = /^(?:.+\.(?:test|spec)\.[^.]+|test_.+\.py|.+_test\.py|conftest\.py)$/i;

/**
 * Build configuration by name: bundler, test-runner and task-runner configs (`*.config.{js,ts,mjs,cjs}` covers
 * `vite.config.ts`, `jest.config.js`, `eslint.config.mjs`, …), and Python's `setup.py` and `noxfile.py`, which
 * run on the developer's or packager's machine with their own input, never in the server.
 */
const BUILD_FILE =
  /^(?:.+\.config\.(?:[cm]?js|[cm]?ts)|(?:gruntfile|gulpfile|jakefile)\.(?:[cm]?js|ts)|(?:webpack|rollup|esbuild|vite|jest|vitest)(?:\.[^.]+)*\.(?:[cm]?js|[cm]?ts)|setup\.py|noxfile\.py)$/i;

/**
 * The role of a file from its path relative to the scan root (forward or back slashes). A test folder anywhere on
 * the path wins over a script folder (`scripts/test/x.js` is a test), and the folder wins over the file name.
 */
export function roleOfPath(path: string): FileRole {
  const parts = path.split(/[\\/]+/).filter((p) => p && p !== '.');
  const name = parts.pop() ?? '';
  const dirs = parts.map((p) => p.toLowerCase());
  if (dirs.some((d) => TEST_DIRS.has(d)) || TEST_FILE.test(name)) return 'test';
  if (dirs.some((d) => SCRIPT_DIRS.has(d))) return 'script';
  if (BUILD_FILE.test(name)) return 'build';
  return 'source';
}
