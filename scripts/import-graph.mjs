// Prints the folder-level import graph of the shipped code (server/, client/, shared/): one line per edge between
// two folders with the number of import statements, then the edges that close a cycle and the largest modules.
// Usage: node scripts/import-graph.mjs [--files N]   (N largest source modules; default 15)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const topN = Number(process.argv[process.argv.indexOf('--files') + 1]) || 15;
const IMPORT = /(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gs;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** server/<folder> for server code, else the top folder. */
function layer(abs) {
  const parts = relative(root, abs).split(sep);
  return parts[0] === 'server' && parts.length > 2 ? `server/${parts[1]}` : parts[0];
}

function resolveImport(from, spec) {
  const base = normalize(join(dirname(from), spec));
  for (const c of [base + '.ts', join(base, 'index.ts')]) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      // not this candidate
    }
  }
  return undefined;
}

const files = ['server', 'client', 'shared'].flatMap((d) => walk(join(root, d)));
const edges = new Map();
for (const f of files) {
  for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
    if (!m[1].startsWith('.')) continue;
    const target = resolveImport(f, m[1]);
    if (!target) continue;
    const a = layer(f);
    const b = layer(target);
    if (a === b) continue;
    const key = `${a} -> ${b}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  }
}
const keys = [...edges.keys()].sort();
console.log('folder-level imports (from -> to: import statements)');
for (const k of keys) console.log(`  ${k}: ${edges.get(k)}`);

const out = new Map();
for (const k of keys) {
  const [a, b] = k.split(' -> ');
  if (!out.has(a)) out.set(a, new Set());
  out.get(a).add(b);
}
const reaches = (from, to, seen = new Set()) => {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  return [...(out.get(from) ?? [])].some((n) => reaches(n, to, seen));
};
const cyclic = keys.filter((k) => {
  const [a, b] = k.split(' -> ');
  return reaches(b, a);
});
console.log(`edges in a folder cycle: ${cyclic.length}`);
for (const k of cyclic) console.log(`  ${k}`);

const sizes = files
  .map((f) => [relative(root, f).split(sep).join('/'), readFileSync(f, 'utf8').split('\n').length])
  .sort((x, y) => y[1] - x[1])
  .slice(0, topN);
console.log(`largest modules (lines)`);
for (const [f, n] of sizes) console.log(`  ${String(n).padStart(5)}  ${f}`);
