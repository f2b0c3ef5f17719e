/**
 * The "read it from the environment" fix for hardcoded secrets. It is offered only when it is a true drop-in:
 * the secret is the whole content of a plain string literal (no template substitutions, no Python string prefix),
 * and that literal is an expression in a value position (a variable initialiser, an object property value, an
 * assignment's right side, a call argument). Anything else gets no fix rather than a fix that breaks the code.
 */
import { treeOf, type TSNode } from '../../analysis/parse';
import type { DetectContext, RawFinding } from '../../core/rule';
import { nameWords } from './placeholder';

/** Value positions where replacing a string literal by an expression keeps the code valid, per grammar family. */
const JS_PARENTS = new Set([
  'variable_declarator',
  'pair',
  'assignment_expression',
  'arguments',
  'public_field_definition',
  'field_definition',
]);
const PY_PARENTS = new Set(['assignment', 'keyword_argument', 'argument_list', 'pair']);

/** `openaiApiKey` → `OPENAI_API_KEY`; `db-password` → `DB_PASSWORD`. */
export function envNameOf(name: string): string {
  return nameWords(name).join('_').toUpperCase();
}

/** The identifier a value is assigned to (declarator name, property key, assignment target, keyword), if any. */
function assignedName(node: TSNode, text: string): string | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  const target =
    parent.childForFieldName('name') ??
    parent.childForFieldName('key') ??
    parent.childForFieldName('left') ??
    undefined;
  if (!target || target.endIndex > node.startIndex) return undefined;
  const raw = text.slice(target.startIndex, target.endIndex).replace(/^["']|["']$/g, '');
  const last = raw.split('.').pop() ?? raw;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(last) ? last : undefined;
}

/**
 * Builds the fix for a secret spanning [start, end) in a JS/TS or Python document, or undefined when the
 * replacement would not be a drop-in. `fallbackEnv` names the variable when the code's own name is not
 * descriptive (`auth: "ghp_…"` becomes `process.env.GITHUB_TOKEN`, not `process.env.AUTH`); `preferCodeName`
 * uses the code's name whenever there is one (the generic rule, where the name is all we know).
 */
export function envFix(
  ctx: DetectContext,
  start: number,
  end: number,
  fallbackEnv: string,
  preferCodeName = false,
): RawFinding['fix'] {
  if (ctx.kind !== 'js' && ctx.kind !== 'python') return undefined;
  const q = ctx.text[start - 1];
  if ((q !== '"' && q !== "'") || ctx.text[end] !== q) return undefined;
  const tree = treeOf(ctx);
  if (!tree) return undefined;
  let node: TSNode | null = tree.rootNode.descendantForIndex(start - 1, end + 1);
  // The smallest node covering the quotes may be a quote token; climb to the string literal itself.
  while (node && (node.startIndex > start - 1 || node.endIndex < end + 1)) node = node.parent;
  if (!node || node.type !== 'string' || node.startIndex !== start - 1 || node.endIndex !== end + 1) return undefined;
  const parent = node.parent;
  if (!parent) return undefined;
  const python = ctx.kind === 'python';
  if (!(python ? PY_PARENTS : JS_PARENTS).has(parent.type)) return undefined;
  // A literal used as a key (`{"ghp_…": 1}`) is not a value position.
  if (parent.type === 'pair' && parent.childForFieldName('value')?.startIndex !== node.startIndex) return undefined;
  const codeName = assignedName(node, ctx.text);
  const fromCode = codeName ? envNameOf(codeName) : undefined;
  const provider = fallbackEnv.split('_')[0]!;
  const env =
    // A one-word name (`auth`, `HF`) says too little; a multi-word one that names the provider or is already an
    // env-style constant (`OPENAI_API_KEY`) is what the author would pick.
    fromCode &&
    fromCode.includes('_') &&
    (preferCodeName || fromCode.split('_').includes(provider) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(codeName!))
      ? fromCode
      : fallbackEnv;
  if (!/^[A-Z_][A-Z0-9_]*$/.test(env)) return undefined;
  if (!python) {
    return {
      title: `Read the secret from process.env.${env}`,
      edits: [{ start: start - 1, end: end + 1, newText: `process.env.${env}` }],
    };
  }
  const edits: NonNullable<RawFinding['fix']>['edits'] = [
    { start: start - 1, end: end + 1, newText: `os.environ["${env}"]` },
  ];
  const imp = importOsEdit(tree.rootNode, ctx.text);
  if (imp) edits.unshift(imp);
  return { title: `Read the secret from os.environ["${env}"]`, edits };
}

/**
 * `os.environ` needs `import os`. When the module does not import it, insert the import before the first
 * top-level import (after any `from __future__` import, which must stay first), else before the first statement
 * that is not the module docstring.
 */
function importOsEdit(root: TSNode, text: string): { start: number; end: number; newText: string } | undefined {
  const importsOs = root.namedChildren.some(
    (c) =>
      c?.type === 'import_statement' &&
      c.namedChildren.some((n) => n?.type === 'dotted_name' && text.slice(n.startIndex, n.endIndex) === 'os'),
  );
  if (importsOs) return undefined;
  let at: number | undefined;
  let afterFuture = 0;
  for (const child of root.namedChildren) {
    if (!child) continue;
    if (child.type === 'future_import_statement') {
      afterFuture = child.endIndex + (text[child.endIndex] === '\n' ? 1 : 0);
      continue;
    }
    if (child.type === 'comment') continue;
    if (
      at === undefined &&
      child.type === 'expression_statement' &&
      child.firstNamedChild?.type === 'string' &&
      child.startIndex === firstCodeIndex(root)
    ) {
      afterFuture = Math.max(afterFuture, child.endIndex + (text[child.endIndex] === '\n' ? 1 : 0));
      continue;
    }
    at = child.startIndex;
    break;
  }
  const pos = Math.max(at ?? afterFuture, afterFuture);
  return { start: pos, end: pos, newText: 'import os\n' };
}

function firstCodeIndex(root: TSNode): number {
  for (const c of root.namedChildren) if (c && c.type !== 'comment') return c.startIndex;
  return -1;
}
