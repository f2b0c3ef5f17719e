/**
 * The judgement calls shared by the generic secret rule and the MCP config rules: is a value a placeholder, is a
 * name secret-looking, is a value random enough to be a credential. These are plain string functions (no regex
 * backend) because they run on short, already-extracted values, never on whole documents.
 */

/** Shannon entropy of a string in bits per character (0 for the empty string). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** How many of the four character classes (lower, upper, digit, other) occur in the string. */
export function charClasses(s: string): number {
  let n = 0;
  if (/[a-z]/.test(s)) n++;
  if (/[A-Z]/.test(s)) n++;
  if (/[0-9]/.test(s)) n++;
  if (/[^A-Za-z0-9]/.test(s)) n++;
  return n;
}

// Words that mark a value as documentation rather than a credential. Matched as substrings because they are
// long and specific enough not to occur by chance inside a random token.
const PLACEHOLDER_SUBSTRINGS = [
  'example',
  'placeholder',
  'redacted',
  'changeme',
  'change_me',
  'change-me',
  'replace_me',
  'replace-me',
  'replaceme',
  'dummy',
  'your_',
  'your-',
  'yourtoken',
  'yourkey',
  'yourapikey',
  'yoursecret',
  'yourpassword',
  'insert_',
  'insert-',
  'put_your',
  'enter_your',
  'xxxx',
  '****',
  '....',
  '…',
  'todo',
  'fixme',
  'not_a_real',
  'notreal',
  'not-a-real',
  'sample',
  'lorem',
  'abcdefgh',
  '12345678',
  '01234567',
];

// Short words that mark a placeholder only as a whole word (between separators), because as substrings they
// would hit random tokens ("aTestb") and real words ("contest").
const PLACEHOLDER_WORDS =
  /(?:^|[^A-Za-z])(?:test|testing|fake|mock|demo|foo|bar|baz|none|null|nil|undefined|secret|password|passwd|token|apikey|api_key|key|value|string|str|here|my|the|your)(?:[^A-Za-z]|$)/i;

/**
 * True when a value is a placeholder, an indirection or documentation rather than a literal credential:
 * `YOUR_API_KEY`, `xxxx`, `<token>`, `changeme`, `${VAR}`, `${input:…}`, `${env:…}`, `{{ … }}`, `$VAR`, `%VAR%`,
 * `process.env.X`, `os.environ[…]`, `os.getenv(…)`, values containing example/dummy/test/sample/fake/placeholder/
 * redacted, a single repeated character, and environment variable names written in capitals.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  const lower = v.toLowerCase();
  // Indirections: template and shell expansions, VS Code inputs, Jinja/Handlebars, Windows %VAR%.
  if (/\$\{[^}]*\}|\{\{[^}]*\}\}|\$\([^)]*\)|%[A-Za-z_][A-Za-z0-9_]*%/.test(v)) return true;
  if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return true;
  // Angle-bracketed or bracketed descriptions: <token>, [YOUR KEY], {api_key}.
  if (/^<[^>]*>$|^\[[^\]]*\]$|^\{[^}]*\}$/.test(v)) return true;
  if (/<[A-Za-z _-]+>/.test(v)) return true;
  // Code that reads the secret at run time is exactly what we want people to write.
  if (/process\.env|os\.environ|os\.getenv|getenv\(|import\.meta\.env|deno\.env/i.test(v)) return true;
  if (PLACEHOLDER_SUBSTRINGS.some((w) => lower.includes(w))) return true;
  if (PLACEHOLDER_WORDS.test(v) && !/^[A-Za-z0-9_-]{20,}$/.test(v)) return true;
  // One character repeated (with an optional provider prefix stripped): aaaaaaaa, ghp_000000000….
  const body = v.replace(/^[A-Za-z]{1,12}[_-]/, '');
  if (body.length > 0 && new Set(body).size <= 2) return true;
  return false;
}

// Words that test authors put into hand-made tokens (`glpat-mock-token-12345`, `glpat-mockpat-testtoken-…`). Inside a
// token that already matched a provider's format they are checked as substrings: a random body of the provider's
// alphabet spells one of these four-letter-plus words by chance about once in 10^4-10^5 tokens, while a test
// fixture spells them on purpose.
const FIXTURE_MARKERS = ['mock', 'test', 'fake', 'invalid'];

/**
 * The narrower check for a value that already matched a provider's exact format: documentation markers
 * (EXAMPLE, placeholder, xxxx, redacted, …), fixture markers (mock, test, fake, invalid) and single-character
 * bodies only. Short words such as "my" or "key" are not checked because they occur by chance inside long random
 * tokens.
 */
