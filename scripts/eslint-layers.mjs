// An ESLint rule that keeps the layers of the code base pointing down (docs/architecture.md): every relative import
// is resolved to the folder it lands in, and an import into a folder that is not below the importing one is an
// error. It needs no type information, so `npm run lint` checks it on every file of server/, client/ and shared/.
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What each layer may import, besides itself. Anything not listed (tests, scripts) is not checked. */
export const LAYERS = {
  shared: [],
  client: ['shared'],
  'server/core': ['shared'],
  'server/analysis': ['server/core', 'shared'],
  'server/project': ['server/core', 'shared'],
  'server/discovery': ['server/core', 'shared'],
  'server/reports': ['server/core', 'shared'],
  // The result cache's store: keys and bytes only; what is cached and how it is keyed is the CLI's.
  'server/cache': ['server/core', 'shared'],
  // Package vetting's resolver and safe extraction: it fetches and unpacks, it does not scan.
  'server/packages': ['server/core', 'server/cache', 'shared'],
  'server/rules': ['server/core', 'server/analysis', 'server/project', 'shared'],
  'server/engine': [
    'server/core',
    'server/analysis',
    'server/project',
    'server/rules',
    'server/discovery',
    'server/reports',
    'shared',
  ],
  // The worker pool and the worker entry: both front ends scan through them, and a worker runs the engine.
  'server/workers': [
    'server/core',
    'server/analysis',
    'server/project',
    'server/rules',
    'server/discovery',
    'server/reports',
    'server/engine',
    'shared',
  ],
  'server/cli': ['server/*', 'shared'],
  'server/lsp': ['server/*', 'shared'],
};

/** The layer of a path relative to the repository root: `server/<folder>` for server code, else the top folder. */
export function layerOf(rel) {
  const parts = rel.split(sep).join('/').split('/');
  if (parts[0] === 'server') return parts.length > 1 ? `server/${parts[1]}` : 'server';
  return parts.length > 1 ? parts[0] : '.';
}

function allowed(from, to) {
  if (from === to || to === '.') return true;
  const may = LAYERS[from];
  if (!may) return true;
  return may.some((l) => l === to || (l === 'server/*' && to.startsWith('server/')));
}

export const layersPlugin = {
  rules: {
    'imports-point-down': {
      meta: {
        type: 'problem',
        docs: { description: 'Relative imports may only reach the same layer or a layer below it.' },
        schema: [],
        messages: {
          upward: "'{{from}}' may not import from '{{to}}' ({{spec}}): the layers only point down ({{may}}).",
        },
      },
      create(context) {
        const file = context.filename;
        const from = layerOf(relative(ROOT, file));
        const check = (node, spec) => {
          if (typeof spec !== 'string' || !spec.startsWith('.')) return;
          const to = layerOf(relative(ROOT, normalize(join(dirname(file), spec))));
          if (!allowed(from, to))
            context.report({
              node,
              messageId: 'upward',
              data: { from, to, spec, may: (LAYERS[from] ?? []).join(', ') || 'nothing' },
            });
        };
        return {
          ImportDeclaration: (n) => check(n.source, n.source.value),
          ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
          ExportAllDeclaration: (n) => check(n.source, n.source.value),
          ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value),
        };
      },
    },
  },
};
