// Intra-procedural taint: the binding index and propagation of one handler. It stays one module (a little over
// 400 lines) because propagation and the binding index change together; the tables are in models.ts and the
// guard recognition in guards.ts.
import { MAX_NESTING_DEPTH } from '../../core/depth';
import type { Hop, Span } from '../../core/rule';
import {
  calleeOf,
  keywordArg,
  nodesOfType,
  positionalArgs,
  propertyName,
  receiverOf,
  stripAwaitAndCasts,
  stripQuotes,
} from '../ast';
import type { NodeIndex, TSNode } from '../parse';
import { qualifiedCallee, type CodeFacts } from '../sinks/facts';
import type { SinkFamily } from '../sinks/types';
import { stringParts, type StringPart } from '../sinks/values';
import { GuardIndex, parentSpans } from './guardIndex';
import { guardShape, guardSubjects, normText, statementGuard } from './guards';
import { definitionsOf } from './definitions';
import { exprShape, normOf } from './exprShape';
import { ACCESSORS, ARGUMENT_METHODS, ESCAPERS, INDEXED, NUMERIC, PROPAGATORS, STRING_METHODS } from './models';

/**
 * Intra-procedural taint tracking from the parameters of one MCP handler to the expressions at a sink: the binding
 * index of a handler and the propagation of taint through it. It is deliberately "lite": flow follows the last
 * binding of a name before its use (no control-flow graph), unknown function calls end the flow (precision over
 * recall), and sanitisers are the usual guards written before the sink or around it. What library calls do (carry,
 * clear or escape taint) is data in models.ts; which conditions count as guards is guards.ts.
 */

/**
 * What kind of input a source is: a tool, prompt or resource parameter, a value of an HTTP request received by
 * the server (`http`, see httpSources.ts), or metadata a remote authorization server sent (`oauth`).
 */
export type SourceKind = 'tool' | 'prompt' | 'resource' | 'http' | 'oauth';

/** Where untrusted input enters: one parameter of one tool (or prompt/resource) handler, or of a request. */
export interface TaintSource {
  /** The tool's name, when known (for an HTTP request, its route: `GET /files`). */
  tool?: string;
  /** Tool, prompt, resource, HTTP request or remote OAuth metadata. */
  kind: SourceKind;
  /** The parameter's name, when known (`path` in `args.path`). */
  param?: string;
  /** Where the parameter is declared (schema key or handler parameter). */
  span: Span;
  /** For a tool input that reached this file from another one: every hop on the way (engine/crossFile.ts). */
  hops?: Hop[];
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
  /**
   * For an object of which only some members are untrusted (an HTTP request: `req.query` and `req.body` are the
   * client's, `req.app` is the server's): those members. Reading one gives an object whose every member is
   * untrusted; reading another gives nothing. Such an object is untrusted whatever the handler binds to its name.
   */
  untrusted?: ReadonlySet<string>;
  /**
   * For an arguments object (`prefix` empty): the parameters its schema confines to safe values (`z.enum`,
   * `z.number()`, see validated.ts); reading one of them gives nothing.
   */
  clean?: ReadonlySet<string>;
  /** The sink families the value is untrusted for, when not all (a cross-file input checked on the way). */
  families?: readonly string[];
}

/** A handler and its untrusted parameters, with per-parameter initial taints. */
export interface Handler {
  /** The handler function. */
  fn: TSNode;
  /** Initial bindings: parameter name → taint (destructured names included). */
  params: Map<string, Taint>;
  /** What the handler serves: its parameters are tool, prompt or resource input, or an HTTP request. */
  kind: SourceKind;
}

/** A binding of one name inside a handler: its value is `path` read from the taint of `rhs`. */
interface Binding {
  /** The bound name. */
  name: string;
  /** Position from which the binding is visible (end of the declarator or assignment). */
  at: number;
  /** Start of the whole binding statement (a use inside it sees the previous binding). */
  start: number;
  /** The bound value expression. */
  rhs: TSNode;
  /** The destructuring path from `rhs` to the name (`undefined` for an array element). */
  path: (string | undefined)[];
}

/** What the taint of a call is computed from, the same for every sink family. */
interface CallShape {
  /** The callee's qualified name (`''` when it is no chain of names). */
  q: string;
  /** The positional arguments. */
  args: readonly TSNode[];
  /** The callee's last segment (`''` when none). */
  name: string;
  /** The parts of the string the call builds (`"…".format(…)`), if it builds one. */
  parts: StringPart[] | undefined;
  /** The receiver of a method call. */
  recv: TSNode | undefined;
}

