import type { Span } from '../../core/rule';
import type { NodeIndex, TSNode } from '../parse';
import {
  calleeOf,
  encloses,
  keywordArg,
  nodesOfType,
  positionalArgs,
  propertyName,
  receiverOf,
  stripQuotes,
  stripAwaitAndCasts,
  walk,
} from '../ast';
import { qualify, type CodeFacts } from '../sinks/facts';
import type { SinkFamily } from '../sinks/types';
import { stringParts, type StringPart } from '../sinks/values';

/**
 * Intra-procedural taint tracking from the parameters of one MCP handler to the expressions at a sink. It is
 * deliberately "lite": flow follows the last binding of a name before its use (no control-flow graph), unknown
 * function calls end the flow (precision over recall), and sanitisers are the usual guards written before the
 * sink or around it.
 */

/** Where untrusted input enters: one parameter of one tool (or prompt/resource) handler. */
export interface TaintSource {
  /** The tool's name, when known. */
  tool?: string;
  /** Tool, prompt or resource. */
  kind: 'tool' | 'prompt' | 'resource';
  /** The parameter's name, when known (`path` in `args.path`). */
  param?: string;
  /** Where the parameter is declared (schema key or handler parameter). */
  span: Span;
}

/** The taint of a value. */
export interface Taint {
  /** Where it comes from. */
  source: TaintSource;
  /**
   * For request/arguments objects: the property path still to read before reaching a tool parameter
   * (`['params', 'arguments']` for a low-level request, `[]` for the arguments object itself). Undefined for a
   * value derived from one parameter.
   */
  prefix?: string[];
}

/** A handler and its untrusted parameters, with per-parameter initial taints. */
export interface Handler {
  /** The handler function. */
  fn: TSNode;
  /** Initial bindings: parameter name → taint (destructured names included). */
  params: Map<string, Taint>;
  /** Resolves the source of a taint at a sink (for example the tool name from the enclosing `case`). */
  kind: 'tool' | 'prompt' | 'resource';
}

/** A binding of one name inside a handler: its value is `path` read from the taint of `rhs`. */
interface Binding {
  name: string;
  /** Position from which the binding is visible (end of the declarator or assignment). */
  at: number;
  /** Start of the whole binding statement (a use inside it sees the previous binding). */
  start: number;
  rhs: TSNode;
  path: (string | undefined)[];
}

/** Reading property `key` of a tainted value. */
export function member(t: Taint, key: string | undefined): Taint | undefined {
  if (!t.prefix) return t;
  if (t.prefix.length === 0) return { source: { ...t.source, param: key ?? t.source.param } };
  if (key === t.prefix[0]) return { source: t.source, prefix: t.prefix.slice(1) };
  // On `request.params`, the other fields (name, uri) are client input too.
  if (t.prefix.length === 1) return { source: { ...t.source, param: key } };
  return undefined;
}

