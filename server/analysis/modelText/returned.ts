import type { DetectContext, Span } from '../../core/rule';
import { kids, nodesOfType, stripCasts } from '../ast';
import { evalJs, JsScope, keyText } from '../mcp/evalJs';
import { mcpMetadataOf } from '../mcp/extract';
import { keywords, positional, PyScope, str as pyStr } from '../mcp/py/eval';
import { metaFromPieces } from '../mcp/strings';
import type { McpEntity, MetaString } from '../mcp/types';
import { grammarFor, nodeIndexOf, treeOf, type NodeIndex, type TSNode } from '../parse';

/**
 * The text an MCP server's handlers put in front of the model: the strings a tool, prompt or resource handler
 * returns, puts into result content (`content: [{ type: "text", text }]`, prompt `messages`, resource `contents`),
 * serialises (`JSON.stringify`, `json.dumps`) or throws as an error message, followed through module constants of
 * the same file. Only text the file itself determines is collected: a `${value}` read at run time is an empty piece,
 * so a phrase rule sees the author's words and never the user's data.
 */

/** Who returns a text: the tool, prompt or resource (or the low-level dispatcher) whose handler holds it. */
export interface TextOwner {
  /** Tool, prompt or resource. */
  kind: McpEntity['kind'];
  /** Its name, when the registration names it (a low-level dispatcher has none). */
  name?: string;
  /** Where the owner is named or registered, for related information. */
  span: Span;
}

/** One model-facing text of a handler. */
export interface ReturnedText {
  /** The decoded text, with its source map. */
  str: MetaString;
  /** How it reaches the model: returned (or put into result content) or thrown as an error. */
  via: 'return' | 'error';
  /** The handler's owner. */
  owner: TextOwner;
  /** The constant the text was read from, when it was followed through a name (`const NOTICE = …`). */
  constant?: string;
}

/** Object keys whose values are protocol fields, not text: `type: "text"`, `role: "user"`, `mimeType`, `uri`. */
const PROTOCOL_KEYS = new Set([
  'type',
  'role',
  'mimeType',
  'mime_type',
  'uri',
  'isError',
  'is_error',
  'name',
  'id',
  'url',
  'href',
  'encoding',
  'annotations',
  'audience',
  'priority',
]);

/**
 * Names of constants that hold a detector's own patterns, examples or test phrases: a security tool that returns its
 * list of injection phrases quotes the attack, it does not perform it.
 */
const PATTERN_LIST_NAME =
  /pattern|signature|keyword|phrase|blocklist|denylist|blacklist|allowlist|indicator|heuristic|regex|example|sample|attack|payload|jailbreak|injection/i;

/** Calls whose string arguments become result content: `textResult("…")`, `TextContent(text=…)`, `UserMessage("…")`. */
const CONTENT_CALL = /(?:^|\.)(?:\w*(?:text|content|response|result|message|reply|error|prompt)\w*)$/i;
/**
 * Calls whose string arguments are not model text even though their names look like content helpers: logging
 * (`log.error("…")`, `self.logger.error(…)`, `console.error`), printing, date formatting.
 */
const NOT_CONTENT_CALL =
  /(?:^|\.)(?:console|log|logs|logger|_logger|logging|winston|pino|warnings|sys\.stderr)\.\w+$|^(?:print|debug|info|warn|warning|log\w*)$|(?:^|\.)(?:log\w*|format\w*Date)$/i;

/** Bounded walk state: the nodes already followed (constants referenced twice are read once). */
interface Walk {
  seen: Set<number>;
  out: ReturnedText[];
  owner: TextOwner;
  via: ReturnedText['via'];
  constant?: string;
}

/** The model-facing texts of every handler in a JS/TS or Python document, memoised per document. */
export function returnedTexts(ctx: DetectContext): ReturnedText[] {
  return ctx.memo('modelText:returned', () => {
    if (ctx.kind !== 'js' && ctx.kind !== 'python') return [];
    const meta = mcpMetadataOf(ctx);
    const handlers: { fn: TSNode; owner: TextOwner }[] = [];
    for (const e of meta.entities) {
      if (!e.handler) continue;
      const span = e.name ? { start: e.name.start, end: e.name.end } : { start: e.span.start, end: e.span.start };
      const owner: TextOwner = { kind: e.kind, span };
      if (e.name?.value) owner.name = e.name.value;
      handlers.push({ fn: e.handler, owner });
    }
    for (const d of meta.dispatchers) handlers.push({ fn: d.handler, owner: { kind: d.kind, span: d.span } });
    if (handlers.length === 0 || !treeOf(ctx)) return [];
    const index = nodeIndexOf(ctx)!;
    const python = (grammarFor(ctx.path) ?? (ctx.kind === 'python' ? 'python' : 'typescript')) === 'python';
    const out: ReturnedText[] = [];
    const seenFn = new Set<number>();
    if (python) {
      const scope = new PyScope(index);
      for (const h of handlers) if (!seenFn.has(h.fn.id) && seenFn.add(h.fn.id)) pyHandler(h.fn, h.owner, scope, out);
    } else {
      const scope = new JsScope(index);
      for (const h of handlers)
        if (!seenFn.has(h.fn.id) && seenFn.add(h.fn.id)) jsHandler(h.fn, h.owner, scope, index, out);
    }
    return dedupe(out);
  });
}

