/**
 * Whole-value secret identification, for callers that already hold one value (the MCP client config rules read
 * `env` and `headers` values out of `.vscode/mcp.json` with exact ranges and ask here what each one is). It uses
 * the same provider table and pattern builders as the document rules, so a value is named the same way in both.
 */
import { compileCached } from '../../core/rule';
import { type CompiledPattern, type RegexBackend, regexBackend } from '../../core/regex';
import { isPlaceholder, isPlaceholderToken, looksSecretValue, stripAuthScheme } from './placeholder';
import { PROVIDERS, type ProviderSpec, WORD, namePredicateWords } from './providers';

export { isPlaceholder } from './placeholder';

/** A provider credential recognised in a value. */
export interface IdentifiedSecret {
  /** The id of the rule that reports this credential in source files. */
  ruleId: string;
  /** Human name of the credential ("GitHub personal access token"). */
  title: string;
}

/** The rule id and label of PEM private keys, which have their own multi-line detector. */
export const PRIVATE_KEY_RULE = { ruleId: 'secret-private-key', title: 'Private key' } as const;
/** The rule id and label of database URLs with an inline password. */
export const DATABASE_URL_RULE = {
  ruleId: 'secret-database-url-password',
  title: 'Database URL with a password',
} as const;

/**
 * Regex source of a provider's document pattern. Standalone formats: group 1 is the token, delimited by
 * characters that cannot continue it. Contextual formats: group 1 is the name, group 2 the token.
 */
export function documentPattern(spec: ProviderSpec): string {
  const left = spec.left ?? WORD;
  const right = spec.right ?? WORD + '-';
  if (!spec.name) return `(?:^|[^${left}])(${spec.token})(?:[^${right}]|$)`;
  return (
    `(?:^|[^A-Za-z0-9_$])([A-Za-z_][A-Za-z0-9_.-]{0,60})["']?[ \\t]*(?::=|=>|:|=)[ \\t]*(?:["'\`][ \\t]*)?` +
    `(${spec.token})(?:[^${right}]|$)`
  );
}

/** Regex source matching exactly one whole token of a provider. */
export function wholePattern(spec: ProviderSpec): string {
  return `^(?:${spec.token})$`;
}

/** True when a name satisfies a contextual provider's naming requirement. */
export function nameFits(spec: ProviderSpec, name: string): boolean {
  return spec.name ? spec.name(namePredicateWords(name)) : true;
}

// PEM, OpenSSH and PGP private key armour, either with real line breaks or with `\n` escapes inside a JSON
// string. Exported so the document rule and identifySecret() share it.
/** Regex source of any armoured private key block; group 1 is the BEGIN label. */
export const PRIVATE_KEY_BLOCK =
  '-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED |OPENSSH |PGP )?PRIVATE KEY(?: BLOCK)?)-----' +
  '[A-Za-z0-9+/=\\s\\\\:,.-]{20,}?-----END (?:RSA |EC |DSA |ENCRYPTED |OPENSSH |PGP )?PRIVATE KEY(?: BLOCK)?-----';

/**
 * Regex source of a database URL with an inline password: group 1 is the scheme, group 2 the user, group 3 the
 * password, group 4 the host.
 */
export const DATABASE_URL =
  '((?:postgres|postgresql|mysql|mariadb|mongodb|mongodb\\+srv|redis|rediss|amqp|amqps))://' +
  '([^:/?#@\\s"\'`<>]*):([^@/?#\\s"\'`<>]+)@([^/?#:\\s"\'`<>]+)';

/** Passwords that are defaults or documentation rather than a secret (`postgres:postgres@localhost`). */
export function isDefaultPassword(password: string, user: string): boolean {
  const p = password.toLowerCase();
  if (isPlaceholder(password)) return true;
  if (p === user.toLowerCase()) return true;
  return (
    [
      'password',
      'pass',
      'passwd',
      'postgres',
      'root',
      'admin',
      'mysql',
      'guest',
      'user',
      'secret',
      'test',
      'redis',
      'mongo',
    ].includes(p) ||
    /^\*+$/.test(p) ||
    /^\$[A-Za-z_{(]/.test(password) ||
    /^%[A-Za-z_(]/.test(password) ||
    /^\{[^}]*\}$/.test(password)
  );
}

function compiled(backend: RegexBackend, source: string): CompiledPattern {
  return compileCached(backend, source);
}

/**
 * Which provider credential a whole value is, if any. `name` (the env var or header name the value is assigned
 * to) lets contextual formats match, such as a 40-character AWS secret under `AWS_SECRET_ACCESS_KEY`. HTTP auth
 * schemes (`Bearer …`) are stripped first. Placeholders (`${input:token}`, `AKIA…EXAMPLE`) are never identified.
 */
export function identifySecret(
  value: string,
  name?: string,
  backend: RegexBackend = regexBackend(),
): IdentifiedSecret | undefined {
  const v = stripAuthScheme(value.trim());
  if (v.length < 8 || isPlaceholderToken(v)) return undefined;
  const provider = providerFormatOf(v, name, backend);
  if (provider) return provider;
  if (compiled(backend, '^' + PRIVATE_KEY_BLOCK + '\\s*$').test(v)) return { ...PRIVATE_KEY_RULE };
  const m = compiled(backend, '^' + DATABASE_URL).matchAll(backend.prepare(v))[0];
  if (m && !isDefaultPassword(m.groups[3]?.text ?? '', m.groups[2]?.text ?? '')) return { ...DATABASE_URL_RULE };
  return undefined;
}

/**
 * The provider whose exact format a whole value has, whether or not it is a placeholder or a fixture: the generic
 * rule asks this to leave provider-shaped fixtures (`glpat-mockpat-testtoken-…`) to the provider's own verdict.
 */
export function providerFormatOf(
  value: string,
  name?: string,
  backend: RegexBackend = regexBackend(),
): IdentifiedSecret | undefined {
  const v = stripAuthScheme(value.trim());
  for (const spec of PROVIDERS) {
    if (spec.name && (name === undefined || !nameFits(spec, name))) continue;
    if (compiled(backend, wholePattern(spec)).test(v)) return { ruleId: spec.id, title: spec.label };
  }
  return undefined;
}

/**
 * The generic rule's decision for one name/value pair: the name says "secret" (api_key, token, password,
 * client_secret, …; judged by its last word), the value is not a placeholder or an env var name, and it is random
 * enough (length and Shannon entropy). Provider formats are not required: use identifySecret() for those.
 */
export function looksSecret(name: string, value: string): boolean {
  return looksSecretValue(name, value);
}
