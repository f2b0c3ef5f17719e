/**
 * The in-host end-to-end suite: VS Code loads this module inside the extension host and awaits `run()`, the same
 * contract for both harnesses (code-server driven by scripts/e2e/run.mjs, and @vscode/test-electron driven by
 * test/e2e/electron.mjs). It picks the checks that fit the open workspace's shape, runs them with mocha, and
 * prints one machine-readable line per test so the code-server runner can count them (it only sees the console).
 */
import Mocha from 'mocha';
import { fixtureShape, type FixtureShape } from './helpers';
import { registerMultiRoot } from './multiRoot';
import { registerNoMcp } from './noMcp';
import { registerSingleRoot } from './singleRoot';
import { registerUntrusted } from './untrusted';
import { registerVet } from './vet';

/** Markers around each result line that the code-server runner parses from the extension host's console. */
export const RESULT_PREFIX = '[e2e-result] ';
/** See RESULT_PREFIX: the forwarded console text may carry decoration after the line. */
export const RESULT_SUFFIX = ' [/e2e-result]';

const suites: Record<FixtureShape, () => void> = {
  'single-root': registerSingleRoot,
  'multi-root': registerMultiRoot,
  'no-mcp': registerNoMcp,
  untrusted: registerUntrusted,
  vet: registerVet,
};

/**
 * A reporter that writes one JSON line per finished test. Mocha's own reporters write through `process.stdout`,
 * which code-server does not forward to the page; console.log is forwarded to `codeAutomationLog`.
 */
class LineReporter {
  constructor(runner: Mocha.Runner) {
    const started = new Map<Mocha.Test, number>();
    runner.on('test', (t: Mocha.Test) => started.set(t, Date.now()));
    const emit = (t: Mocha.Test, ok: boolean, err?: Error) => {
      const line = {
        title: t.fullTitle(),
        ok,
        ms: Date.now() - (started.get(t) ?? Date.now()),
        error: err ? `${err.message}`.slice(0, 2000) : undefined,
      };
      console.log(RESULT_PREFIX + JSON.stringify(line) + RESULT_SUFFIX);
    };
    runner.on('pass', (t: Mocha.Test) => emit(t, true));
    runner.on('fail', (t: Mocha.Test | Mocha.Hook, err: Error) => {
      // A failing hook fails every test under it; report it under its own title so the count stays honest.
      emit(t as Mocha.Test, false, err);
    });
  }
}

/** Entry point called by VS Code's extension test runner; rejects when any test failed. */
export function run(): Promise<void> {
  const shape = fixtureShape();
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: LineReporter as unknown as string });
  // The test files are bundled into this module, so instead of mocha.addFile we expose mocha's globals (describe,
  // it, before…) the way `mocha.loadFiles` would, and then register the suites for this workspace.
  mocha.suite.emit('pre-require', globalThis, 'e2e-bundle', mocha);
  console.log(`[e2e] workspace shape: ${shape}`);
  suites[shape]();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} end-to-end test(s) failed`));
      else resolve();
    });
  });
}
