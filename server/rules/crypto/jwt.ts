import { calleeOf, keywordArg, keywordArgNode, objectPair, positionalArgs, stripQuotes } from '../../analysis/ast';
import type { TSNode } from '../../analysis/parse';
import { codeFactsOf, qualify, type CodeFacts } from '../../analysis/sinks/facts';
import { defineRule, type DetectContext, type RawFinding } from '../../core/rule';

/** JWT libraries' verifying decoders: jsonwebtoken, PyJWT, python-jose, authlib. */
const JS_VERIFY = new Set(['jsonwebtoken.verify']);
const PY_DECODE = /^(?:jwt|jose\.jwt|authlib\.jose\.jwt)\.decode$/;

/** True when a list (JS array, Python list/tuple) or string names the `none` algorithm. */
function allowsNone(v: TSNode | undefined | null): boolean {
  if (!v) return false;
  const items = v.type === 'array' || v.type === 'list' || v.type === 'tuple' ? v.namedChildren : [v];
  return items.some((i) => !!i && i.type === 'string' && stripQuotes(i.text).toLowerCase() === 'none');
}

/** The `"verify_signature": False` entry of a Python options dict, when there is one. */
function signatureCheckOff(options: TSNode | undefined): TSNode | undefined {
  if (options?.type !== 'dictionary') return undefined;
  return options.namedChildren.find(
    (p): p is TSNode =>
      p?.type === 'pair' &&
      stripQuotes(p.childForFieldName('key')?.text ?? '') === 'verify_signature' &&
      p.childForFieldName('value')?.type === 'false',
  );
}

function jsFindings(facts: CodeFacts): RawFinding[] {
  const out: RawFinding[] = [];
  for (const call of facts.calls) {
    const q = qualify(calleeOf(call)!, facts.aliases) ?? '';
    if (!JS_VERIFY.has(q)) continue;
    const options = positionalArgs(call).find((a) => a.type === 'object');
    const algorithms = objectPair(options, 'algorithms');
    if (algorithms && allowsNone(algorithms.childForFieldName('value')))
      out.push({
        start: algorithms.startIndex,
        end: algorithms.endIndex,
        message:
          'jwt.verify accepts the "none" algorithm: a token with no signature passes; list only the algorithm you sign with.',
      });
  }
  return out;
}

function pyFindings(facts: CodeFacts): RawFinding[] {
  const out: RawFinding[] = [];
  for (const call of facts.calls) {
    const q = qualify(calleeOf(call)!, facts.aliases) ?? '';
    if (!PY_DECODE.test(q)) continue;
    const off = signatureCheckOff(keywordArg(call, 'options'));
    const verify = keywordArgNode(call, 'verify');
    const algorithms = keywordArgNode(call, 'algorithms');
    const at =
      (off ? keywordArgNode(call, 'options') : undefined) ??
      (verify?.childForFieldName('value')?.type === 'false' ? verify : undefined) ??
      (algorithms && allowsNone(algorithms.childForFieldName('value')) ? algorithms : undefined);
    if (at)
      out.push({
        start: at.startIndex,
        end: at.endIndex,
        message: `${q} does not check the token's signature here: anyone can forge its claims; verify with the key and an explicit algorithm list.`,
      });
  }
  return out;
}

export const jwtVerificationDisabled = defineRule({
  id: 'jwt-verification-disabled',
  title: 'JWT accepted without a signature check',
  description:
    'A JWT decoded with signature verification switched off, or verified with the "none" algorithm allowed, can be forged by anyone, so the identity and permissions it carries are whatever the caller wrote.',
  category: 'weak-crypto',
  severity: 'high',
  cwe: ['CWE-347'],
  owasp: ['A02:2021', 'A07:2021'],
  kinds: ['js', 'python'],
  keywords: ['jwt', 'jose'],
  docs:
    'A JWT is only as good as the signature check. `jwt.decode(token, options={"verify_signature": False})` ' +
    '(PyJWT, python-jose), `verify=False`, and an `algorithms` list that includes `none` accept a token anyone can ' +
    "write. Verify with the issuer's key and list exactly the algorithms you sign with: " +
    '`jwt.verify(token, key, { algorithms: ["RS256"] })`, `jwt.decode(token, key, algorithms=["RS256"])`. Decoding ' +
    'without verification is fine only to read a header before choosing the key, never to trust the claims.',
  detect(ctx: DetectContext) {
    const facts = codeFactsOf(ctx);
    if (!facts) return [];
    return facts.lang === 'python' ? pyFindings(facts) : jsFindings(facts);
  },
  positive: [
    {
      path: 'src/auth.ts',
      code: 'import jwt from "jsonwebtoken";\nexport const claims = (t: string) => jwt.verify(t, process.env.JWT_KEY!, { «algorithms: ["HS256", "none"]» });\n',
    },
    {
      path: 'auth.py',
      code: 'import jwt\n\ndef user_of(token):\n    claims = jwt.decode(token, «options={"verify_signature": False}»)\n    return claims["sub"]\n\ndef legacy(token):\n    return jwt.decode(token, key, «algorithms=["none"]»)\n',
    },
  ],
  negative: [
    {
      path: 'src/auth.ts',
      code: 'import jwt from "jsonwebtoken";\nexport const claims = (t: string) => jwt.verify(t, process.env.JWT_KEY!, { algorithms: ["RS256"] });\nconst header = jwt.decode(t, { complete: true });\n',
    },
    {
      path: 'auth.py',
      code: 'import jwt\n\ndef user_of(token):\n    return jwt.decode(token, key, algorithms=["RS256"], options={"require": ["exp"]})\n',
    },
  ],
});
