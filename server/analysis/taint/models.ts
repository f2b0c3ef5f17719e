import type { SinkFamily } from '../sinks/types';
import type { SourceKind } from './flow';

/**
 * What the taint analysis knows about library calls and checks, kept apart from the propagation engine (flow.ts)
 * and the guard recognition (guards.ts) so a rule author can answer "why is X (not) a sanitiser?" here and extend
 * the answer without reading the engine. Every table is plain data read by name:
 * - names in the "qualified" tables are dotted paths after import aliases are resolved (`import { join } from
 *   "node:path"` calls `path.join`; `from os import path as p` calls `os.path.join`), see `qualify` in
 *   sinks/facts.ts;
 * - names in the "method" tables are the bare property name of a call on a receiver (`x.trim()` → `trim`), for
 *   JavaScript and Python alike.
 *
 * After an edit, run `test/unit/taint.test.ts` and the rule samples; add a sample to the affected rule in
 * `server/rules/injection/` showing the new model, positive or negative.
 */

/**
 * Methods whose result carries the taint of their receiver (`args.path.trim()`, `name.lower()`,
 * `Path(p).resolve()`, `parsed.model_dump()`). Method names, both languages. Add a method when it returns
 * (part of) the receiver's text or structure; never add one whose result is a number, a boolean or a fixed value.
 */