const STRING_METHODS = new Set([
  'trim',
  'trimStart',
  'trimEnd',
  'toLowerCase',
  'toUpperCase',
  'toString',
  'valueOf',
  'replace',
  'replaceAll',
  'slice',
  'substring',
  'substr',
  'concat',
  'split',
  'normalize',
  'padStart',
  'padEnd',
  'at',
  'strip',
  'lstrip',
  'rstrip',
  'lower',
  'upper',
  'encode',
  'decode',
  'resolve',
  'absolute',
  'expanduser',
  'joinpath',
  'with_name',
  'with_suffix',
  'toJSON',
  'flat',
  'map',
  'filter',
  'casefold',
  'removeprefix',
  'removesuffix',
  'title',
  'parse',
  'model_dump',
  'dict',
  // `args.join(" ")` on a tainted array; on a module (`path.join`, `os.path.join`) the arguments carry the taint.
  'join',
]);
/** Functions whose result carries the taint of their arguments. */
const PROPAGATORS = new Set([
  'path.join',
  'path.resolve',
  'path.normalize',
  'path.relative',
  'path.posix.join',
  'path.win32.join',
  'path.posix.resolve',
  'os.path.join',
  'os.path.abspath',
  'os.path.normpath',
  'os.path.realpath',
  'os.path.expanduser',
  'posixpath.join',
  'fs.realpath',
  'fs.realpathSync',
  'fs.promises.realpath',
  'pathlib.Path',
  'pathlib.PurePath',
  'Path',
  'PurePath',
  'String',
  'str',
  'decodeURIComponent',
  'decodeURI',
  'unquote',
  'urllib.parse.unquote',
  'urllib.parse.urljoin',
  'urljoin',
  'Buffer.from',
  'base64.b64decode',
  'base64.urlsafe_b64decode',
  'base64.decodebytes',
  'bytes.fromhex',
  'bytes',
  'bytearray',
  'URL',
  'JSON.parse',
  'json.loads',
  'Array.from',
  'format',
  'atob',
  'codecs.decode',
]);
/** Conversions that leave nothing but a number or a boolean: safe for every sink. */
const NUMERIC = new Set([
  'parseInt',
  'parseFloat',
  'Number',
  'Number.parseInt',
  'Number.parseFloat',
  'int',
  'float',
  'bool',
  'Boolean',
  'Math.floor',
  'Math.round',
  'Math.abs',
  'len',
  'uuid.UUID',
]);
/** Escapers that make a value safe for one family only. */
const ESCAPERS: Record<SinkFamily, RegExp> = {
  command: /(?:^|\.)(?:quote|shellEscape|escapeShellArg|shell_quote|escape)$/,
  path: /(?:^|\.)(?:basename|secure_filename|sanitize_filename|sanitizeFilename)$/,
  ssrf: /(?:^|\.)(?:encodeURIComponent|quote|quote_plus|urlencode)$/,
  sql: /(?:^|\.)(?:escape|escapeId|escapeLiteral|escapeIdentifier|quote_ident|literal)$/,
  code: /(?:^|\.)(?:JSON\.stringify|json\.dumps|repr)$/,
  deser: /^$/,
};

/** The node types `HandlerFlow.index` records (bindings and guards). */
const INDEXED = [
  'variable_declarator',
  'assignment_expression',
  'assignment',
  'for_in_statement',
  'for_statement',
  'if_statement',
  'elif_clause',
  'assert_statement',
];

/**
 * The taint analysis of one handler: bindings indexed once, taint computed on demand per expression and family,
 * sanitising guards applied at the sink.
 */
export class HandlerFlow {
  private readonly bindings = new Map<string, Binding[]>();
  private readonly guards: TSNode[] = [];
  private shapes: GuardShape[] | undefined;
  /** The handler function's span, read once: sinks are matched to handlers by containment many times. */
  readonly span: { startIndex: number; endIndex: number };

  constructor(
    readonly handler: Handler,
    private readonly facts: CodeFacts,
    index: NodeIndex,
  ) {
    this.span = { startIndex: handler.fn.startIndex, endIndex: handler.fn.endIndex };
    const body = handler.fn.childForFieldName('body') ?? handler.fn;
    for (const n of index.within(body, INDEXED)) this.index(n);
  }

  private add(name: string, at: number, start: number, rhs: TSNode, path: (string | undefined)[]): void {
    const list = this.bindings.get(name);
    const b = { name, at, start, rhs, path };
    if (list) list.push(b);
    else this.bindings.set(name, [b]);
  }

