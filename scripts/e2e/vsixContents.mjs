// Lists a .vsix and checks it against the packaging contract: every file is on the allowlist (the packaging rule:
// `.vscodeignore` is an allowlist), and every file the manifest or the server needs at run time is there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Paths (inside `extension/`) that may ship. Anything else in the .vsix is a packaging leak. */
const ALLOWED = [
  /^package\.json$/,
  // vsce stores these under lower-case names.
  /^(readme|changelog)\.md$/i,
  /^license(\.md|\.txt)?$/i,
  // `cli.js` loads `cli-main.js` on demand (a small entry answers --version without the engine); `serve.js`, the scan
  // service, is for the command line only and must not ship.
  /^dist\/(?!serve\.js$)[a-z]+(-[a-z]+)?\.js$/,
  /^dist\/tree-sitter(-[a-z]+)?\.wasm$/,
  /^dist\/node_modules\/re2\/(package\.json|re2\.js|build\/Release\/re2\.node)$/,
  /^(media|syntaxes|schemas)\/[^/][\w./-]*$/,
];

/** The entries of a zip file. */
export function listZip(file) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const names = [];
      zip.on('entry', (e) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Files the manifest points at, which must therefore ship. */
function requiredByManifest() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const strip = (p) => p.replace(/^\.\//, '');
  const req = new Set(['package.json', 'dist/client.js', 'dist/server.js', 'dist/worker.js', 'dist/tree-sitter.wasm']);
  // The server loads re2 from next to its bundle; without these three files it silently runs the slower backend.
  for (const f of ['package.json', 're2.js', 'build/Release/re2.node']) req.add(`dist/node_modules/re2/${f}`);
  if (pkg.main) req.add(strip(pkg.main).replace(/(\.js)?$/, '.js'));
  if (pkg.icon) req.add(strip(pkg.icon));
  for (const g of pkg.contributes?.grammars ?? []) if (g.path) req.add(strip(g.path));
  for (const v of pkg.contributes?.jsonValidation ?? []) if (v.url && !/^https?:/.test(v.url)) req.add(strip(v.url));
  return [...req];
}

/** Throws with a readable list when the .vsix holds an unexpected file or lacks a needed one. */
export async function checkVsixContents(vsix) {
  const entries = await listZip(vsix);
  const files = entries
    .filter((e) => e.startsWith('extension/') && !e.endsWith('/'))
    .map((e) => e.slice('extension/'.length));
  const leaks = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  const missing = requiredByManifest().filter((f) => !files.includes(f));
  const problems = [];
  if (leaks.length) problems.push(`not on the allowlist: ${leaks.join(', ')}`);
  if (missing.length) problems.push(`missing: ${missing.join(', ')}`);
  if (problems.length) throw new Error(`${vsix}: ${problems.join('; ')}`);
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await checkVsixContents(process.argv[2]);
  console.log(files.join('\n'));
}
