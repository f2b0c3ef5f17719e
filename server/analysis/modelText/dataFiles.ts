import { roleOfPath } from '../../core/fileRole';
import type { DetectContext } from '../../core/rule';
import { kids, nodesOfType } from '../ast';
import { jsonDoc, type Node } from '../json/jsonc';
import { evalJs, JsScope } from '../mcp/evalJs';
import { PyScope, str as pyStr } from '../mcp/py/eval';
import { jsonStringPieces, metaFromPieces } from '../mcp/strings';
import type { MetaString } from '../mcp/types';
import { grammarFor, nodeIndexOf, treeOf, type TSNode } from '../parse';

/**
 * Data files a server ships and serves to the model: canned responses, prompt templates, resource documents and the
 * seed scripts that fill its database. A scanner cannot run the server to see which files it reads, so a file counts
 * as served by where it sits, the convention servers follow:
 * - below a folder named `data`, `prompts`, `prompt`, `resources`, `templates`, `seed`, `seeds` or `responses`
 *   (JSON, YAML, Markdown, HTML and text; Markdown and HTML are read only there, see shared/languages.ts);
 * - a JS/TS or Python seed script (`seed.py`, `seed_db.ts`, `db/seeds/notes.js`), whose string literals are the
 *   records it writes (`INSERT INTO … VALUES ('…')`, `db.insert({ … })`);
 * - the module-level constants of a JS/TS or Python file in such a folder (`src/prompts/review.ts` exporting its
 *   template strings), unless their names say they are pattern or example lists.
 * Never served: README-like files (README, SECURITY, CHANGELOG, CONTRIBUTING, LICENSE), anything below `docs/` or
 * `doc/` (documentation describes attacks, it does not perform them), and test files and fixtures (a detector's
 * test data holds attack phrases on purpose).
 */

/** Folders whose files a server serves by convention. */
const SERVED_DIRS = new Set(['data', 'prompts', 'prompt', 'resources', 'templates', 'seed', 'seeds', 'responses']);
/** Folders of documentation, never served to the model by convention. */
const DOC_DIRS = new Set(['docs', 'doc', 'documentation', 'wiki', '.github']);
/** README-like files: documentation of the project, including documentation of attacks. */
const README_LIKE =
  /^(?:readme|security|changelog|changes|contributing|license|licence|code_of_conduct|notice|authors|history)(?:\.|$)/i;
/** Seed scripts by name: `seed.py`, `seed_db.ts`, `seed-data.js`, `db_seed.py`. */
const SEED_SCRIPT = /^(?:\w*[_-])?seed(?:s|er|ing)?(?:[_-]\w+)?\.(?:[cm]?[jt]s|py)$/i;

/** Why a file is taken as served to the model, for messages ("in a prompts/ folder"), or undefined. */
export function servedDataReason(path: string): string | undefined {
  const parts = path.split(/[\\/]+/).filter((p) => p && p !== '.');
  const name = parts.pop() ?? '';
  const dirs = parts.map((p) => p.toLowerCase());
  if (README_LIKE.test(name) || dirs.some((d) => DOC_DIRS.has(d)) || roleOfPath(path) === 'test') return undefined;
  if (SEED_SCRIPT.test(name)) return 'a seed script';
  const dir = [...dirs].reverse().find((d) => SERVED_DIRS.has(d));
  return dir ? `a file in ${dir}/` : undefined;
}

/** One text of a served data file. */
export interface DataText {
  /** The decoded text, with its source map. */
  str: MetaString;
}

/** Keys of JSON data whose values are a detector's own patterns or examples, not text served as content. */
const PATTERN_KEY =
  /pattern|signature|keyword|phrase|blocklist|denylist|blacklist|indicator|regex|example|sample|attack|payload|jailbreak/i;