  /** Records the bindings and guards of one node of the handler body. */
  private index(n: TSNode): void {
    switch (n.type) {
      case 'variable_declarator': {
        const name = n.childForFieldName('name');
        const value = n.childForFieldName('value');
        if (name && value) this.bindPattern(name, value, [], n.endIndex, n.startIndex);
        break;
      }
      case 'assignment_expression':
      case 'assignment': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left && right) this.bindPattern(left, right, [], n.endIndex, n.startIndex);
        break;
      }
      case 'for_in_statement':
      case 'for_statement': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left && right) this.bindPattern(left, right, [], right.endIndex, n.startIndex);
        break;
      }
      case 'if_statement':
      case 'elif_clause':
      case 'assert_statement':
        this.guards.push(n);
        break;
      default:
        break;
    }
  }

  private bindPattern(pattern: TSNode, rhs: TSNode, path: (string | undefined)[], at: number, start: number): void {
    const p =
      pattern.type === 'pattern_list' || pattern.type === 'tuple_pattern' ? pattern : stripAwaitAndCasts(pattern);
    switch (p.type) {
      case 'identifier':
      case 'shorthand_property_identifier_pattern':
        this.add(p.text, at, start, rhs, path);
        break;
      case 'object_pattern':
        for (const c of p.namedChildren) {
          if (!c) continue;
          if (c.type === 'shorthand_property_identifier_pattern') this.add(c.text, at, start, rhs, [...path, c.text]);
          else if (c.type === 'pair_pattern') {
            const k = c.childForFieldName('key');
            const v = c.childForFieldName('value');
            if (k && v)
              this.bindPattern(
                v.type === 'assignment_pattern' ? (v.childForFieldName('left') ?? v) : v,
                rhs,
                [...path, stripQuotes(k.text)],
                at,
                start,
              );
          } else if (c.type === 'object_assignment_pattern') {
            const l = c.childForFieldName('left');
            if (l) this.add(l.text, at, start, rhs, [...path, l.text]);
          } else if (c.type === 'rest_pattern') {
            const id = c.namedChildren[0];
            if (id) this.add(id.text, at, start, rhs, path);
          }
        }
        break;
      case 'array_pattern':
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern': {
        const r = stripAwaitAndCasts(rhs);
        const items =
          r.type === 'expression_list' || r.type === 'tuple' || r.type === 'array' || r.type === 'list'
            ? r.namedChildren
            : undefined;
        p.namedChildren.forEach((c, i) => {
          if (c) this.bindPattern(c, items?.[i] ?? rhs, items ? path : [...path, undefined], at, start);
        });
        break;
      }
      default:
        break;
    }
  }

  /** The taint of an expression at its position, for one sink family, or undefined when it is clean. */
  taintOf(node: TSNode, family: SinkFamily, cleared: Set<string> = new Set(), depth = 0): Taint | undefined {
    if (depth > 24) return undefined;
    const n = stripAwaitAndCasts(node);
    if (cleared.has(norm(n.text))) return undefined;
    const rec = (x: TSNode | null | undefined) => (x ? this.taintOf(x, family, cleared, depth + 1) : undefined);
    switch (n.type) {
      case 'identifier':
      case 'shorthand_property_identifier': {
        const b = this.lastBinding(n.text, n.startIndex);
        if (b) {
          let t = rec(b.rhs);
          for (const k of b.path) t = t && member(t, k);
          return t;
        }
        return this.handler.params.get(n.text);
      }
      case 'member_expression':
      case 'attribute': {
        const t = rec(n.childForFieldName('object'));
        return t && member(t, n.childForFieldName(n.type === 'attribute' ? 'attribute' : 'property')?.text);
      }
      case 'subscript_expression':
      case 'subscript': {
        const t = rec(n.childForFieldName(n.type === 'subscript' ? 'value' : 'object'));
        const idx = n.childForFieldName(n.type === 'subscript' ? 'subscript' : 'index');
        return (
          t && member(t, idx && idx.type === 'string' ? stripQuotes(idx.text.replace(/^[a-zA-Z]+/, '')) : undefined)
        );
      }
      case 'spread_element':
      case 'list_splat':
        return rec(n.namedChildren[0]);
      case 'ternary_expression':
        return rec(n.childForFieldName('consequence')) ?? rec(n.childForFieldName('alternative'));
      case 'conditional_expression':
      case 'boolean_operator':
      case 'array':
      case 'list':
      case 'tuple':
      case 'expression_list':
        for (const c of n.namedChildren) {
          const t = rec(c);
          if (t) return t;
        }
        return undefined;
      case 'call_expression':
      case 'call':
      case 'new_expression':
        return this.callTaint(n, family, cleared, depth);
      default:
        break;
    }
    const parts = stringParts(n);
    if (parts) return this.partsTaint(parts, family, cleared, depth);
    if (n.type === 'binary_expression' || n.type === 'binary_operator') {
      return rec(n.childForFieldName('left')) ?? rec(n.childForFieldName('right'));
    }
    return undefined;
  }

  /**
   * Taint of a built string. For SSRF only the scheme and host matter: a parameter spliced in after a fixed
   * `https://host/` (or after a fixed base URL) changes the path or query, not where the request goes.
   */
  private partsTaint(parts: StringPart[], family: SinkFamily, cleared: Set<string>, depth: number): Taint | undefined {
    let prefix = '';
    let fixedBase = false;
    for (const p of parts) {
      if ('lit' in p) {
        prefix += p.lit;
        continue;
      }
      const t = this.taintOf(p.expr, family, cleared, depth + 1);
      if (t) {
        if (family !== 'ssrf') return t;
        const hostFixed =
          /^[a-z][a-z0-9+.-]*:\/\/[^/?#\u0000]+[/?#]/i.test(prefix) ||
          (fixedBase && !prefix.includes('://')) ||
          /^\.{0,2}\//.test(prefix);
        if (!hostFixed) return t;
        continue;
      }
      if (prefix === '') fixedBase = true;
      prefix += '\u0000';
    }
    return undefined;
  }

  private callTaint(n: TSNode, family: SinkFamily, cleared: Set<string>, depth: number): Taint | undefined {
    const rec = (x: TSNode | null | undefined) => (x ? this.taintOf(x, family, cleared, depth + 1) : undefined);
    const callee = calleeOf(n);
    if (!callee) return undefined;
    const q = qualify(callee, this.facts.aliases) ?? '';
    const args = positionalArgs(n);
    const name = propertyName(callee) ?? '';
    if (NUMERIC.has(q) || ESCAPERS[family].test(q)) return undefined;
    const parts = stringParts(n);
    if (parts) return this.partsTaint(parts, family, cleared, depth);
    // arguments.get("path") on a Python dict of arguments.
    const recv = receiverOf(n);
    if (recv && name === 'get' && args[0]) {
      const t = rec(recv);
      if (t?.prefix) return member(t, args[0].type === 'string' ? stripQuotes(args[0].text) : undefined);
      if (t) return t;
    }
    if (recv && name === 'safeParse' && args[0]) {
      const t = rec(args[0]);
      return t?.prefix ? { source: t.source, prefix: ['data', ...t.prefix] } : t;
    }
    if (recv && name === 'join' && stripAwaitAndCasts(recv).type === 'string') return args.map(rec).find(Boolean);
    if (recv && STRING_METHODS.has(name)) {
      const t = rec(recv);
      if (t) return t;
      if (name === 'parse' || name === 'joinpath' || name === 'resolve' || name === 'join')
        return args.map(rec).find(Boolean);
      return undefined;
    }
    if (PROPAGATORS.has(q) || (PROPAGATORS.has(name) && recv === undefined)) {
      for (const a of args) {
        const t = rec(a);
        if (t) return t;
      }
      const kw = keywordArg(n, 'url');
      return kw ? rec(kw) : undefined;
    }
    return undefined;
  }

  private lastBinding(name: string, at: number): Binding | undefined {
    const list = this.bindings.get(name);
    if (!list) return undefined;
    let best: Binding | undefined;
    for (const b of list) if (b.at <= at && !(b.start <= at && at < b.at)) best = b;
    return best;
  }

  /**
   * The expressions that a guard before (or around) the sink has checked, as normalised source texts. A guard is
   * an `if` whose condition is a containment, allowlist or pattern check for the family and which either exits
   * early (throw, return, raise, continue) before the sink or encloses it; `assert` counts too.
   */
  clearedAt(sink: TSNode, family: SinkFamily): Set<string> {
    const out = new Set<string>();
    const at = { startIndex: sink.startIndex, endIndex: sink.endIndex };
    const guards = this.guardShapes();
    for (const g of guards) {
      if (g.startIndex >= at.startIndex) break;
      if (!g.cond) continue;
      const inside = !!g.body && encloses(g.body, at);
      const before = g.endIndex <= at.startIndex && g.leaves() && !!g.parent && encloses(g.parent, at);
      if (!inside && !before) continue;
      for (const name of g.clears(family)) out.add(name);
    }
    return out;
  }

  /**
   * What clearedAt() needs of each guard, read once per handler: a dispatcher with a thousand `case`s has a
   * thousand guards, each weighed for every sink after it, and each read crosses into WebAssembly.
   */
  private guardShapes(): GuardShape[] {
    if (this.shapes) return this.shapes;
    this.shapes = this.guards.map((g) => {
      const cond = g.childForFieldName('condition') ?? g.namedChildren[0] ?? null;
      const body = g.childForFieldName('consequence');
      const parent = g.parent;
      let leaves: boolean | undefined;
      const cleared = new Map<SinkFamily, Set<string>>();
      return {
        startIndex: g.startIndex,
        endIndex: g.endIndex,
        cond,
        body: body && { startIndex: body.startIndex, endIndex: body.endIndex },
        parent: parent && { startIndex: parent.startIndex, endIndex: parent.endIndex },
        leaves: () => (leaves ??= g.type === 'assert_statement' || (!!body && exits(body))),
        clears: (family: SinkFamily) => {
          let set = cleared.get(family);
          if (!set) {
            set = cond ? this.guardClears(cond, family) : new Set();
            cleared.set(family, set);
          }
          return set;
        },
      };
    });
    return this.shapes;
  }

  /** The normalised texts a guard condition vouches for, for one family (independent of the sink). */
  private guardClears(cond: TSNode, family: SinkFamily): Set<string> {
    const out = new Set<string>();
    for (const s of guardSubjects(cond, family, this.facts)) {
      out.add(norm(s.text));
      // A check on a value derived from a name also vouches for that name (rel = relative(root, resolved)).
      const u = stripAwaitAndCasts(s);
      if (u.type === 'identifier') {
        const b = this.lastBinding(u.text, u.startIndex);
        if (b) for (const x of nodesOfType(b.rhs, ['identifier'])) if (this.bindings.has(x.text)) out.add(x.text);
      }
    }
    return out;
  }
}

