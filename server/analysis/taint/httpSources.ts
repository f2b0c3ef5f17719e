import { calleeOf, kids, positionalArgs, propertyName, stripAwaitAndCasts, stripQuotes } from '../ast';
import type { NodeIndex, TSNode } from '../parse';
import { qualify, type CodeFacts } from '../sinks/facts';
import { bindParameter, type Handler, type Taint, type TaintSource } from './flow';
import type { SinkFamily } from '../sinks/types';
import {
  OAUTH_FIELDS,
  PY_REQUEST_TYPES,
  PY_SERVER_PARAMS,
  REQUEST_MEMBERS,
  ROUTE_METHODS,
  SOURCE_FAMILIES,
} from './models';

/**
 * Untrusted sources besides tool arguments, as handlers for the taint analysis:
 * - the request of an HTTP route handler (Express, Fastify, Koa, Hono, node `http`; FastAPI, Starlette, Flask):
 *   MCP servers with an HTTP transport often serve other routes in the same process, and whoever can reach the
 *   port chooses the query, body, path parameters and headers;
 * - OAuth metadata fetched from a remote server (`metadata.authorization_endpoint`): the remote server named by an
 *   MCP config chooses it, and a client that opens or fetches it acts on a hostile URL.
 * Each becomes a `Handler` (flow.ts) whose seeds are the request object or the metadata object, with the members
 * that are untrusted (`Taint.untrusted`); the flow engine then follows them to sinks like tool parameters.
 */

/** Functions passed as arguments: the handlers of a route registration. */
const FUNCTION_TYPES = new Set(['arrow_function', 'function_expression', 'function']);

/** Node `http`-family servers whose callback receives every request. */
const SERVER_FACTORIES = new Set([
  'http.createServer',
  'https.createServer',
  'http2.createServer',
  'http2.createSecureServer',
]);