/** One text per source span: a constant returned by two handlers is reported once, for the first. */
function dedupe(ts: ReturnedText[]): ReturnedText[] {
  const seen = new Set<string>();
  return ts.filter((t) => {
    const k = `${t.str.start}:${t.str.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---- JavaScript / TypeScript ----

/** Collects what one JS handler returns, throws, or puts under a `text:` key of result content. */
function jsHandler(fn: TSNode, owner: TextOwner, scope: JsScope, index: NodeIndex, out: ReturnedText[]): void {
  const w = (via: ReturnedText['via']): Walk => ({ seen: new Set(), out, owner, via });
  const body = fn.childForFieldName('body');
  if (body && body.type !== 'statement_block') jsValue(body, scope, w('return'));
  // The three kinds of node come from one traversal of the document, shared by every handler (a large server has
  // hundreds), and are read in the order three separate lookups gave: every return, then every throw, then every pair.
  const returns: TSNode[] = [];
  const throws: TSNode[] = [];
  const pairs: TSNode[] = [];
  for (const n of index.withinAny(fn, ['return_statement', 'throw_statement', 'pair'])) {
    const t = n.type;
    (t === 'return_statement' ? returns : t === 'throw_statement' ? throws : pairs).push(n);
  }
  for (const r of returns) for (const e of kids(r)) jsValue(e, scope, w('return'));
  for (const t of throws) for (const e of kids(t)) jsThrown(e, scope, w('error'));
  // Content items built before the return: `content.push({ type: "text", text: "…" })`.
  for (const p of pairs) {
    const k = keyText(p.childForFieldName('key'));
    if (k === 'text' || k === 'content') jsValue(p.childForFieldName('value'), scope, w('return'));
  }
}

/** An error thrown to the model: the string arguments of `new Error("…")` / `new McpError(code, "…")`. */
function jsThrown(n: TSNode, scope: JsScope, w: Walk): void {
  const e = stripCasts(n);
  if (e.type === 'new_expression' || e.type === 'call_expression')
    for (const a of kids(e.childForFieldName('arguments'))) jsString(a, scope, w);
  else jsString(e, scope, w);
}

/** Adds the text of a string expression (literal, template, concatenation, constant), when the file fixes it. */
function jsString(n: TSNode, scope: JsScope, w: Walk): boolean {
  const pieces = evalJs(n, scope);
  if (!pieces || !pieces.some((p) => p.value.trim())) return false;
  const s = stripCasts(n);
  const q = s.type === 'string' || s.type === 'template_string' ? 1 : 0;
  const t: ReturnedText = {
    str: metaFromPieces(pieces, { start: s.startIndex + q, end: s.endIndex - q }),
    via: w.via,
    owner: w.owner,
  };
  if (w.constant) t.constant = w.constant;
  w.out.push(t);
  return true;
}

/** Walks a returned value: strings, objects and arrays of them, conditionals, constants, `JSON.stringify`. */
function jsValue(n: TSNode | null | undefined, scope: JsScope, w: Walk, depth = 0): void {
  if (!n || depth > 10 || w.seen.has(n.id)) return;
  w.seen.add(n.id);
  let e = stripCasts(n);
  if (e.type === 'await_expression') e = kids(e)[0] ?? e;
  switch (e.type) {
    case 'string':
    case 'template_string':
    case 'binary_expression':
      jsString(e, scope, w);
      return;
    case 'object':
      for (const c of kids(e)) {
        if (c.type === 'spread_element') jsValue(kids(c)[0], scope, w, depth + 1);
        if (c.type !== 'pair') continue;
        const k = keyText(c.childForFieldName('key'));
        if (k === undefined || PROTOCOL_KEYS.has(k)) continue;
        jsValue(c.childForFieldName('value'), scope, w, depth + 1);
      }
      return;
    case 'array':
      for (const c of kids(e)) jsValue(c, scope, w, depth + 1);
      return;
    case 'ternary_expression':
      jsValue(e.childForFieldName('consequence'), scope, w, depth + 1);
      jsValue(e.childForFieldName('alternative'), scope, w, depth + 1);
      return;
    case 'identifier': {
      // Follow a name to the constant it was declared with, unless the name says it is a list of patterns.
      if (PATTERN_LIST_NAME.test(e.text)) return;
      const v = scope.value(e.text);
      if (!v) return;
      const inner: Walk = { ...w, constant: w.constant ?? e.text };
      jsValue(v, scope, inner, depth + 1);
      return;
    }
    case 'member_expression': {
      if (PATTERN_LIST_NAME.test(e.text)) return;
      if (!jsString(e, scope, w)) return;
      return;
    }
    case 'call_expression': {
      const callee = e.childForFieldName('function')?.text ?? '';
      const args = kids(e.childForFieldName('arguments'));
      if (/^JSON\.stringify$/.test(callee)) return jsValue(args[0], scope, w, depth + 1);
      if (jsString(e, scope, w)) return;
      if (CONTENT_CALL.test(callee) && !NOT_CONTENT_CALL.test(callee))
        for (const a of args) jsValue(a, scope, w, depth + 1);
      return;
    }
    default:
      return;
  }
}

// ---- Python ----

/** Collects what one Python handler returns, raises, or passes as content (`TextContent(text=…)`). */
function pyHandler(fn: TSNode, owner: TextOwner, scope: PyScope, out: ReturnedText[]): void {
  const w = (via: ReturnedText['via']): Walk => ({ seen: new Set(), out, owner, via });
  for (const r of nodesOfType(fn, ['return_statement'])) for (const e of kids(r)) pyValue(e, scope, w('return'));
  for (const r of nodesOfType(fn, ['raise_statement'])) {
    const e = kids(r)[0];
    if (e?.type === 'call') for (const a of positional(e)) pyString(a, scope, w('error'));
  }
  for (const c of nodesOfType(fn, ['call'])) {
    const callee = c.childForFieldName('function')?.text ?? '';
    if (!CONTENT_CALL.test(callee) || NOT_CONTENT_CALL.test(callee)) continue;
    const kw = keywords(c);
    for (const k of ['text', 'content']) pyValue(kw.get(k), scope, w('return'));
    for (const a of positional(c)) pyValue(a, scope, w('return'));
  }
}

/** Adds the text of a Python string expression when the file fixes it. */
function pyString(n: TSNode, scope: PyScope, w: Walk): boolean {
  const s = pyStr(n, scope);
  if (!s || !s.value.trim()) return false;
  const t: ReturnedText = { str: s, via: w.via, owner: w.owner };
  if (w.constant) t.constant = w.constant;
  w.out.push(t);
  return true;
}

/** Walks a returned Python value: strings, dicts, lists, conditionals, constants, `json.dumps`, content calls. */
function pyValue(n: TSNode | null | undefined, scope: PyScope, w: Walk, depth = 0): void {
  if (!n || depth > 10 || w.seen.has(n.id)) return;
  w.seen.add(n.id);
  switch (n.type) {
    case 'string':
    case 'concatenated_string':
    case 'binary_operator':
      pyString(n, scope, w);
      return;
    case 'parenthesized_expression':
    case 'await':
      return pyValue(kids(n)[0], scope, w, depth + 1);
    case 'dictionary':
      for (const p of kids(n)) {
        if (p.type !== 'pair') continue;
        const k = p.childForFieldName('key');
        if (k?.type === 'string' && PROTOCOL_KEYS.has(k.text.slice(1, -1))) continue;
        pyValue(p.childForFieldName('value'), scope, w, depth + 1);
      }
      return;
    case 'list':
    case 'tuple':
    case 'expression_list':
      for (const c of kids(n)) pyValue(c, scope, w, depth + 1);
      return;
    case 'conditional_expression': {
      const [a, , b] = kids(n);
      pyValue(a, scope, w, depth + 1);
      pyValue(b, scope, w, depth + 1);
      return;
    }
    case 'identifier':
    case 'attribute': {
      if (PATTERN_LIST_NAME.test(n.text)) return;
      const v = scope.value(n.text);
      if (!v) return;
      pyFollow(v, scope, { ...w, constant: w.constant ?? n.text }, depth);
      return;
    }
    case 'call': {
      const callee = n.childForFieldName('function')?.text ?? '';
      const args = positional(n);
      if (/(?:^|\.)dumps$/.test(callee)) return pyValue(args[0], scope, w, depth + 1);
      if (pyString(n, scope, w)) return;
      if (CONTENT_CALL.test(callee) && !NOT_CONTENT_CALL.test(callee)) {
        const kw = keywords(n);
        for (const k of ['text', 'content', 'messages']) pyValue(kw.get(k), scope, w, depth + 1);
        for (const a of args) pyValue(a, scope, w, depth + 1);
      }
      return;
    }
    default:
      return;
  }
}

/** Follows a Python name to its assigned value: only literal data is read, never a call's result. */
function pyFollow(v: TSNode, scope: PyScope, w: Walk, depth: number): void {
  if (v.type === 'call' && !/(?:dedent|cleandoc|join|strip)$/.test(v.childForFieldName('function')?.text ?? '')) return;
  pyValue(v, scope, w, depth + 1);
}
