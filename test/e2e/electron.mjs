// The second harness for the same in-host suite: @vscode/test-electron downloads the desktop VS Code and runs
// out/e2e/suite/index.js inside it, once per fixture workspace. It needs a machine that can reach VS Code's
// download server (this project's CI cannot; it runs scripts/e2e/run.mjs on code-server instead).
//
// Usage: node test/e2e/electron.mjs [--fixture NAME]...      (VSCODE_VERSION=stable|insiders|1.x.y, default stable)
// The extension under test is the .vsix built by `npm run package`, installed into a fresh extensions folder, so
// the packaged files are what runs, as in the code-server harness.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { buildSuite } from '../../scripts/e2e/buildSuite.mjs';
import { packageVsix } from '../../scripts/e2e/package.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = [
  { name: 'single-root', trust: true },
  { name: 'multi-root', trust: true, workspace: 'e2e.code-workspace' },
  { name: 'no-mcp', trust: true },
  { name: 'untrusted', trust: false },
  { name: 'vet', trust: true },
];
const argv = process.argv.slice(2);
const only = argv.flatMap((a, i) => (argv[i - 1] === '--fixture' ? [a] : []));

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-electron-'));
let passed = 0;
let failed = 0;
try {
  const vscodeExecutablePath = await downloadAndUnzipVSCode(process.env.VSCODE_VERSION ?? 'stable');
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
  const vsix = packageVsix(join(tmp, 'mcp-sentinel.vsix'));
  const suitePath = await buildSuite();
  const extensionsDir = join(tmp, 'extensions');
  const install = spawnSync(cli, [...cliArgs, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (install.status !== 0) throw new Error(`installing ${vsix} failed`);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const extensionDevelopmentPath = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);

  for (const fixture of FIXTURES.filter((f) => only.length === 0 || only.includes(f.name))) {
    const ws = join(tmp, fixture.name, 'ws', fixture.name);
    cpSync(join(root, 'test', 'e2e', 'fixtures', fixture.name), ws, { recursive: true });
    const userDataDir = join(tmp, fixture.name, 'user-data');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    // The same quiet defaults as the code-server runner; the simple (quick-input) file dialog lets the export test
    // accept the save dialog from inside the extension host, as it does in the browser.
    writeFileSync(
      join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({
        'files.simpleDialog.enable': true,
        'security.workspace.trust.startupPrompt': 'never',
        'workbench.startupEditor': 'none',
      }),
    );
    const launchArgs = [
      fixture.workspace ? join(ws, fixture.workspace) : ws,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      ...(fixture.trust ? ['--disable-workspace-trust'] : []),
    ];
    try {
      await runTests({ vscodeExecutablePath, extensionDevelopmentPath, extensionTestsPath: suitePath, launchArgs });
      passed++;
      console.log(`ok   ${fixture.name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${fixture.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
} catch (e) {
  failed++;
  console.error(e instanceof Error ? e.stack : e);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
// Here each fixture's in-host suite counts as one check (test-electron reports only its exit code); the per-test
// lines are in the output above.
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