/** Request-making modules whose `get`/`request` methods take a path and a response callback. */
const HTTP_CLIENT = /^(?:https?|http2|axios|got|superagent|needle|request|undici|ky|node-fetch)(?:\.|\(|$)/;

/** Every HTTP route handler of the document, with its request (or request parameters) as untrusted input. */
export function httpHandlersOf(facts: CodeFacts, index: NodeIndex): Handler[] {
  return facts.lang === 'js' ? jsRoutes(facts) : pyRoutes(facts, index);
}

/** A route path: a string literal that starts with `/` or `*` (`"/files/:name"`, `"*"`). */
function routePath(n: TSNode | undefined): string | undefined {
  if (!n || (n.type !== 'string' && n.type !== 'template_string')) return undefined;
  const s = stripQuotes(n.text);
  return /^[/*]/.test(s) ? s : undefined;
}

/** The untrusted taint of a request object received by a route. */
function requestTaint(route: string, node: TSNode): Taint {
  const source: TaintSource = { kind: 'http', tool: route, span: { start: node.startIndex, end: node.endIndex } };
  return { source, untrusted: REQUEST_MEMBERS };
}

/** The formal parameters of a JS function (the single unparenthesised arrow parameter included). */
function jsParams(fn: TSNode): TSNode[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [single];
  return kids(fn.childForFieldName('parameters')).map((p) => p.childForFieldName('pattern') ?? p);
}

function jsRoutes(facts: CodeFacts): Handler[] {
  const out: Handler[] = [];
  for (const call of facts.calls) {
    if (call.type !== 'call_expression') continue;
    const callee = calleeOf(call);
    if (!callee) continue;
    const args = positionalArgs(call);
    // Only a function passed to the call can be a route handler: the many calls without one are left before their
    // callee is qualified.
    if (!args.some((a) => FUNCTION_TYPES.has(a.type))) continue;
    let route: string | undefined;
    const name = callee.type === 'member_expression' ? propertyName(callee) : undefined;
    // `http.get("/path", (res) => …)` and `axios.get(…)` make requests: their callbacks receive a response.
    const q = qualify(callee, facts.aliases) ?? '';
    if (HTTP_CLIENT.test(q) && !SERVER_FACTORIES.has(q)) continue;
    if (name && ROUTE_METHODS.has(name)) {
      const path = routePath(args[0]);
      if (path) route = `${name === 'route' || name === 'all' ? '' : `${name.toUpperCase()} `}${path}`;
    } else if (name === 'use' && args.some((a) => FUNCTION_TYPES.has(a.type))) {
      route = routePath(args[0]) ?? '*';
    } else if (SERVER_FACTORIES.has(q)) route = '*';
    else if (name === 'on' && args[0] && stripQuotes(args[0].text) === 'request') route = '*';
    if (!route) continue;
    for (const fn of args) {
      if (!FUNCTION_TYPES.has(fn.type)) continue;
      // Express error middleware takes the error first: `(err, req, res, next)`.
      const formals = jsParams(fn);
      const req = formals.length === 4 ? formals[1] : formals[0];
      if (!req) continue;
      const params = new Map<string, Taint>();
      bindParameter(req, requestTaint(route, req), params);
      if (params.size) out.push({ fn, params, kind: 'http' });
    }
  }
  return out;
}

/** The first argument of a Python route decorator (`@app.get("/items/{id}")`), when it is a route path. */
function pyRoute(decorator: TSNode): string | undefined {
  const call = decorator.namedChildren.find((c) => c?.type === 'call');
  if (!call) return undefined;
  const callee = calleeOf(call);
  const name = callee?.type === 'attribute' ? propertyName(callee) : undefined;
  if (!name || !ROUTE_METHODS.has(name)) return undefined;
  const path = routePath(positionalArgs(call)[0]);
  if (!path) return undefined;
  return name === 'route' || name === 'api_route' || name === 'custom_route' ? path : `${name.toUpperCase()} ${path}`;
}

/** True for a Python annotation that only numbers, booleans or fixed literals pass (validated by FastAPI). */
function scalarType(type: string): boolean {
  return /^(?:Annotated\[)?(?:int|float|bool|Literal\[[^\]]*\])(?:[,\]|]|$)/.test(type.replace(/\s+/g, ''));
}

function pyRoutes(facts: CodeFacts, index: NodeIndex): Handler[] {
  const out: Handler[] = [];
  // Flask hands the request to every route as a module-level proxy, not a parameter.
  const flaskRequest = facts.aliases.get('request') === 'flask.request';
  for (const d of index.of('decorated_definition')) {
    const fn = d.childForFieldName('definition');
    if (fn?.type !== 'function_definition') continue;
    const route = kids(d)
      .filter((c) => c.type === 'decorator')
      .map(pyRoute)
      .find(Boolean);
    if (!route) continue;
    const params = new Map<string, Taint>();
    for (const p of kids(fn.childForFieldName('parameters'))) {
      const nameNode =
        p.type === 'identifier' ? p : (p.childForFieldName('name') ?? kids(p).find((c) => c.type === 'identifier'));
      if (!nameNode || nameNode.text === 'self' || nameNode.text === 'cls') continue;
      const type = p.childForFieldName('type')?.text ?? '';
      const span = { start: nameNode.startIndex, end: nameNode.endIndex };
      if (PY_REQUEST_TYPES.test(type)) params.set(nameNode.text, requestTaint(route, nameNode));
      else if (!PY_SERVER_PARAMS.test(p.text.slice(nameNode.text.length)) && !scalarType(type))
        params.set(nameNode.text, { source: { kind: 'http', tool: route, param: nameNode.text, span } });
    }
    if (flaskRequest && !params.has('request')) params.set('request', requestTaint(route, d));
    if (params.size) out.push({ fn, params, kind: 'http' });
  }
  return out;
}

/** The member or key read by `x.field`, `x["field"]` or `x.get("field")`, when `x` is a plain name. */
function oauthRead(n: TSNode): { object: TSNode; field: string } | undefined {
  if (n.type === 'member_expression' || n.type === 'attribute') {
    const object = n.childForFieldName('object');
    const field = propertyName(n);
    if (object && field && OAUTH_FIELDS.has(field)) return { object: stripAwaitAndCasts(object), field };
  } else if (n.type === 'subscript_expression' || n.type === 'subscript') {
    const object = n.childForFieldName(n.type === 'subscript' ? 'value' : 'object');
    const key = n.childForFieldName(n.type === 'subscript' ? 'subscript' : 'index');
    const field = key?.type === 'string' ? stripQuotes(key.text) : undefined;
    if (object && field && OAUTH_FIELDS.has(field)) return { object: stripAwaitAndCasts(object), field };
  }
  return undefined;
}

/** A cheap test of the text before any tree walk: most files never mention an OAuth metadata field. */
const OAUTH_TEXT = new RegExp([...OAUTH_FIELDS].filter((f) => f.includes('_')).join('|'));

/**
 * Functions that read OAuth metadata fields off an object (`metadata.authorization_endpoint`,
 * `config["registration_endpoint"]`): the object is remote input in that function, each field read from it is a
 * URL the remote server chose. Declarations of those fields (schemas, types) read nothing and are ignored.
 */
export function oauthHandlersOf(facts: CodeFacts, text: string): Handler[] {
  if (!OAUTH_TEXT.test(text)) return [];
  const byFn = new Map<number, Handler>();
  const types = ['member_expression', 'subscript_expression', 'attribute', 'subscript'];
  for (const n of facts.root.descendantsOfType(types)) {
    if (!n) continue;
    const read = oauthRead(n);
    if (!read || read.object.type !== 'identifier') continue;
    let fn: TSNode | null = n.parent;
    while (fn && !/function|arrow_function|method_definition|lambda/.test(fn.type)) fn = fn.parent;
    if (!fn) continue;
    const h = byFn.get(fn.id) ?? { fn, params: new Map<string, Taint>(), kind: 'oauth' as const };
    byFn.set(fn.id, h);
    if (!h.params.has(read.object.text))
      h.params.set(read.object.text, {
        source: { kind: 'oauth', param: read.field, span: { start: n.startIndex, end: n.endIndex } },
        untrusted: OAUTH_FIELDS,
      });
  }
  return [...byFn.values()];
}

/** True when input from this source counts at a sink of this family (see `SOURCE_FAMILIES`). */
export function sourceReaches(source: TaintSource, family: SinkFamily): boolean {
  const only = SOURCE_FAMILIES[source.kind];
  return !only || only.has(family);
}
