import type { NodeIndex, TSNode } from '../../analysis/parse';

/**
 * The rug-pull triggers beyond a module-level counter, a fixed date and the client's identity (rugPull.ts): a marker
 * file the server both checks and creates (a first-run flag that survives restarts), a flag fetched from a remote
 * server, the server's uptime, and call counters kept in a closure or on `self`. Each is ordinary code on its own
 * (config files, feature flags, uptime in a health report, counters for metrics); rugPull.ts reports them only where
 * they gate a switch of tool metadata or, for the strong ones, a branch of a tool handler.
 */

/** Source language of the document. */
export type Lang = 'js' | 'python';

/** A range of the document (a tool handler). */
export interface Range {
  /** First offset. */
  start: number;
  /** Offset after the last character. */
  end: number;
}

/** What the extra triggers of one document are built from. */
export interface ExtraState {
  /** Argument texts of existence checks whose file the same code also creates: `existsSync(MARKER)` + `writeFileSync(MARKER, …)`. */
  markers: Set<string>;
  /** Variables holding a value fetched over the network (`const flags = await (await fetch(url)).json()`). */
  remote: Set<string>;
  /** Module-level variables set once to the start time (`const startedAt = Date.now()`). */
  startTimes: Set<string>;
}

/** The kinds of trigger this module adds, with a name for messages. */
export interface ExtraTrigger {
  /** Which trigger: `marker` and `uptime` gate switches and handler branches; `remote` gates shipped definitions only. */
  kind: 'marker' | 'remote' | 'uptime';
  /** For messages. */
  what: string;
}

const JS_EXISTS = /(?:^|\.)(?:existsSync|exists|access|accessSync|statSync|pathExists|pathExistsSync)$/;
const JS_CREATE =
  /(?:^|\.)(?:writeFileSync|writeFile|appendFileSync|appendFile|mkdirSync|mkdir|openSync|outputFile|outputFileSync|ensureFile|ensureFileSync|touch)$/;
