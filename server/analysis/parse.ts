import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Language as TSLanguage, Node as TSNode, Parser as TSParser, Tree as TSTree } from '@vscode/tree-sitter-wasm';
import type { DetectContext } from '../engine/rule';

export type { TSNode, TSTree };

/** The grammars we parse with: VS Code's own tree-sitter builds from @vscode/tree-sitter-wasm. */
export type Grammar = 'typescript' | 'tsx' | 'javascript' | 'python';

interface Loaded {
  Parser: typeof TSParser;
  languages: Map<Grammar, TSLanguage>;
}

let loaded: Loaded | undefined;
let loading: Promise<Loaded> | undefined;

/**
 * Finds a .wasm file: beside the bundle (dist/ and out/test/ get copies at build time), else in node_modules.
 */
function wasmPath(file: string): string {
  const candidates = [join(__dirname, file), join(dirname(__dirname), file)];
  for (const c of candidates) if (existsSync(c)) return c;
  const req = createRequire(__filename);
  return join(dirname(req.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm', file);
}

/**
 * Loads the tree-sitter runtime and grammars once per process (or worker thread). Must be awaited before the
 * first scan of source code; after it, parsing is synchronous so detectors stay simple pure functions.
 */
export function initParsers(): Promise<void> {
  if (!loading) {
    loading = (async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require('@vscode/tree-sitter-wasm') as typeof import('@vscode/tree-sitter-wasm');
      await mod.Parser.init({ locateFile: (f: string) => wasmPath(f) });
      const languages = new Map<Grammar, TSLanguage>();
      for (const g of ['typescript', 'tsx', 'javascript', 'python'] as const) {
        languages.set(g, await mod.Language.load(new Uint8Array(readFileSync(wasmPath(`tree-sitter-${g}.wasm`)))));
      }
      loaded = { Parser: mod.Parser, languages };
      return loaded;
    })();
  }
  return loading.then(() => undefined);
}

const parsers = new Map<Grammar, TSParser>();

/** The grammar for a path: .tsx/.jsx → tsx, .ts/.mts/.cts → typescript, other JS → javascript, .py → python. */
export function grammarFor(path: string): Grammar | undefined {
  const p = path.toLowerCase();
  if (p.endsWith('.py') || p.endsWith('.pyi')) return 'python';
  if (p.endsWith('.tsx') || p.endsWith('.jsx')) return 'tsx';
  if (/\.[cm]?ts$/.test(p)) return 'typescript';
  if (/\.[cm]?js$/.test(p)) return 'javascript';
  return undefined;
}

/**
 * Parses a document. Throws when initParsers() has not completed, which is a programming error in the caller
 * (the CLI, the worker and the test setup all await it first).
 */
export function parse(text: string, grammar: Grammar): TSTree {
  if (!loaded) throw new Error('tree-sitter is not initialised: await initParsers() before scanning source code');
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = new loaded.Parser();
    parser.setLanguage(loaded.languages.get(grammar)!);
    parsers.set(grammar, parser);
  }
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter could not parse the document as ${grammar}`);
  return tree;
}

/**
 * The parse tree of the document in a detector context, shared by every rule that runs on it. Returns undefined
 * for files that are not JS/TS/Python source.
 */
export function treeOf(ctx: DetectContext): TSTree | undefined {
  const g = grammarFor(ctx.path) ?? (ctx.kind === 'python' ? 'python' : ctx.kind === 'js' ? 'typescript' : undefined);
  if (!g) return undefined;
  return ctx.memo(`tree:${g}`, () => parse(ctx.text, g));
}