/** The texts of a served data file (empty for a file that is not served), memoised per document. */
export function dataTexts(ctx: DetectContext): DataText[] {
  return ctx.memo('modelText:data', () => {
    if (!servedDataReason(ctx.path)) return [];
    switch (ctx.kind) {
      case 'json':
        return jsonTexts(ctx);
      case 'yaml':
      case 'text':
        return [{ str: { start: 0, end: ctx.text.length, value: ctx.text } }];
      case 'js':
      case 'python':
        if (SEED_SCRIPT.test(ctx.path.split('/').pop() ?? '') || /(?:^|\/)seeds?\//i.test(ctx.path))
          return codeLiterals(ctx, 'all');
        // Prompt templates and canned texts kept as code (`src/prompts/review.ts` exporting template strings): the
        // module-level constants are the text, whatever the handler in another file does with them.
        return codeLiterals(ctx, 'constants');
      default:
        return [];
    }
  });
}

/**
 * The `<!-- … -->` comments of a text, as decoded offsets of their content: invisible in rendered Markdown and HTML,
 * read in full by a model given the source, so an instruction there is hidden from the person and not from the model.
 */
export function htmlCommentRanges(text: string): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (let i = text.indexOf('<!--'); i >= 0; i = text.indexOf('<!--', i + 4)) {
    const end = text.indexOf('-->', i + 4);
    out.push({ from: i + 4, to: end < 0 ? text.length : end });
    if (end < 0) break;
    i = end;
  }
  return out;
}

/** Every string value of a JSON document (keys are structure), except under keys that name pattern lists. */
function jsonTexts(ctx: DetectContext): DataText[] {
  const out: DataText[] = [];
  const visit = (n: Node | undefined, key: string | undefined, depth: number): void => {
    if (!n || depth > 64) return;
    if (key && PATTERN_KEY.test(key)) return;
    if (n.type === 'string') {
      const start = n.offset + 1;
      const end = n.offset + n.length - 1;
      const str = metaFromPieces(jsonStringPieces(ctx.text.slice(start, end), start), { start, end });
      out.push({ str });
      return;
    }
    if (n.type === 'array') for (const c of n.children ?? []) visit(c, key, depth + 1);
    if (n.type === 'object')
      for (const p of n.children ?? []) visit(p.children?.[1], String(p.children?.[0]?.value ?? ''), depth + 1);
  };
  visit(jsonDoc(ctx).root, undefined, 0);
  return out;
}

/** Names of constants that hold a detector's own patterns or examples rather than served text. */
const PATTERN_NAME =
  /pattern|signature|keyword|phrase|blocklist|denylist|blacklist|indicator|heuristic|regex|example|sample|attack|payload|jailbreak|injection/i;

/** The values of the module-level constants of a file whose names do not say they are pattern lists. */
function constantValues(root: TSNode, python: boolean): TSNode[] {
  const out: TSNode[] = [];
  for (let stmt of kids(root)) {
    if (stmt.type === 'export_statement') stmt = stmt.childForFieldName('declaration') ?? stmt;
    if (python && stmt.type === 'expression_statement') {
      const a = kids(stmt)[0];
      const name = a?.type === 'assignment' ? a.childForFieldName('left') : null;
      const value = a?.childForFieldName('right');
      if (name?.type === 'identifier' && value && !PATTERN_NAME.test(name.text)) out.push(value);
    }
    if (!python && (stmt.type === 'lexical_declaration' || stmt.type === 'variable_declaration'))
      for (const d of kids(stmt)) {
        const name = d.childForFieldName('name');
        const value = d.childForFieldName('value');
        if (name?.type === 'identifier' && value && !PATTERN_NAME.test(name.text)) out.push(value);
      }
  }
  return out;
}

/**
 * String literals of a code file served as data: every literal of a seed script (the records it writes), or the
 * literals inside module-level constants of a file in a served folder.
 */
function codeLiterals(ctx: DetectContext, which: 'all' | 'constants'): DataText[] {
  const tree = treeOf(ctx);
  const index = nodeIndexOf(ctx);
  if (!tree || !index) return [];
  const python = (grammarFor(ctx.path) ?? 'python') === 'python';
  const roots = which === 'all' ? [tree.rootNode] : constantValues(tree.rootNode, python);
  const out: DataText[] = [];
  if (python) {
    const scope = new PyScope(index);
    for (const n of roots.flatMap((r) => nodesOfType(r, ['string']))) {
      if (n.parent?.type === 'concatenated_string') continue;
      const s = pyStr(n, scope);
      if (s?.value.trim()) out.push({ str: s });
    }
    return out;
  }
  const scope = new JsScope(index);
  for (const n of roots.flatMap((r) => nodesOfType(r, ['string', 'template_string']))) {
    const pieces = evalJs(n, scope);
    if (pieces?.some((p) => p.value.trim()))
      out.push({ str: metaFromPieces(pieces, { start: n.startIndex + 1, end: n.endIndex - 1 }) });
  }
  return out;
}
