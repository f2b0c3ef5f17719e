// Bundles the in-host suite (test/e2e/suite/index.ts and the files it imports) into out/e2e/suite/index.js.
// `vscode` is provided by the extension host and mocha is loaded from the repository's node_modules at run time
// (it reads its own files dynamically, which a bundle cannot follow). Both harnesses load this one bundle.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Absolute path of the bundled test module that VS Code loads as `extensionTestsPath`. */
export const suiteBundle = join(root, 'out', 'e2e', 'suite', 'index.js');

/** Builds the bundle; resolves with its path. */
export async function buildSuite() {
  await esbuild.build({
    entryPoints: [join(root, 'test', 'e2e', 'suite', 'index.ts')],
    outfile: suiteBundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    external: ['vscode', 'mocha'],
    // jsonc-parser's UMD entry requires its own files dynamically, which a bundle cannot follow: take its ESM build.
    mainFields: ['module', 'main'],
  });
  return suiteBundle;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await buildSuite());
}
