import type { SinkFamily } from '../sinks/types';

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
 * Escapers and confining functions, per sink family: a value passed through one is clean for that family only
 * (`shlex.quote` makes a shell word, not a safe path). Each pattern is tested against the qualified callee, so
 * `(?:^|\.)name$` accepts the function under any module. Add a name to the family it makes safe; `path.normalize`
 * is deliberately absent from `path`, because `../` survives normalisation (guards with a containment check do the
 * job, see `CONTAINMENT`).
 */
export const ESCAPERS: Record<SinkFamily, RegExp> = {
  command: /(?:^|\.)(?:quote|shellEscape|escapeShellArg|shell_quote|escape)$/,
  path: /(?:^|\.)(?:basename|secure_filename|sanitize_filename|sanitizeFilename)$/,
  ssrf: /(?:^|\.)(?:encodeURIComponent|quote|quote_plus|urlencode)$/,
  sql: /(?:^|\.)(?:escape|escapeId|escapeLiteral|escapeIdentifier|quote_ident|literal)$/,
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

/** URL properties that name where a request goes: a guard on `new URL(u).hostname` vouches for `u` itself. */
export const URL_HOST_PROPERTY = /^(?:hostname|host|origin|netloc)$/;
