// Builds the .vsix that ships (`npm run package`): minified bundles, the re2 native addon staged next to them, and
// `vsce package` with `.vscodeignore` as the allowlist. The e2e runner installs exactly this file, so packaging
// mistakes (a missing bundle, a missing wasm grammar, a forgotten native addon) fail the end-to-end suite.
//
// How re2 ships: the bundles are self-contained (vsce runs with --no-dependencies), except the re2 addon, which the
// server loads at run time with `createRequire(__filename)('re2')` (server/core/regex/index.ts). Node resolves
// that from dist/server.js by looking in dist/node_modules first, so we copy re2's three run-time files there:
// package.json, its JS wrapper re2.js and build/Release/re2.node (stripped of debug symbols when `strip` exists).
// The addon only loads in the Node ABI it was built for; elsewhere the server falls back to the JS backend.
//
// Usage: node scripts/e2e/package.mjs [--out FILE]     (prints the .vsix path on its last line)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit code ${r.status}`})`);
}

/** Copies re2's run-time files into dist/node_modules/re2 so the packaged server can require it. */
export function stageRe2() {
  const src = join(root, 'node_modules', 're2');
  const dest = join(root, 'dist', 'node_modules', 're2');
  rmSync(dest, { recursive: true, force: true });
  for (const f of ['package.json', 're2.js', 'build/Release/re2.node']) {
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    cpSync(join(src, f), join(dest, f));
  }
  const addon = join(dest, 'build/Release/re2.node');
  // The addon is built with debug symbols (about 21 MB); stripping them leaves a few MB and changes nothing else.
  const s = spawnSync('strip', ['--strip-unneeded', addon], { stdio: 'ignore' });
  if (s.status !== 0) console.error('[package] strip is not available: shipping the unstripped re2 addon');
  return { addon, bytes: statSync(addon).size };
}

/** Builds, stages and packages; returns the .vsix path. */
export function packageVsix(out) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = resolve(out ?? join(root, `${pkg.name}-${pkg.version}.vsix`));
  run(process.execPath, ['scripts/build.mjs', '--minify']);
  stageRe2();
  mkdirSync(dirname(vsix), { recursive: true });
  run(process.execPath, [
    join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--skip-license',
    // The project has no public repository URL yet, so README links stay relative instead of failing the package.
    '--no-rewrite-relative-links',
    // vsce's secret scan flags the rules' own positive samples (deliberately fake tokens such as `ghp_…`), which are
    // part of the rule metadata bundled into dist/*.js. What ships is fixed by the .vscodeignore allowlist and
    // checked file by file by scripts/e2e/vsixContents.mjs, so a stray credential file cannot slip in this way;
    // the scan for .env files stays on.
    '--allow-package-all-secrets',
    '--out',
    vsix,
  ]);
  return vsix;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--out');
  try {
    console.log(packageVsix(i > 0 ? process.argv[i + 1] : undefined));
  } catch (e) {
    console.error(`[package] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
