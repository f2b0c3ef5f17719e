/**
 * Credentials checked against a literal: `if token == "…"`, `password === 'hunter2'`, `if api_key != "…"`. The
 * expected credential is written in the code, so everyone with the source or the package passes the check. The
 * presented side must be named as a credential (isSecretName) and must not read configuration: a setting compared
 * with a known default (`process.env.SECRET === "changeme"`, `SECRET_KEY == "dev"`) is a guard against the default,
 * not a credential check. Empty strings, null, placeholders, auth scheme names (`auth === "oauth"`) and test
 * assertions are not hard-coded credentials.
 */
import { nodeIndexOf, type TSNode } from '../../analysis/parse';
import { maskSecret } from '../../core/mask';
import { defineRule, type DetectContext, type RawFinding } from '../../core/rule';
import { isPlaceholder, isSecretName, isWordStructured, nameWords } from './placeholder';
import { mayCompareToLiteral } from './preconditions';

/** Last words of names whose value a person chooses, so that a plain word may well be the credential. */
const CHOSEN_LAST_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret']);

/** Configuration reads: comparing one of them with a literal checks a default, it does not check a caller. */
const CONFIG_READ =
  /\bprocess\.env\b|\bos\.environ\b|\bos\.getenv\(|\bgetenv\(|\bsettings\.|\bconfig\.|\bimport\.meta\.env\b/i;

/** Auth scheme and mode names that `auth`/`authorization`-named settings are compared with. */
const MODE_WORDS =
  /^(?:basic|bearer|digest|oauth[12]?|apikey|api_key|api-key|none|jwt|hmac|ntlm|negotiate|token|session|cookie|header|query|env|true|false|yes|no|on|off|required|optional|disabled|enabled|anonymous|public|private)$/i;

/** The name a compared expression stands for: an identifier, an attribute, or a subscript with a string key. */
function nameOf(n: TSNode): string | undefined {
  switch (n.type) {
    case 'identifier':
    case 'property_identifier':
      return n.text;
    case 'member_expression':
      return n.childForFieldName('property')?.text;
    case 'attribute':
      return n.childForFieldName('attribute')?.text;
    case 'subscript_expression':
    case 'subscript': {
      const key = n.childForFieldName('index') ?? n.childForFieldName('subscript');
      return key && /^(?:string|string_literal)$/.test(key.type) ? stringValue(key) : undefined;
    }
  }
  return undefined;
}

/** The value of a plain string literal (no interpolation), or undefined. */
function stringValue(n: TSNode): string | undefined {
  if (n.type !== 'string') return undefined;
  if (n.namedChildren.some((c) => c && /interpolation|template_substitution|escape_sequence/.test(c.type)))
    return undefined;
  const m = /^[rRbBuU]{0,2}(["'])([\s\S]*)\1$/.exec(n.text);
  return m?.[2];
}

/** The two sides of an (in)equality test in JS/TS or Python. */
function sidesOf(n: TSNode): [TSNode, TSNode] | undefined {
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text;
    if (!op || !['===', '==', '!==', '!='].includes(op)) return undefined;
  } else if (n.type === 'comparison_operator') {
    const ops = n.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
    if (ops.length !== 1 || (ops[0] !== '==' && ops[0] !== '!=')) return undefined;
  } else return undefined;
  const [l, r] =
    n.type === 'binary_expression' ? [n.childForFieldName('left'), n.childForFieldName('right')] : n.namedChildren;
  return l && r ? [l, r] : undefined;
}

/** True inside an assertion: tests state what a value should be, they do not grant access with it. */
function inAssertion(n: TSNode): boolean {
  for (let p = n.parent, i = 0; p && i < 6; p = p.parent, i++) {
    if (p.type === 'assert_statement') return true;
    if (p.type === 'call_expression' && /^(?:assert|expect)\b/.test(p.text)) return true;
  }
  return false;
}

/** Why a literal compared with a credential name is not a hard-coded credential, or undefined when it is one. */
function notCredential(name: string, value: string): boolean {
  const v = value.trim();
  if (v.length < 4 || /\s/.test(v)) return true;
  if (MODE_WORDS.test(v) || /^(?:null|undefined|nil)$/i.test(v)) return true;
  if (isPlaceholder(v)) return true;
  // People choose passwords, so a word there is still a password (`password == "admin"`). Every other credential
  // name compared with a word tests a mode, type or state (`auth === "keychain"`, `token === "expired"`).
  const last = nameWords(name).pop() ?? '';
  if (!CHOSEN_LAST_WORDS.has(last) && (/^[A-Za-z_-]+$/.test(v) || isWordStructured(v))) return true;
  return false;
}

function findings(ctx: DetectContext): RawFinding[] {
  const out: RawFinding[] = [];
  const types = ctx.kind === 'python' ? ['comparison_operator'] : ['binary_expression'];
  for (const n of nodeIndexOf(ctx)?.of(types) ?? []) {
    const sides = sidesOf(n);
    if (!sides) continue;
    const [a, b] = sides;
    const lit = stringValue(b) !== undefined ? b : stringValue(a) !== undefined ? a : undefined;
    if (!lit) continue;
    const presented = lit === a ? b : a;
    const name = nameOf(presented);
    if (!name || !isSecretName(name)) continue;
    // A setting compared with a default (`SECRET_KEY == "dev"`, `process.env.TOKEN === "changeme"`).
    if (CONFIG_READ.test(presented.text) || /^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    const value = stringValue(lit)!;
    if (notCredential(name, value) || inAssertion(n)) continue;
    const start = lit.startIndex + lit.text.indexOf(value.charAt(0), lit.text.search(/["']/));
    out.push({
      start,
      end: start + value.length,
      message: `'${name}' is checked against the hard-coded value ${maskSecret(value)}: anyone with the source passes the check; compare with a secret from the environment or a store, in constant time`,
    });
  }
  return out;
}

/** The hard-coded credential check rule. */
export const literalCheckRule = defineRule({
  id: 'secret-compared-to-literal',
  title: 'Credential checked against a hard-coded value',
  description:
    'A password, token or API key presented by a caller is compared with a literal in the code, so the credential is public to everyone who can read the source or the package.',
  category: 'secret',
  severity: 'high',
  cwe: ['CWE-798', 'CWE-259'],
  owasp: ['A07:2021'],
  kinds: ['js', 'python'],
  keywords: ['==', '!='],
  // Test suites compare tokens with the fixtures they made; only the code that ships checks callers.
  sourceOnly: true,
  docs:
    '**What it finds.** An equality test (`==`, `===`, `!=`, `!==`) between a value named as a credential (its last ' +
    'word is password, passwd, pwd, pass, secret, token, api key, auth, credential…, or a subscript such as ' +
    '`headers["x-api-key"]`) and a plain string literal, in JS/TS and Python. The literal is the credential, and it is ' +
    'in every copy of the code. Not reported: empty strings, `null`, placeholders (`your-token`, `changeme`), auth ' +
    'scheme and mode names (`auth === "oauth"`, `token === "none"`), words compared with token names (a token type or ' +
    'state), values read from configuration compared with a default (`process.env.SECRET === "changeme"`, ' +
    '`SECRET_KEY == "dev"`: a guard against the default), assertions, and test files. The comparison with a value ' +
    "from configuration is the weak-crypto pack's constant-time rule.\n\n" +
    '**How to fix.** Read the expected credential from the environment or a secret store, compare in constant time ' +
    '(`crypto.timingSafeEqual`, `hmac.compare_digest`), and rotate the literal: it is public.',
  applies: (_path, text) => mayCompareToLiteral(text),
  detect: findings,
  positive: [
    {
      path: 'src/auth.ts',
      code: 'export function login(user: string, password: string) {\n  if (user === "admin" && password === \'«hunter22»\') return issueSession(user);\n  throw new Error("denied");\n}\n',
    },
    {
      path: 'src/http.ts',
      code: 'app.use((req, res, next) => {\n  if (req.headers["x-api-key"] !== "«mcp-8f3a9c2e71»") return res.status(401).end();\n  next();\n});\n',
    },
    {
      path: 'server.py',
      code: '@mcp.tool()\ndef admin_reset(token: str) -> str:\n    if token == "«s3cr3t-admin-2024»":\n        return reset_all()\n    return "denied"\n',
    },
    {
      path: 'server.py',
      code: 'def check(api_key):\n    if api_key != \'«9f8e7d6c5b4a»\':\n        raise PermissionError("bad key")\n',
    },
  ],
  negative: [
    {
      path: 'src/auth.ts',
      code: 'if (password === "") fail();\nif (token == null) fail();\nif (config.auth === "oauth") startOAuth();\nif (profile.auth === \'keychain\') useKeychain();\nif (tokenType === "Bearer") ok();\nif (token === "expired") refresh();\nif (process.env.JWT_SECRET === "changeme1") warnDefault();\n',
      note: 'empty and null checks, two mode switches, a token type, a token state, and a guard against a default setting',
    },
    {
      path: 'server.py',
      code: 'if SECRET_KEY == "dev-insecure-key":\n    log.warning("default secret key in use")\nif os.environ.get("API_TOKEN") == "your-token-here":\n    raise SystemExit("set API_TOKEN")\nassert client.api_key == "sk-test-123"\nif hmac.compare_digest(token, os.environ["MCP_TOKEN"]):\n    pass\n',
      note: 'a guard against a default constant, a placeholder check, an assertion, and a constant-time comparison with the environment',
    },
    {
      path: 'src/ui.ts',
      code: 'if (apiKey === "sk-...") showHint();\nif (password !== confirmPassword) mismatch();\nif (token === `${prefix}-abc123`) ok();\n',
      note: 'a truncated documentation value, two variables, and a template with a substitution',
    },
  ],
});