/** Reading property `key` of a tainted value. */
function member(t: Taint, key: string | undefined): Taint | undefined {
  // A request member is an object of parameters (`req.query.name`); an OAuth metadata field is the URL itself.
  if (t.untrusted)
    return key !== undefined && t.untrusted.has(key)
      ? { source: { ...t.source, param: key }, prefix: t.source.kind === 'oauth' ? undefined : [] }
      : undefined;
  if (!t.prefix) return t;
  if (t.prefix.length === 0)
    return key !== undefined && t.clean?.has(key)
      ? undefined
      : { source: { ...t.source, param: key ?? t.source.param } };
  if (key === t.prefix[0]) return { source: t.source, prefix: t.prefix.slice(1) };
  // On `request.params`, the other fields (name, uri) are client input too.
  if (t.prefix.length === 1) return { source: { ...t.source, param: key } };
  return undefined;
}

/**
 * Binds a function parameter to the taint of the value it receives: a name takes the whole taint, and a JS
 * destructuring pattern (`{ path }`, `{ path: p }`, `{ path = "." }`, nested ones) gives each name the member it
 * reads. Used for handler parameters and for the parameters of same-file helpers a handler calls. With `spanOf`, a
 * source that now names one tool parameter points at that parameter's declaration (a handler's `{ path }`); without
 * it, the source keeps its span (a helper's parameter still comes from the handler's).
 */
export function bindParameter(
  param: TSNode,
  taint: Taint,
  out: Map<string, Taint>,
  spanOf?: (name: string | undefined, node: TSNode) => Span,
): void {
  // Nested patterns are followed with a stack, in the order a recursive walk would visit them: a pattern can nest as
  // deep as the source makes it, and recursing once per level could exhaust the stack.
  const stack: [TSNode, Taint][] = [[param, taint]];
  while (stack.length) {
    const [p, t] = stack.pop()!;
    if (p.type === 'shorthand_property_identifier_pattern') {
      out.set(p.text, t);
      continue;
    }
    const n = p.type === 'assignment_pattern' ? (p.childForFieldName('left') ?? p) : p;
    if (n.type === 'identifier') {
      out.set(n.text, t);
      continue;
    }
    if (n.type !== 'object_pattern') continue;
    const nested: [TSNode, Taint][] = [];
    for (const c of n.namedChildren) {
      if (!c) continue;
      let key: string | undefined;
      let target: TSNode | null = null;
      if (c.type === 'shorthand_property_identifier_pattern') [key, target] = [c.text, c];
      else if (c.type === 'pair_pattern')
        [key, target] = [stripQuotes(c.childForFieldName('key')?.text ?? ''), c.childForFieldName('value')];
      else if (c.type === 'object_assignment_pattern')
        [key, target] = [c.childForFieldName('left')?.text, c.childForFieldName('left')];
      if (!key || !target) continue;
      const m = member(t, key);
      if (!m) continue;
      nested.push([
        target,
        m.prefix || !spanOf ? m : { source: { ...m.source, span: spanOf(m.source.param, target) } },
      ]);
    }
    for (let i = nested.length - 1; i >= 0; i--) stack.push(nested[i]!);
  }
}

/**
 * The taint analysis of one handler: bindings indexed once, taint computed on demand per expression and family,
 * sanitising guards applied at the sink.
 */
export class HandlerFlow {
  private readonly bindings = new Map<string, Binding[]>();
  private readonly guards: TSNode[] = [];
  private readonly callShapes = new Map<number, CallShape | undefined>();
  private guardIndex: GuardIndex | undefined;
  /** The handler's body, where its bindings and guards are read. */
  private readonly body: TSNode;
  /** The handler function's span, read once: sinks are matched to handlers by containment many times. */
  readonly span: { startIndex: number; endIndex: number };

