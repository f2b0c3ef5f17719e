// Writes the package.json keys the client owns from client/manifest.ts, which builds them from the typed settings
// (shared/settings.ts) and command ids (shared/protocol.ts): the `contributes` keys that manifest.ts generates,
// `activationEvents` and `capabilities`. It is a read-modify-write: every other key, including the hand-written
// `contributes.jsonValidation` and `contributes.grammars`, stays as it is, and existing keys keep their place, so a
// run on an up-to-date tree leaves package.json byte for byte unchanged. test/unit/settings-sync.test.ts fails until
// package.json matches, so run this after adding a setting or a command.
//
// Run: npm run gen:manifest         (rewrites package.json)
//      npm run gen:manifest -- --check   (changes nothing; exits 1 when package.json is out of date)
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');

// manifest.ts is TypeScript and imports shared/: bundle it to a temporary ES module, then import that.
const dir = mkdtempSync(join(tmpdir(), 'mcp-sentinel-manifest-'));
let manifest;
try {
  const outfile = join(dir, 'manifest.mjs');
  await esbuild.build({
    entryPoints: [join(root, 'client', 'manifest.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
  });
  manifest = await import(pathToFileURL(outfile).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const file = join(root, 'package.json');
const before = readFileSync(file, 'utf8');
const pkg = JSON.parse(before);
// Assigning to an existing key keeps its position in the object; a new key goes last.
pkg.contributes ??= {};
for (const [key, value] of Object.entries(manifest.contributes())) pkg.contributes[key] = value;
pkg.activationEvents = manifest.activationEvents();
pkg.capabilities = manifest.capabilities();
// npm and Prettier (its json-stringify parser for package.json) both write two-space JSON with a final newline.
const after = JSON.stringify(pkg, null, 2) + '\n';

if (after === before) console.log('package.json is up to date');
else if (check) {
  console.error('package.json is out of date: run npm run gen:manifest');
  process.exitCode = 1;
} else {
  writeFileSync(file, after);
  console.log('wrote package.json');
}