/** A guard of a handler as clearedAt() weighs it: spans as numbers, the rest computed on first use. */
interface GuardShape {
  startIndex: number;
  endIndex: number;
  /** The condition (or the asserted expression). */
  cond: TSNode | null;
  /** The span of the guarded block, when there is one. */
  body: { startIndex: number; endIndex: number } | null;
  /** The span of the statement list holding the guard. */
  parent: { startIndex: number; endIndex: number } | null;
  /** True for an assert, or a guarded block that always leaves (throw, return, raise, continue, break). */
  leaves(): boolean;
  /** The normalised texts the condition vouches for, per family. */
  clears(family: SinkFamily): Set<string>;
}

function norm(s: string): string {
  return s.replace(/\s+/g, '');
}

/** True when a block (or statement) always leaves: its last statement throws, returns, raises or continues. */
function exits(body: TSNode): boolean {
  const last =
    body.type === 'statement_block' || body.type === 'block'
      ? body.namedChildren.filter((c) => c && c.type !== 'comment').pop()
      : body;
  return (
    !!last &&
    ['throw_statement', 'return_statement', 'raise_statement', 'continue_statement', 'break_statement'].includes(
      last.type,
    )
  );
}

const CONTAINMENT = new Set(['startsWith', 'startswith', 'is_relative_to', 'relative_to', 'endsWith', 'endswith']);
const MEMBERSHIP = new Set(['includes', 'has', 'indexOf', 'contains', 'hasOwnProperty']);
const PATTERN = new Set([
  'test',
  'match',
  'fullmatch',
  'search',
  'isinstance',
  'Number.isInteger',
  'isdigit',
  'isalnum',
  'isidentifier',
]);

