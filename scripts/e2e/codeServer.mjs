// Starts and stops code-server (VS Code's server and web workbench) for one fixture workspace. Each server runs in
// its own process group so that stopping it also stops the extension host and the language server it spawned:
// otherwise the extension host stays alive for hours after the test.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Process groups started by this process, killed on exit even when the runner is interrupted. */
const groups = new Set();

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // Already gone.
  }
}

process.on('exit', () => {
  for (const g of groups) killGroup(g, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    for (const g of groups) killGroup(g, 'SIGKILL');
    process.exit(130);
  });
}

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Installs a .vsix into an extensions folder, offline, with code-server's own CLI. */
export function installVsix({ node24, codeServerEntry }, vsix, extensionsDir, userDataDir) {
  mkdirSync(extensionsDir, { recursive: true });
  const r = spawnSync(
    node24,
    [codeServerEntry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Starts code-server on 127.0.0.1 with a throw-away user-data folder and resolves once `/healthz` answers.
 * `trust: false` keeps workspace trust on (with no startup prompt), so the folder opens in restricted mode.
 */
export async function startCodeServer({ node24, codeServerEntry }, { extensionsDir, workDir, trust, logFile, env }) {
  const port = await freePort();
  const userDataDir = join(workDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  // User settings that keep the workbench quiet and deterministic for tests and screenshots.
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'never',
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'window.commandCenter': false,
        'editor.minimap.enabled': false,
        'update.mode': 'none',
        // In the browser VS Code saves a changed file after one second by default. A test that edits a document
        // (the quick fix) must leave the file on disk as it was, whatever the machine's load: under load the edit
        // used to be saved before the test reverted it, and later tests scanned the edited file.
        'files.autoSave': 'off',
      },
      null,
      2,
    ),
  );
  const config = join(workDir, 'code-server.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    codeServerEntry,
    '--config',
    config,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--vscode-option',
    'enable-smoke-test-driver',
  ];
  if (trust) args.push('--disable-workspace-trust');
  const log = createWriteStream(logFile);
  // `detached: true` makes the child call setsid(2): it leads a new session and process group whose id is its pid,
  // so `kill(-pid)` reaches code-server, its extension hosts and every language server they started.
  const child = spawn(node24, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  groups.add(child.pid);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}); see ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stopCodeServer({ child });
      throw new Error(`code-server did not answer /healthz within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, url, port, userDataDir };
}

/** Stops the whole process group: SIGTERM, then SIGKILL if anything is left after 3 s. */
export async function stopCodeServer({ child }) {
  const pgid = child.pid;
  if (!killGroup(pgid, 'SIGTERM')) {
    groups.delete(pgid);
    return;
  }
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    // Signal 0 only checks whether any member of the group is still alive.
    if (!killGroup(pgid, 0)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  killGroup(pgid, 'SIGKILL');
  groups.delete(pgid);
}