  constructor(
    readonly handler: Handler,
    private readonly facts: CodeFacts,
    index: NodeIndex,
  ) {
    this.span = { startIndex: handler.fn.startIndex, endIndex: handler.fn.endIndex };
    const body = handler.fn.childForFieldName('body') ?? handler.fn;
    this.body = body;
    for (const n of index.within(body, INDEXED)) this.index(n);
    // Validators called as statements for their throw (`this.validateUrl(url);`) guard what follows them. Names are
    // read first, so a parent is asked for only of the few calls named like a validator.
    let added = false;
    for (const c of index.within(body, ['call_expression', 'call'])) {
      const g = statementGuard(c, (name) => definitionsOf(facts, name));
      if (g) {
        this.guards.push(g);
        added = true;
      }
    }
    // The guard index and the parent walk expect guards in document order.
    if (added) this.guards.sort((a, b) => a.startIndex - b.startIndex);
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

  private bindPattern(
    pattern: TSNode,
    rhs: TSNode,
    path: (string | undefined)[],
    at: number,
    start: number,
    depth = 0,
  ): void {
    // Destructuring nests as deep as the source makes it; below the nesting limit nothing more is bound.
    if (depth > MAX_NESTING_DEPTH) return;
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
                depth + 1,
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
          if (c) this.bindPattern(c, items?.[i] ?? rhs, items ? path : [...path, undefined], at, start, depth + 1);
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
    const s = exprShape(node);
    const n = s.n;
    // Most expressions are asked about with nothing cleared: their text is read only when a guard cleared some.
    if (cleared.size && cleared.has(normOf(s))) return undefined;
    const rec = (x: TSNode | null | undefined) => (x ? this.taintOf(x, family, cleared, depth + 1) : undefined);
    switch (s.type) {
      case 'identifier':
      case 'shorthand_property_identifier': {
        const name = s.name!;
        const given = this.handler.params.get(name);
        if (given?.untrusted) return given;
        const b = this.lastBinding(name, n.startIndex);
        if (b) {
          let t = rec(b.rhs);
          for (const k of b.path) t = t && member(t, k);
          return t;
        }
        const p = this.handler.params.get(name);
        return p?.families && !p.families.includes(family) ? undefined : p;
      }
      case 'member_expression':
      case 'attribute': {
        if (s.numeric) return undefined;
        const t = rec(s.a);
        return t && member(t, s.name);
      }
      case 'subscript_expression':
      case 'subscript': {
        const t = rec(s.a);
        return t && member(t, s.name);
      }
      case 'spread_element':
      case 'list_splat':
        return rec(s.a);
      case 'ternary_expression':
        return rec(s.a) ?? rec(s.b);
      case 'conditional_expression':
      case 'boolean_operator':
      case 'array':
      case 'list':
      case 'tuple':
      case 'expression_list':
        for (const c of s.list!) {
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
    if (s.parts) return this.partsTaint(s.parts, family, cleared, depth);
    if (s.type === 'binary_expression' || s.type === 'binary_operator') return rec(s.a) ?? rec(s.b);
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

  /** What callTaint reads of a call whatever the family, read once per call (it is asked once per family). */
  private callShape(n: TSNode): CallShape | undefined {
    let shape = this.callShapes.get(n.id);
    if (shape === undefined && !this.callShapes.has(n.id)) {
      const callee = calleeOf(n);
      shape = callee
        ? {
            q: qualifiedCallee(n, callee, this.facts),
            args: positionalArgs(n),
            name: propertyName(callee) ?? '',
            parts: stringParts(n),
            recv: receiverOf(n),
          }
        : undefined;
      this.callShapes.set(n.id, shape);
    }
    return shape;
  }

  private callTaint(n: TSNode, family: SinkFamily, cleared: Set<string>, depth: number): Taint | undefined {
    const rec = (x: TSNode | null | undefined) => (x ? this.taintOf(x, family, cleared, depth + 1) : undefined);
    const shape = this.callShape(n);
    if (!shape) return undefined;
    const { q, args, name, parts, recv } = shape;
    if (NUMERIC.has(q) || ESCAPERS[family].test(q)) return undefined;
    if (parts) return this.partsTaint(parts, family, cleared, depth);
    // arguments.get("path") on a Python dict of arguments; c.req.query("q"), await request.json() on a request.
    if (recv && ACCESSORS.has(name)) {
      const t = rec(recv);
      if (t?.untrusted) return { source: t.source, prefix: [] };
      if (t?.prefix && args[0]) return member(t, args[0].type === 'string' ? stripQuotes(args[0].text) : undefined);
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
      if (ARGUMENT_METHODS.has(name)) return args.map(rec).find(Boolean);
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
    for (const g of this.guardsIndexed().applying(at)) for (const name of g.clears(family)) out.add(name);
    return out;
  }

  /**
   * What clearedAt() needs of each guard, read once per handler and indexed by the spans where each applies: a
   * dispatcher with ten thousand `else if` branches has ten thousand guards and as many sinks.
   */
  private guardsIndexed(): GuardIndex {
    if (this.guardIndex) return this.guardIndex;
    const parents = parentSpans(this.body, this.guards);
    const vouches = (cond: TSNode, family: SinkFamily) => this.guardClears(cond, family);
    this.guardIndex = new GuardIndex(this.guards.map((g) => guardShape(g, vouches, parents.get(g.id) ?? g.parent)));
    return this.guardIndex;
  }

  /** The normalised texts a guard condition vouches for, for one family (independent of the sink). */
  private guardClears(cond: TSNode, family: SinkFamily): Set<string> {
    const out = new Set<string>();
    for (const s of guardSubjects(cond, family, this.facts)) {
      out.add(normText(s.text));
      // A check on a value derived from a name also vouches for that name (rel = relative(root, resolved)); a check
      // on one member read off an object (`type = query.transportType`) says nothing about the object's others.
      const u = stripAwaitAndCasts(s);
      if (u.type === 'identifier') {
        const b = this.lastBinding(u.text, u.startIndex);
        const read =
          b && /^(?:member_expression|attribute|subscript|subscript_expression)$/.test(stripAwaitAndCasts(b.rhs).type);
        if (b && !read && b.path.length === 0)
          for (const x of nodesOfType(b.rhs, ['identifier'])) if (this.bindings.has(x.text)) out.add(x.text);
      }
    }
    return out;
  }
}