/**
 * The expressions a guard condition checks, for one family: the subject of `x.startsWith(root)`, of
 * `ALLOWED.includes(x)` / `x in ALLOWED`, of `re.fullmatch(p, x)` / `/…/.test(x)`, of `x === "literal"`, of
 * `commonpath([root, x])`, and the arguments of a validation helper (`isPathAllowed(x)`).
 */
/** The node types guardSubjects() reads in a condition. */
const GUARD_NODES = ['call_expression', 'call', 'comparison_operator', 'binary_expression'];

function guardSubjects(cond: TSNode, family: SinkFamily, facts: CodeFacts): TSNode[] {
  const out: TSNode[] = [];
  // Only calls, comparisons and binary expressions say anything: they are collected in one traversal.
  for (const n of nodesOfType(cond, GUARD_NODES)) {
    if (n.type === 'call_expression' || n.type === 'call') {
      const callee = calleeOf(n);
      if (!callee) continue;
      const name = propertyName(callee) ?? '';
      const q = qualify(callee, facts.aliases) ?? '';
      const recv = receiverOf(n);
      const args = positionalArgs(n);
      if (CONTAINMENT.has(name) && recv) {
        if (family === 'path' || (family === 'ssrf' && args.some((a) => /\./.test(a.text)))) out.push(recv);
        else if (family !== 'ssrf') out.push(recv);
      } else if (MEMBERSHIP.has(name) && args[0]) out.push(args[0]);
      else if (PATTERN.has(name) || PATTERN.has(q)) {
        const subject =
          name === 'test' ? args[0] : name === 'isinstance' ? args[0] : recv && /^is/.test(name) ? recv : args[1];
        if (subject) out.push(subject);
      } else if (/commonpath|commonprefix/.test(q) && args[0])
        walk(args[0], (x) => {
          if (x.type === 'identifier' || x.type === 'call') out.push(x);
        });
      else if (
        /^(?:is|validate|check|assert|ensure)\w*(?:Path|Allowed|Safe|Within|Inside|Url|URL|Host|Command|Valid)\w*$/i.test(
          name,
        )
      )
        out.push(...args);
    } else if (n.type === 'comparison_operator') {
      const ops = n.children
        .filter((c) => c && !c.isNamed)
        .map((c) => c!.text)
        .join(' ');
      const [left, right] = [n.namedChildren[0], n.namedChildren[1]];
      if (/\bin\b/.test(ops) && left) out.push(left);
      else if (/[=!]=/.test(ops) && left && right) {
        if (right.type === 'string' || (right.type === 'identifier' && /^[A-Z_]+$/.test(right.text))) out.push(left);
        else if (left.type === 'string') out.push(right);
      }
    } else if (n.type === 'binary_expression') {
      const op = n.childForFieldName('operator')?.text ?? '';
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (/^[=!]==?$/.test(op) && left && right) {
        if (right.type === 'string') out.push(left);
        else if (left.type === 'string') out.push(right);
        else if (family === 'ssrf' && /host|origin/i.test(left.text)) out.push(left);
      } else if (op === 'in' && left) out.push(left);
    }
  }
  // `new URL(u).hostname` checked: the URL itself is vouched for.
  for (const s of [...out]) {
    const u = stripAwaitAndCasts(s);
    if (
      (u.type === 'member_expression' || u.type === 'attribute') &&
      /^(?:hostname|host|origin|netloc)$/.test(propertyName(u) ?? '')
    ) {
      const obj = u.childForFieldName('object');
      if (obj) out.push(obj);
      const inner = obj && stripAwaitAndCasts(obj);
      if (inner && (inner.type === 'new_expression' || inner.type === 'call' || inner.type === 'call_expression'))
        out.push(...positionalArgs(inner));
    } else if (u.type === 'call' || u.type === 'call_expression')
      out.push(...positionalArgs(u).filter((a) => a.type === 'identifier'));
  }
  return out;
}