const PY_EXISTS = /^(?:os\.path\.(?:exists|isfile|isdir)|os\.access)$/;
const NET_CALL =
  // Only calls that are HTTP requests whatever the file: `client.get(…)` is as often a cache or a database.
  /\b(?:fetch|axios(?:\.(?:get|post|request))?|requests\.(?:get|post|request)|httpx\.(?:get|post|request)|urlopen|urllib\.request\.urlopen)\s*\(/;
const NOW =
  /\b(?:Date\.now|performance\.now|time\.time|time\.monotonic|datetime\.(?:now|utcnow|today)|datetime\.datetime\.now)\s*\(/;

/** The text of an argument, normalised for comparison (quotes and spaces do not make another path). */
function norm(n: TSNode | null | undefined): string {
  return (n?.text ?? '').replace(/\s+/g, '').replace(/["'`]/g, '"');
}

/** The callee text and first argument of a call node. */
function callParts(c: TSNode, lang: Lang): { callee: string; first?: TSNode; args: TSNode[] } {
  const fn = c.childForFieldName('function');
  const args = (c.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is TSNode => !!a);
  return {
    callee: fn?.text ?? '',
    first: lang === 'js' ? args[0] : args.find((a) => a.type !== 'keyword_argument'),
    args,
  };
}

/** The longest assigned value read for a fetched value (`const flag = (await res.json()).enabled` is far shorter). */
const MAX_REMOTE_VALUE = 2_000;

/** Collects markers, remote values and start times of a document. */
export function extraState(root: TSNode, index: NodeIndex, lang: Lang): ExtraState {
  const checked = new Set<string>();
  const created = new Set<string>();
  const remote = new Set<string>();
  const startTimes = new Set<string>();
  for (const c of index.of(lang === 'js' ? 'call_expression' : 'call')) {
    if (!c) continue;
    if (lang === 'js') {
      // The callee's text decides; the arguments are read only of the few calls it names (every call of a large
      // server passes here).
      const name = c.childForFieldName('function')?.text ?? '';
      const exists = JS_EXISTS.test(name);
      if (!exists && !JS_CREATE.test(name)) continue;
      const { first } = callParts(c, lang);
      if (exists && first) checked.add(norm(first));
      else if (JS_CREATE.test(name) && first) created.add(norm(first));
    } else {
      const { callee, first, args } = callParts(c, lang);
      const fn = c.childForFieldName('function');
      const attr = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      const obj = fn?.type === 'attribute' ? norm(fn.childForFieldName('object')) : '';
      if (PY_EXISTS.test(callee) && first) checked.add(norm(first));
      else if (attr && /^(?:exists|is_file)$/.test(attr) && args.length === 0) checked.add(obj);
      else if (attr && /^(?:touch|write_text|write_bytes|mkdir)$/.test(attr)) created.add(obj);
      else if (/^(?:os\.makedirs|os\.mkdir)$/.test(callee) && first) created.add(norm(first));
      else if (
        callee === 'open' &&
        first &&
        /["'][wax]/.test(args[1]?.text ?? args.find((a) => a.text.startsWith('mode'))?.text ?? '')
      )
        created.add(norm(first));
    }
  }
  const markers = new Set([...checked].filter((x) => x && created.has(x)));

  // Values fetched over the network, followed once through `const data = await res.json()`.
  // Only where the document makes a request at all, and only on short values: each value's text and identifiers are
  // read whole, so long or nested assignments (a minified chain, a fuzzed line) would cost the square of their size.
  const assigns = NET_CALL.test(root.text) ? index.of(lang === 'js' ? 'variable_declarator' : 'assignment') : [];
  for (let pass = 0; pass < 2; pass++) {
    for (const a of assigns) {
      const name = a?.childForFieldName(lang === 'js' ? 'name' : 'left');
      const value = a?.childForFieldName(lang === 'js' ? 'value' : 'right');
      if (!a || !name || !value || name.type !== 'identifier') continue;
      if (value.endIndex - value.startIndex > MAX_REMOTE_VALUE) continue;
      if (NET_CALL.test(value.text)) remote.add(name.text);
      else if (remote.size > 0 && value.descendantsOfType('identifier').some((i) => i && remote.has(i.text)))
        remote.add(name.text);
    }
  }
  // Start times: a module-level `const t = Date.now()` (JS) or `T = time.time()` (Python).
  for (const st of root.namedChildren) {
    if (!st) continue;
    const decls =
      lang === 'js'
        ? st.type === 'lexical_declaration' || st.type === 'variable_declaration'
          ? st.namedChildren
          : []
        : st.type === 'expression_statement'
          ? st.namedChildren.filter((n) => n?.type === 'assignment')
          : [];
    for (const d of decls) {
      const name = d?.childForFieldName(lang === 'js' ? 'name' : 'left');
      const value = d?.childForFieldName(lang === 'js' ? 'value' : 'right');
      if (name?.type === 'identifier' && value && NOW.test(value.text) && value.text.length < 60)
        startTimes.add(name.text);
    }
  }
  return { markers, remote, startTimes };
}

/** The extra trigger a condition holds, if any. */
export function extraTriggerOf(cond: TSNode, s: ExtraState): ExtraTrigger | undefined {
  const text = norm(cond);
  for (const m of s.markers) {
    // The marker must stand as a whole expression of the condition (`existsSync(MARKER)`), not inside another name.
    const at = text.indexOf(m);
    if (m.length >= 3 && at >= 0 && !/[\w.$]/.test(text.charAt(at - 1)) && !/[\w$]/.test(text.charAt(at + m.length)))
      return { kind: 'marker', what: 'a marker file the server creates itself' };
  }
  const ids = new Set(cond.descendantsOfType('identifier').map((i) => i?.text ?? ''));
  if (NOW.test(cond.text) && [...s.startTimes].some((t) => ids.has(t)))
    return { kind: 'uptime', what: "the server's uptime" };
  if (NET_CALL.test(cond.text) || [...s.remote].some((r) => ids.has(r)))
    return { kind: 'remote', what: 'a flag fetched from a remote server' };
  return undefined;
}

/**
 * True when a switch ships its own definition: a rewrite or registration whose new description is a string literal
 * in the code. A proxy that registers the tools a remote server lists passes their descriptions through variables;
 * a server that keeps a second description for later has it written out.
 */
export function shipsLiteral(sw: TSNode): boolean {
  return sw.descendantsOfType(['string', 'template_string']).some((s) => (s?.text.length ?? 0) > 12);
}

/**
 * True for a switch of what the model reads: a description, title or docstring rewritten, or a tool registered.
 * Swapping a handler or a callback (`req.callback = …`) is how client libraries retry requests; under a weak trigger
 * such as a fetched value it is not a rug pull.
 */
export function switchesText(sw: TSNode): boolean {
  if (isRewrite(sw)) return /\b(?:description|title|__doc__)\b/.test(sw.text.slice(0, 200));
  return /(?:^|\.)(?:tool|registerTool|add_tool)$/.test(sw.childForFieldName('function')?.text ?? '');
}

/** True for a switch that rewrites metadata (an assignment or an `update({ description })`), not a registration. */
export function isRewrite(sw: TSNode): boolean {
  if (sw.type === 'assignment_expression' || sw.type === 'assignment') return true;
  const fn = sw.childForFieldName('function');
  return fn?.type === 'member_expression' && fn.childForFieldName('property')?.text === 'update';
}

/** The handler range that holds a node, if any. */
function rangeOf(n: TSNode, ranges: Range[]): Range | undefined {
  return ranges.find((h) => n.startIndex >= h.start && n.endIndex <= h.end);
}

/**
 * Counters that persist across calls but are not module variables: a `let` in the function that registers the tools
 * (a closure) incremented inside a tool handler, and in Python `self.x += 1` or a `nonlocal`/`global` name
 * incremented in a handler. A counter declared inside the handler itself restarts on every call and is not one.
 */
export function persistentCounters(index: NodeIndex, lang: Lang, handlers: Range[]): Set<string> {
  const out = new Set<string>();
  if (handlers.length === 0) return out;
  if (lang === 'js') {
    const declared = new Map<string, number[]>();
    for (const d of index.of('variable_declarator')) {
      const v = d?.childForFieldName('value');
      const name = d?.childForFieldName('name');
      if (!d || !v || v.type !== 'number' || name?.type !== 'identifier') continue;
      if (!d.parent?.text.startsWith('let') && !d.parent?.text.startsWith('var')) continue;
      declared.set(name.text, [...(declared.get(name.text) ?? []), d.startIndex]);
    }
    if (declared.size === 0) return out;
    for (const u of index.of(['update_expression', 'augmented_assignment_expression'])) {
      if (!u) continue;
      const target = u.type === 'update_expression' ? u.namedChildren[0] : u.childForFieldName('left');
      const at = target?.type === 'identifier' ? declared.get(target.text) : undefined;
      const h = at && rangeOf(u, handlers);
      if (h && at.some((p) => p < h.start)) out.add(target!.text);
    }
  } else {
    for (const u of index.of('augmented_assignment')) {
      const target = u?.childForFieldName('left');
      const h = u && rangeOf(u, handlers);
      if (!u || !h || !target) continue;
      if (target.type === 'attribute' && /^(?:self|cls)\.\w+$/.test(target.text)) out.add(target.text);
      else if (target.type === 'identifier') {
        const fn = u.parent && enclosingFunction(u);
        if (fn && new RegExp(`\\bnonlocal\\s+(?:\\w+\\s*,\\s*)*${target.text}\\b`).test(fn.text)) out.add(target.text);
      }
    }
  }
  return out;
}

/** The nearest enclosing Python function definition. */
function enclosingFunction(n: TSNode): TSNode | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}
