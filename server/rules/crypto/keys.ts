import { calleeOf, keywordArg, positionalArgs, stripAwaitAndCasts } from '../../analysis/ast';
import type { TSNode } from '../../analysis/parse';
import { codeFactsOf, qualify, type CodeFacts } from '../../analysis/sinks/facts';
import { literalText } from '../../analysis/sinks/values';
import { defineRule, type DetectContext, type RawFinding } from '../../core/rule';

/** Calls whose key, IV or salt argument must not be a constant: dotted name → [argument index, what it is]. */
const KEYED = new Map<string, [number, string][]>(
  Object.entries({
    'crypto.createCipheriv': [
      [1, 'key'],
      [2, 'IV'],
    ],
    'crypto.createDecipheriv': [
      [1, 'key'],
      [2, 'IV'],
    ],
    'crypto.createHmac': [[1, 'key']],
    'crypto.pbkdf2': [[1, 'salt']],
    'crypto.pbkdf2Sync': [[1, 'salt']],
    'crypto.scrypt': [[1, 'salt']],
    'crypto.scryptSync': [[1, 'salt']],
    'jsonwebtoken.sign': [[1, 'signing key']],
    'jsonwebtoken.verify': [[1, 'signing key']],
    'hmac.new': [[0, 'key']],
    'hashlib.pbkdf2_hmac': [[2, 'salt']],
    'jwt.encode': [[1, 'signing key']],
    'jwt.decode': [[1, 'signing key']],
    'cryptography.fernet.Fernet': [[0, 'key']],
    'Crypto.Cipher.AES.new': [[0, 'key']],
    'Cryptodome.Cipher.AES.new': [[0, 'key']],
  } as Record<string, [number, string][]>),
);

/** Python keyword names of the same arguments. */
const KEYWORDS: [string, string][] = [
  ['key', 'key'],
  ['salt', 'salt'],
  ['iv', 'IV'],
  ['nonce', 'IV'],
];

/**
 * The literal a key expression stands for: a string or bytes literal, `Buffer.from("…")`, `"…".encode()`, or a name
 * bound once to one of those. Undefined for anything computed, read from the environment or a file.
 */
function constantText(expr: TSNode | undefined, facts: CodeFacts, depth = 0): string | undefined {
  if (!expr || depth > 3) return undefined;
  const n = stripAwaitAndCasts(expr);
  if (n.type === 'string') return n.namedChildren.some((c) => c?.type === 'interpolation') ? undefined : literalText(n);
  if (n.type === 'identifier') {
    const value = facts.single.get(n.text);
    return value && value.id !== n.id ? constantText(value, facts, depth + 1) : undefined;
  }
  if (n.type === 'call_expression' || n.type === 'call') {
    const callee = calleeOf(n);
    const q = callee ? (qualify(callee, facts.aliases) ?? '') : '';
    if (q === 'Buffer.from') return constantText(positionalArgs(n)[0], facts, depth + 1);
    // `"…".encode()`: the receiver of encode is the literal.
    if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'encode')
      return constantText(callee.childForFieldName('object') ?? undefined, facts, depth + 1);
  }
  return undefined;
}

function findings(ctx: DetectContext): RawFinding[] {
  const facts = codeFactsOf(ctx);
  if (!facts) return [];
  const out: RawFinding[] = [];
  for (const call of facts.calls) {
    const callee = calleeOf(call);
    if (!callee) continue;
    const q = qualify(callee, facts.aliases) ?? '';
    const slots = KEYED.get(q);
    if (!slots) continue;
    const args = positionalArgs(call);
    const checked: [TSNode | undefined, string][] = slots.map(([i, what]) => [args[i], what]);
    if (facts.lang === 'python') for (const [kw, what] of KEYWORDS) checked.push([keywordArg(call, kw), what]);
    for (const [arg, what] of checked) {
      const text = constantText(arg, facts);
      // An empty string is a missing key (another bug), not a committed one.
      if (!arg || text === undefined || text === '') continue;
      out.push({
        start: arg.startIndex,
        end: arg.endIndex,
        message: `The ${what} of ${q} is a constant in the code: everyone with the source (or the package) has it; load it from a secret store or the environment${what === 'IV' || what === 'salt' ? `, or generate a fresh random ${what} for each use` : ''}.`,
      });
    }
  }
  return out;
}

export const hardcodedCryptoKey = defineRule({
  id: 'hardcoded-crypto-key',
  title: 'Hard-coded cryptographic key, IV or salt',
  description:
    'An encryption key, HMAC or JWT signing key, IV or salt written into the code is known to everyone who has the code, so the data it encrypts or the tokens it signs are open to them.',
  category: 'weak-crypto',
  severity: 'high',
  cwe: ['CWE-321', 'CWE-329', 'CWE-760'],
  owasp: ['A02:2021'],
  kinds: ['js', 'python'],
  keywords: ['create', 'pbkdf2', 'scrypt', 'jsonwebtoken', 'jwt', 'hmac', 'Fernet', 'AES'],
  docs:
    'Keys in source end up in every clone, package and container image. Read keys from a secret store or an ' +
    'environment variable the deployment sets, generate IVs and nonces randomly for each message ' +
    '(`crypto.randomBytes(12)`, `os.urandom(12)`), and use a random salt per password. The rule reports a literal ' +
    'string or bytes value (directly, through `Buffer.from`/`.encode()`, or through a constant) in the key, IV or ' +
    'salt position of Node `crypto`, `jsonwebtoken`, Python `hmac`, `hashlib.pbkdf2_hmac`, PyJWT, `Fernet` and ' +
    'PyCryptodome `AES.new`.',
  detect: findings,
  positive: [
    {
      path: 'src/vault.ts',
      code: 'import crypto from "node:crypto";\nimport jwt from "jsonwebtoken";\nconst KEY = Buffer.from("0123456789abcdef0123456789abcdef");\nexport const seal = (s: string) => crypto.createCipheriv("aes-256-gcm", «KEY», «Buffer.from("fixed-iv-123")»).update(s);\nexport const token = (sub: string) => jwt.sign({ sub }, «"my-signing-secret"»);\n',
    },
    {
      path: 'vault.py',
      code: 'import hashlib, hmac, jwt\n\nSALT = b"static-salt"\n\ndef derive(pw):\n    return hashlib.pbkdf2_hmac("sha256", pw.encode(), «SALT», 600000)\n\ndef sign(msg):\n    return hmac.new(«"s3cr3t".encode()», msg, "sha256").hexdigest()\n\ndef issue(sub):\n    return jwt.encode({"sub": sub}, «"dev-key"», algorithm="HS256")\n',
    },
  ],
  negative: [
    {
      path: 'src/vault.ts',
      code: 'import crypto from "node:crypto";\nimport jwt from "jsonwebtoken";\nconst key = Buffer.from(process.env.VAULT_KEY!, "hex");\nexport const seal = (s: string) => crypto.createCipheriv("aes-256-gcm", key, crypto.randomBytes(12)).update(s);\nexport const token = (sub: string) => jwt.sign({ sub }, process.env.JWT_SECRET || "");\n',
    },
    {
      path: 'vault.py',
      code: 'import hashlib, hmac, os\n\ndef derive(pw, salt):\n    return hashlib.pbkdf2_hmac("sha256", pw.encode(), salt, 600000)\n\ndef sign(msg):\n    return hmac.new(os.environ["HMAC_KEY"].encode(), msg, "sha256").hexdigest()\n',
    },
  ],
});