export function isPlaceholderToken(token: string): boolean {
  const lower = token.toLowerCase();
  if (PLACEHOLDER_SUBSTRINGS.some((w) => lower.includes(w))) return true;
  if (FIXTURE_MARKERS.some((w) => lower.includes(w))) return true;
  const body = token.replace(/^[A-Za-z]{1,12}[_-]/, '');
  return body.length > 0 && new Set(body).size <= 2;
}

// Example keys that providers publish in their own documentation, so that readers copy a value of the right shape.
const PUBLISHED_EXAMPLES: Record<string, string> = {
  AKIAIOSFODNN7EXAMPLE: "AWS's documentation example access key ID",
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY': "AWS's documentation example secret access key",
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY': "AWS's documentation example secret access key",
};

/**
 * Why a value that matched a provider's exact format is a documentation example key, or undefined. Only keys that
 * would pass the provider's format check count: AWS's published examples and tokens that say EXAMPLE in them. They
 * are reported (at low) rather than dropped, because the line that holds one is where a real key gets pasted, and
 * a scanner that stays silent on a well-formed key must say why. Templates (`xxxx`, one repeated character,
 * `your_…`) and test fixtures (`mock`, `fake`) are not keys of any kind and are dismissed (see isPlaceholderToken).
 */
export function documentationExampleReason(token: string): string | undefined {
  const published = PUBLISHED_EXAMPLES[token];
  if (published) return published;
  if (!/example/i.test(token)) return undefined;
  // A value that also says mock/test/fake, or is mostly one character, is a fixture or template, not an example key.
  if (FIXTURE_MARKERS.some((w) => token.toLowerCase().includes(w))) return undefined;
  return 'a documentation example key (it says EXAMPLE)';
}

/** Splits an identifier into lower-case words: `openAIApiKey` → [open, ai, api, key], `DB_PASSWORD` → [db, password]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

// A name is secret-looking when its LAST word says so: `token_url`, `password_label` and `api_key_env` end in a
// word that describes something else, so they stay quiet.
export const SECRET_LAST_WORDS: ReadonlySet<string> = new Set([
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'auth',
  'credential',
  'credentials',
  'apikey',
  'authorization',
  'bearer',
  'pat',
  'privatekey',
  'secretkey',
  'accesskey',
  'clientsecret',
  'accesstoken',
  'authtoken',
  'apitoken',
  'apisecret',
]);

// `key` alone is everywhere (map keys, React keys, YAML keys); it counts only after a word that makes it a credential.
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'client',
  'signing',
  'encryption',
  'master',
  'app',
  'service',
  'account',
  'admin',
  'auth',
  'sas',
  'storage',
  'subscription',
  'license',
  'shared',
  'webhook',
  'hmac',
  'session',
  'jwt',
]);

// `page_token`, `nextToken`, `continuationToken`, `syncToken`, `resumeToken`: cursors that an API hands back to
// fetch the next page or resume a stream. They are opaque but grant nothing.
const CURSOR_WORDS = new Set(['page', 'next', 'continuation', 'pagination', 'cursor', 'sync', 'resume', 'delta']);

/** True when a variable, property or key name says its value is a credential. */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (!last) return false;
  if (last === 'token' && CURSOR_WORDS.has(words[words.length - 2] ?? '')) return false;
  if (SECRET_LAST_WORDS.has(last)) return true;
  if (last === 'key' || last === 'keys') return words.length >= 2 && KEY_QUALIFIERS.has(words[words.length - 2]!);
  return false;
}

/** Strips an HTTP auth scheme (`Bearer `, `Basic `, `token `) so the credential itself is judged. */
export function stripAuthScheme(value: string): string {
  return value.replace(/^(?:bearer|basic|token|bot)\s+/i, '');
}

/**
 * True when a value looks like a random credential rather than a word, a name, a path, a URL or a format string.
 * Thresholds: at least 8 characters; short values (under 16) need three character classes and 2.8 bits of
 * entropy per character (a password like `S3cr3tP@ss!`); longer ones need two classes and 3.0 bits (hex keys,
 * base64 tokens). Words, identifiers, capitalised env var names, dotted keys and paths never pass.
 */