export const STRING_METHODS = new Set([
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

/**
 * Methods of `STRING_METHODS` whose arguments carry taint into the result when the receiver is clean:
 * `base.joinpath(name)`, `url.resolve(base, input)`, `JSON.parse(input)`, `path.join(root, input)`. Method names.
 */
export const ARGUMENT_METHODS = new Set(['parse', 'joinpath', 'resolve', 'join']);

/**
 * Functions whose result carries the taint of their arguments: path builders, decoders, parsers, wrappers. Qualified
 * names; a bare name (`Path`, `unquote`, `format`) also matches a plain call of that name without a receiver. Add a
 * function when its result still holds the argument's text or structure. A function that checks or confines its
 * argument belongs in `ESCAPERS` (or is a guard, see `CONTAINMENT`), not here.
 */
export const PROPAGATORS = new Set([
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
  // spawn-rx resolves a command on the PATH and returns it with its arguments: `{ cmd, args }`.
  'spawn-rx.findActualExecutable',
  'findActualExecutable',
]);

/**
 * Conversions that leave nothing but a number or a boolean: their result is clean for every sink family.
 * Qualified names. Add a conversion only when no string can come out of it (`parseInt`, not `String`).
 */
export const NUMERIC = new Set([
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

/**
 * Properties that are a number whatever the value (`actions.length`, `files.size`): reading one of a tainted value
 * gives a clean number. Property names, JavaScript.
 */
export const NUMERIC_MEMBERS = new Set(['length', 'size', 'byteLength']);

/**
 * Escapers and confining functions, per sink family: a value passed through one is clean for that family only
 * (`shlex.quote` makes a shell word, not a safe path). Each pattern is tested against the qualified callee, so
 * `(?:^|\.)name$` accepts the function under any module. Add a name to the family it makes safe; `path.normalize`
 * is deliberately absent from `path`, because `../` survives normalisation (guards with a containment check do the
 * job, see `CONTAINMENT`).
 */
export const ESCAPERS: Record<SinkFamily, RegExp> = {
  // `shell-quote`'s quote, Python's shlex.quote / pipes.quote, `shell-escape` and look-alikes. A bare `escape` is
  // absent: lodash's, querystring's and the global `escape` make HTML or URL text, not a shell word.
  command: /(?:^|\.)(?:quote|shellEscape|escapeShellArg|escapeShell|shell_quote|shell-escape|shellescape)$/,
  path: /(?:^|\.)(?:basename|secure_filename|sanitize_filename|sanitizeFilename)$/,
  ssrf: /(?:^|\.)(?:encodeURIComponent|quote|quote_plus|urlencode)$/,
  // Identifier quoting (`quoteIdentifier(name, "sqlite")`, `pg.escapeIdentifier`, pg-format's `format.ident`,
  // `quote_identifier`): a quoted table or column name is how SQL takes a name where no bound parameter is allowed
  // (`PRAGMA table_info(…)`, `ORDER BY`). Only SQL: a quoted identifier is not a shell word or a safe path.
  sql: /(?:^|\.)(?:escape|escapeId|escapeLiteral|escapeIdentifier|escape_identifier|escapeIdent|quote_ident|quoteIdent|quoteIdentifier|quote_identifier|quoteQualifiedIdentifier|quoteId|literal)$|(?:^|\.)(?:format|pg-format)\.ident$/,
  code: /(?:^|\.)(?:JSON\.stringify|json\.dumps|repr)$/,
  // Nothing makes attacker-controlled bytes safe to unpickle or revive.
  deser: /^$/,
};

/**
 * The tree-sitter node types the handler index records: bindings (declarators, assignments, loop variables) and
 * guards (`if`, `elif`, `assert`). A new binding form needs a case in `HandlerFlow.index` as well as an entry here.
 */
export const INDEXED = [
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
 * Guard methods that check a prefix or suffix (`resolved.startsWith(root)`, `p.is_relative_to(base)`): they vouch
 * for their receiver, for every family except SSRF, where the argument must hold a dot (a host or URL prefix, not
 * `"http"`). Method names.
 */
export const CONTAINMENT = new Set([
  'startsWith',
  'startswith',
  'is_relative_to',
  'relative_to',
  'endsWith',
  'endswith',
]);

/**
 * Guard calls that confine a path by a real containment computation, by qualified name:
 * `os.path.commonpath([root, resolved]) == root`. Their arguments are vouched for. `os.path.commonprefix` is
 * deliberately absent: it compares characters, so `/srv/data_evil` shares the prefix `/srv/data`.
 */
export const CONTAINMENT_CALLS = /(?:^|\.)commonpath$/;

/**
 * SQL parameterisation needs no table: only the SQL text argument of a query call is a sink (sinks/sql.ts), so a
 * value passed as a bound parameter (`query("… WHERE id = $1", [id])`, `execute("… = ?", (id,))`) never reaches
 * it; SQL text built by interpolation does, unless an escaper of `ESCAPERS.sql` wraps the value.
 */

/**
 * Guard methods that check membership in a fixed collection (`ALLOWED.includes(cmd)`, `allowed.has(host)`): they
 * vouch for their first argument, for every family. Method names.
 */
export const MEMBERSHIP = new Set(['includes', 'has', 'indexOf', 'contains', 'hasOwnProperty']);

/**
 * Guard calls that check a value's shape (`/^\w+$/.test(x)`, `re.fullmatch(p, x)`, `x.isdigit()`,
 * `isinstance(x, int)`): they vouch for the tested value, for every family. Method names or qualified names. Which
 * argument is the tested value depends on the form; see `guardSubjects` in guards.ts when adding one.
 */
export const PATTERN = new Set([
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
 * The names of validation helpers a guard may call (`isPathAllowed(p)`, `validateUrl(u)`, `ensureInsideRoot(p)`):
 * a prefix (is, validate, check, assert, ensure) and a word saying what is checked. Every argument is vouched for.
 * Widen the word list only for words that name a check on the value itself.
 */
export const VALIDATOR_NAME =
  /^(?:is|validate|check|assert|ensure)\w*(?:Path|Allowed|Safe|Within|Inside|Url|URL|Host|Command|Valid)\w*$/i;

/**
 * Names of SSRF checks on where a request goes, for the SSRF family only: a check on an address or on the resolved
 * IP (`validateResolvedIp(url)`, `isPrivateIp(host)`, `assert_public_address(host)`, `checkSsrf(url)`), and the
 * `private-ip` package under the names a bundler gives its default import (`privateIp`, `private_ip_default`).
 * Case-sensitive on purpose: `Ip` must start a word (`validateRecipient` checks no address).
 */
export const SSRF_VALIDATOR_NAME =
  /^(?:(?:is|validate|check|assert|ensure|verify|block|reject)(?:[A-Z_]\w*)?(?:Ip|IP|Ips|IPs|Address|Ssrf|SSRF|Private|Public|_ip|_ips|_address|_ssrf|_private|_public)(?:[A-Z_]\w*)?|private_?[iI]p(?:_default)?|privateIp|isPrivate|is_private)$/;

/**
 * How a validation helper that throws is named: a helper called as a statement (`this.validateUrl(url);`,
 * `await assertPublicHost(host)`) guards the code after it only when it throws on a bad value, which `is…` and
 * `has…` helpers, returning a boolean, do not; a result left unused is no check.
 */
export const THROWING_VALIDATOR = /^(?:validate|assert|ensure|check|verify|require|block|reject)/i;

/** URL properties that name where a request goes: a guard on `new URL(u).hostname` vouches for `u` itself. */
export const URL_HOST_PROPERTY = /^(?:hostname|host|origin|netloc)$/;

/**
 * Methods that read client input out of a request or an arguments object: `arguments.get("path")` (Python dict),
 * `c.req.query("q")`, `c.req.param("id")`, `c.req.header("x")` (Hono), `await request.json()` (Starlette,
 * Hono), `request.get_json()` (Flask), `req.get("host")` (Express). With a string argument on an arguments object
 * the result is that parameter; on a request, the result is client input as a whole. Method names.
 */
export const ACCESSORS = new Set([
  'get',
  'query',
  'param',
  'header',
  'cookie',
  'json',
  'text',
  'body',
  'form',
  'formData',
  'parseBody',
  'arrayBuffer',
  'get_json',
  'get_data',
]);

/**
 * Members of a request object that hold the client's input, for Express, Fastify, Koa (`ctx`), Hono (`c.req`),
 * node's `http` and Starlette/FastAPI/Flask: reading one of them is untrusted, any other member (`req.app`,
 * `c.env`, `ctx.state`, `request.app`) is the server's own. Property names, both languages.
 */
export const REQUEST_MEMBERS = new Set([
  // Express, Fastify, node http
  'query',
  'body',
  'params',
  'headers',
  'cookies',
  'signedCookies',
  'url',
  'originalUrl',
  'path',
  'hostname',
  'rawBody',
  'files',
  'file',
  // Koa context, Hono context
  'request',
  'req',
  'querystring',
  'header',
  // Starlette / FastAPI / Flask
  'query_params',
  'path_params',
  'args',
  'form',
  'values',
  'data',
  'view_args',
]);

/**
 * Methods of a router or app that register an HTTP route handler (`app.get("/x", (req, res) => …)`,
 * `router.post(…)`, Hono `app.get("/x", (c) => …)`, Fastify `fastify.get(…)`, Python `@app.get("/x")`,
 * `@router.post(…)`, Flask `@app.route(…)`). The first argument must be a route path (a string starting with `/`
 * or `*`) so that `map.get(key, fallback)` is never one. Method names.
 */
export const ROUTE_METHODS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'all',
  'options',
  'head',
  'route',
  'api_route',
  'websocket',
  // FastMCP's extra HTTP routes beside the MCP endpoint: `@mcp.custom_route("/health", methods=["GET"])`.
  'custom_route',
]);

/**
 * Python parameter annotations that receive the request object itself in FastAPI and Starlette handlers: such a
 * parameter is a request (`request.query_params`, `await request.json()`), not a value.
 */
export const PY_REQUEST_TYPES = /^(?:starlette\.requests\.|fastapi\.)?(?:Request|WebSocket|HTTPConnection)$/;

/**
 * Python parameter annotations and defaults that FastAPI fills from the server, not the client (`Response`,
 * `BackgroundTasks`, `Depends(…)`, `Security(…)`): such a parameter is not input.
 */
export const PY_SERVER_PARAMS = /(?:^|[.\s=])(?:Response|BackgroundTasks|Depends|Security)\b/;

/**
 * Fields of an OAuth authorization-server or protected-resource metadata document (RFC 8414, RFC 9728, OpenID
 * discovery, RFC 8628 device flow): a client fetches them from the remote server named by the MCP config, so a
 * hostile server chooses them. Opening one in a browser (`open(url)`, `exec("open " + url)`) or fetching it is a
 * sink reached by remote input. Property names.
 */
export const OAUTH_FIELDS = new Set([
  'authorization_endpoint',
  'token_endpoint',
  'registration_endpoint',
  'device_authorization_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'userinfo_endpoint',
  'end_session_endpoint',
  'jwks_uri',
  'issuer',
  'authorization_servers',
  'verification_uri',
  'verification_uri_complete',
]);

/**
 * The sink families a source counts for, when not all (absent kinds count for every family). OAuth clients must
 * fetch the endpoints a remote server's metadata names (the token, registration and device endpoints: the protocol
 * says so), so remote OAuth metadata counts only where it is opened or executed (`open(url)`, `exec("open " +
 * url)`): a fetch of it would be reported in every OAuth client.
 */
export const SOURCE_FAMILIES: Partial<Record<SourceKind, ReadonlySet<SinkFamily>>> = {
  oauth: new Set<SinkFamily>(['command', 'code']),
};

/**
 * Zod schema builders whose value can only be a number, a boolean or one of fixed literals: a tool parameter
 * declared with one (`z.enum(["a", "b"])`, `z.number().int()`, `z.literal("x")`) is validated by the SDK before the
 * handler runs, so it is clean for every sink family. Method names of the zod chain.
 */
export const ZOD_CLOSED = new Set(['enum', 'nativeEnum', 'literal', 'number', 'boolean', 'bigint', 'int', 'date']);

/**
 * A zod `.regex(/…/)` refinement that confines a string to safe characters: anchored at both ends and made of
 * character classes without `.`, `/`, `\` escapes for "any" (`\S`, `\W`) or negated classes, e.g.
 * `/^[a-zA-Z0-9_-]+$/`. Tested on the regex literal's source text (pattern between the slashes).
 */
export const SAFE_ZOD_PATTERN =
  /^\^(?:\[(?:[A-Za-z0-9_ -]|\\[wd-])+\][+*?]?|\\[wd][+*?]?|[A-Za-z0-9_-])+(?:\{\d+(?:,\d*)?\})?\$$/;
