// `npm run example`: installs the dependencies when they are not installed yet, builds, and scans the deliberately
// vulnerable examples/ workspace. A second run reuses node_modules (re-running `npm ci` would rebuild the re2
// native addon from C++ source, minutes on a small machine), so only the build and the scan run again.
//
// node_modules matches the lock file when npm's own record of what it installed (node_modules/.package-lock.json,
// written by every `npm ci`/`npm install`) holds every package of package-lock.json at the same version and
// integrity. Optional packages may be absent (another platform's esbuild binary, or re2 when its native build was
// not possible: the scanner then uses its JS regex engine and says so with --verbose); an re2 that is installed but
// whose addon was never built (an install with --ignore-scripts) is repaired with `npm ci`.
//
// Usage: node scripts/example.mjs [--check]   (--check only prints whether an install is needed)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Why `npm ci` must run, or undefined when node_modules already matches package-lock.json.
 * @returns {string | undefined}
 */
export function installNeeded() {
  const hidden = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(hidden)) return 'node_modules is not installed';
  const wanted = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages ?? {};
  const have = JSON.parse(readFileSync(hidden, 'utf8')).packages ?? {};
  for (const [path, entry] of Object.entries(wanted)) {
    if (!path || entry.link) continue;
    const got = have[path];
    if (!got) {
      if (entry.optional || entry.devOptional) continue;
      return `${path} is missing`;
    }
    if (got.version !== entry.version || (entry.integrity && got.integrity !== entry.integrity))
      return `${path} is ${got.version}, the lock file says ${entry.version}`;
  }
  for (const path of Object.keys(have)) if (!(path in wanted)) return `${path} is not in the lock file`;
  if (have['node_modules/re2'] && !existsSync(join(root, 'node_modules/re2/build/Release/re2.node')))
    return 're2 is installed but its native addon was not built';
  return undefined;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const why = installNeeded();
  if (process.argv.includes('--check')) {
    console.log(why ? `install needed: ${why}` : 'node_modules matches package-lock.json');
    process.exit(0);
  }
  if (why) {
    console.error(`[example] ${why}: npm ci`);
    run('npm', ['ci']);
  } else console.error('[example] node_modules matches package-lock.json: no install');
  run(process.execPath, ['scripts/build.mjs']);
  run(process.execPath, ['dist/cli.js', 'scan', 'examples', '--fail-on', 'none']);
}