export function isRandomLooking(raw: string): boolean {
  const v = stripAuthScheme(raw.trim());
  if (v.length < 8 || v.length > 512) return false;
  if (/\s/.test(v)) return false; // phrases and labels ("Enter your password")
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]{8,}$/.test(v)) return false; // GITHUB_PERSONAL_ACCESS_TOKEN: a name
  if (/^[A-Za-z]+$/.test(v) && (v.length < 20 || /^(?:[A-Z]?[a-z]+)+$/.test(v))) return false; // words, camelCase
  if (/^[a-z][a-z0-9]*(?:[._:/-][a-z0-9]+)+$/.test(v) && !/[0-9]/.test(v)) return false; // auth.token.missing, kebab-words
  if (/^(?:[a-z]+(?:[^A-Za-z0-9\s]+[a-z]+)+|[A-Z]+(?:[^A-Za-z0-9\s]+[A-Z]+)+)$/.test(v)) return false; // SUPER-SECRET-CANARY, tok+en/with?x=y
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(v)) return false; // URLs: credentials in URLs have their own rule
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v)) return false; // file paths
  if (/^[\w-]+\.(?:json|ya?ml|txt|pem|key|crt|env|js|ts|py)$/i.test(v)) return false; // file names
  if (/^[0-9.:-]+$/.test(v)) return false; // numbers, versions, dates, ports
  if (/^(?:true|false|null|none|undefined)$/i.test(v)) return false;
  if (/%[sdif]|\{\d*\}|\{[a-z_]+\}/.test(v)) return false; // format strings
  const h = shannonEntropy(v);
  const classes = charClasses(v);
  if (v.length < 16) return classes >= 3 && h >= 2.8;
  return classes >= 2 && h >= 3.0;
}

/**
 * The generic rule's decision on one name/value pair, exported for the MCP config rules: the name is
 * secret-looking, the value is not a placeholder and looks random.
 */
export function looksSecretValue(name: string, value: string): boolean {
  return isSecretName(name) && whyNotSecret(name, value) === undefined;
}

/**
 * Why a value under a secret-looking name is not taken for a credential (for the `--verbose` dismissal log), or
 * undefined when it looks like one.
 */
export function whyNotSecret(name: string, value: string): string | undefined {
  if (isPlaceholder(value)) return 'placeholder, indirection or documentation value';
  if (!isRandomLooking(value)) return 'not random enough for a credential (a word, name, path, URL or format string)';
  // Tokens and API keys are generated by the service that issues them, so they never read as words: a value like
  // `gl-access-123` under such a name was typed by a person (a fixture). Passwords and secrets are chosen by people
  // and may well be words and a number, so they stay reported.
  if (isIssuedCredentialName(name) && isWordStructured(stripAuthScheme(value.trim())))
    return 'made of words and short numbers, which issued tokens never are (a fixture)';
  return undefined;
}

// Last words of names whose value a service issues rather than a person chooses.
const ISSUED_LAST_WORDS = new Set([
  'token',
  'apikey',
  'accesstoken',
  'authtoken',
  'apitoken',
  'pat',
  'bearer',
  'authorization',
]);

/** True when the name's value is a credential that a service issues (a token or API key), not a password. */
export function isIssuedCredentialName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1] ?? '';
  if (ISSUED_LAST_WORDS.has(last)) return true;
  return (
    (last === 'key' || last === 'keys') && (words[words.length - 2] === 'api' || words[words.length - 2] === 'access')
  );
}

/**
 * True when a value is made of readable parts joined by punctuation: each part is a word in one case (at most 16
 * letters) or a short number (at most 6 digits), as in `mock-token-12345` or `gl-access-123`. Random tokens mix
 * letters and digits inside their parts (`a3f9…`, `xoxb-…-AbC9…`), so they never qualify.
 */
export function isWordStructured(value: string): boolean {
  const parts = value.split(/[^A-Za-z0-9]+/);
  if (parts.length < 2 || parts.some((p) => p === '')) return false;
  return (
    parts.every((p) => /^(?:[a-z]{1,16}|[A-Z]{1,16}|[A-Z][a-z]{1,15}|[0-9]{1,6})$/.test(p)) &&
    parts.some((p) => /^[A-Za-z]{2,}$/.test(p))
  );
}
