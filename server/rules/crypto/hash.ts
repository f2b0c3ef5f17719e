import {
  calleeOf,
  enclosingFunction,
  positionalArgs,
  propertyName,
  receiverOf,
  stripAwaitAndCasts,
} from '../../analysis/ast';
import type { TSNode } from '../../analysis/parse';
import { codeFactsOf, qualify, type CodeFacts } from '../../analysis/sinks/facts';
import { literalText } from '../../analysis/sinks/values';
import { defineRule, type DetectContext, type RawFinding } from '../../core/rule';
import { destinationName, namesPassword, namesSecret } from './context';

/** Hash functions broken for anything an attacker can choose or guess against (collisions, fast brute force). */
const BROKEN = new Set(['md4', 'md5', 'sha1', 'sha-1', 'ripemd160']);
/** Fast general-purpose hashes: fine for tokens and files, far too fast for passwords. */
const FAST = new Set([
  'sha224',
  'sha256',
  'sha384',
  'sha512',
  'sha3_256',
  'sha3_512',
  'sha3-256',
  'sha3-512',
  'blake2b',
  'blake2s',
]);

/** One hash computed over some input: its algorithm, the input expression and where to report. */
interface HashUse {
  algorithm: string;
  input: TSNode;
  at: TSNode;
}

/** The algorithm of a hash object expression: `crypto.createHash('md5')`, `hashlib.md5()`, `hashlib.new('sha1')`. */
function algorithmOf(expr: TSNode, facts: CodeFacts): string | undefined {
  const n = stripAwaitAndCasts(expr);
  if (n.type === 'identifier') {
    // `h = hashlib.md5()` / `const h = createHash('md5')`: follow a name bound once.
    const value = facts.single.get(n.text);
    return value && value.id !== n.id ? algorithmOf(value, facts) : undefined;
  }
  if (n.type !== 'call_expression' && n.type !== 'call') return undefined;
  const q = qualify(calleeOf(n)!, facts.aliases) ?? '';
  const first = positionalArgs(n)[0];
  const named = first && first.type === 'string' ? literalText(first).toLowerCase() : undefined;
  if (q === 'crypto.createHash' || q === 'hashlib.new') return named;
  const m = /^hashlib\.(\w+)$/.exec(q);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** Every hash in the document with the input it is fed. */
function hashUses(facts: CodeFacts): HashUse[] {
  const out: HashUse[] = [];
  for (const call of facts.calls) {
    const callee = calleeOf(call);
    if (!callee) continue;
    const args = positionalArgs(call);
    if (propertyName(callee) === 'update') {
      const recv = receiverOf(call);
      const algorithm = recv && algorithmOf(recv, facts);
      if (algorithm && args[0]) out.push({ algorithm, input: args[0], at: call });
      continue;
    }
    // Python takes the data in the constructor: `hashlib.md5(password.encode())`, `hashlib.new('md5', data)`.
    if (facts.lang !== 'python') continue;
    const q = qualify(callee, facts.aliases) ?? '';
    const input = q === 'hashlib.new' ? args[1] : /^hashlib\.\w+$/.test(q) ? args[0] : undefined;
    const algorithm = input && algorithmOf(call, facts);
    if (algorithm && input) out.push({ algorithm, input, at: call });
  }
  return out;
}

/** The outermost call of a fluent chain (`createHash(..).update(x).digest('hex')`), for the destination's name. */
function chainTop(n: TSNode): TSNode {
  let top = n;
  while (top.parent && (top.parent.type === 'member_expression' || top.parent.type === 'attribute')) {
    const call = top.parent.parent;
    if (!call || (call.type !== 'call_expression' && call.type !== 'call')) break;
    top = call;
  }
  return top;
}

function findings(ctx: DetectContext): RawFinding[] {
  const facts = codeFactsOf(ctx);
  if (!facts) return [];
  const out: RawFinding[] = [];
  for (const use of hashUses(facts)) {
    // What the hash is for: its input, where its result goes, and the function it is computed in.
    const fn = enclosingFunction(use.at);
    const purpose = `${use.input.text} ${destinationName(chainTop(use.at)) ?? ''} ${fn?.childForFieldName('name')?.text ?? ''}`;
    const broken = BROKEN.has(use.algorithm);
    if (broken && namesSecret(purpose)) {
      out.push({
        start: use.at.startIndex,
        end: use.at.endIndex,
        message: `${use.algorithm.toUpperCase()} protects a secret here (${use.input.text}); it is broken: use a password hash (scrypt, argon2, bcrypt) for passwords, SHA-256 or HMAC for tokens.`,
      });
    } else if ((broken || FAST.has(use.algorithm)) && namesPassword(purpose)) {
      out.push({
        start: use.at.startIndex,
        end: use.at.endIndex,
        message: `A single fast ${use.algorithm.toUpperCase()} hashes a password (${use.input.text}); guesses run at billions per second: use scrypt, argon2 or bcrypt with a per-user salt.`,
      });
    }
  }
  return out;
}

export const weakHashForSecret = defineRule({
  id: 'weak-hash-for-secret',
  title: 'Weak or fast hash protects a password or secret',
  description:
    'MD5 or SHA-1 over a password, token or signature, or a single fast hash (SHA-256, SHA-512) over a password, lets an attacker who reads the stored value recover or forge the secret.',
  category: 'weak-crypto',
  severity: 'medium',
  cwe: ['CWE-328', 'CWE-916'],
  owasp: ['A02:2021'],
  kinds: ['js', 'python'],
  keywords: ['createHash', 'hashlib'],
  docs:
    'MD5 and SHA-1 have practical collisions and are fast; a fast hash of any kind turns a leaked password table into ' +
    'a brute-force job measured in minutes. Store passwords with a slow, salted password hash (`crypto.scrypt`, ' +
    'argon2, bcrypt; Python `hashlib.scrypt`, `argon2-cffi`, `bcrypt`), compare tokens through SHA-256 or an HMAC, ' +
    'and sign with HMAC-SHA-256 or a real signature. The rule reads what the hash protects from the names of its ' +
    'input and result, so a checksum of a file, an ETag or a cache key is not reported.',
  detect: findings,
  positive: [
    {
      path: 'src/auth.ts',
      code: 'import { createHash } from "node:crypto";\nexport function storePassword(user: string, password: string) {\n  const hashed = «createHash("md5").update(password)».digest("hex");\n  const key = «createHash("sha256").update(password + user)».digest("hex");\n  return { hashed, key };\n}\n',
    },
    {
      path: 'auth.py',
      code: 'import hashlib\n\ndef sign(token: str) -> str:\n    return «hashlib.sha1(token.encode())».hexdigest()\n\ndef hash_password(pw):\n    h = hashlib.sha512()\n    «h.update(pw.encode())»\n    return h.hexdigest()\n',
    },
  ],
  negative: [
    {
      path: 'src/cache.ts',
      code: 'import crypto from "node:crypto";\nconst etag = crypto.createHash("md5").update(body).digest("hex");\nconst tokenHash = crypto.createHash("sha256").update(apiToken).digest("hex");\nconst hashed = crypto.createHash("sha1").update(fileContents).digest("hex");\n',
      note: 'an ETag, a SHA-256 of a high-entropy token (fine to store), and a file checksum',
    },
    {
      path: 'files.py',
      code: 'import hashlib\n\ndef checksum(path):\n    with open(path, "rb") as f:\n        return hashlib.md5(f.read()).hexdigest()\n\ncache_key = hashlib.sha1(url.encode()).hexdigest()\n',
    },
  ],
});
