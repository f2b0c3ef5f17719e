// Builds the bundles that ship (dist/client.js, dist/server.js, dist/worker.js, dist/cli.js) and, with --tests,
// the test files into out/test/ so that `node --test` runs them. Type checking is its own step (npm run typecheck).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const watch = args.has('--watch');
const minify = args.has('--minify');
const tests = args.has('--tests');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !minify,
  minify,
  logLevel: 'warning',
  // re2 is a native addon loaded at run time; vscode is provided by the editor.
  external: ['vscode', 're2'],
  // jsonc-parser's UMD entry requires its own files dynamically, which a bundle cannot follow: take its ESM build.
  mainFields: ['module', 'main'],
};

const entries = {
  // dist/cli.js answers --version by itself and loads dist/cli-main.js (the CLI proper) for everything else.
  cli: 'server/cli/main.ts',
  'cli-main': 'server/cli/run.ts',
  // pacote and its dependencies, loaded only when a package is vetted (server/packages/load.ts).
  packages: 'server/packages/fetch.ts',
  server: 'server/lsp/server.ts',
  worker: 'server/workers/worker.ts',
  client: 'client/extension.ts',
};

function copyAssets(outdir) {
  mkdirSync(outdir, { recursive: true });
  const wasm = join(root, 'node_modules/@vscode/tree-sitter-wasm/wasm');
  for (const f of [
    'tree-sitter.wasm',
    'tree-sitter-typescript.wasm',
    'tree-sitter-tsx.wasm',
    'tree-sitter-javascript.wasm',
    'tree-sitter-python.wasm',
  ]) {
    cpSync(join(wasm, f), join(outdir, f));
  }
}

function testEntries(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures' && name !== 'golden' && name !== 'e2e') out.push(...testEntries(p));
    } else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const builds = [];
for (const [name, entry] of Object.entries(entries)) {
  builds.push({
    ...common,
    entryPoints: { [name]: join(root, entry) },
    outdir: join(root, 'dist'),
    banner: name === 'cli' ? { js: '#!/usr/bin/env node' } : undefined,
    // pacote carries npm's script runner, which resolves node-gyp at run time. Vetting never reaches it (only
    // registry and tarball specs are fetched, and those run no scripts), so the unbundled path is never taken.
    ...(name === 'packages' ? { logOverride: { 'require-resolve-not-external': 'silent' } } : {}),
  });
}
copyAssets(join(root, 'dist'));

if (tests) {
  rmSync(join(root, 'out/test'), { recursive: true, force: true });
  const files = testEntries(join(root, 'test'));
  const entryPoints = Object.fromEntries(files.map((f) => [relative(join(root, 'test'), f).replace(/\.ts$/, ''), f]));
  builds.push({ ...common, entryPoints, outdir: join(root, 'out/test'), external: [...common.external, 'esbuild'] });
  copyAssets(join(root, 'out/test'));
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
