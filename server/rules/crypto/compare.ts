import { nodeIndexOf, type TSNode } from '../../analysis/parse';
import { codeFactsOf } from '../../analysis/sinks/facts';
import { defineRule, type DetectContext, type RawFinding } from '../../core/rule';
import { namesSecret } from './context';

/** An expression that reads configuration: where an expected secret usually comes from. */
const CONFIG_READ = /\bprocess\.env\b|\bos\.environ\b|\bos\.getenv\(|\bsettings\.|\bconfig\.|\bCONFIG\b|\benv\./;
// What an expression that reads configuration has in its text (CONFIG_READ without its word boundaries, which the
// whole text can place differently from an operand's own text): none in the file, no finding.
const MAY_READ_CONFIG = /process\.env|os\.environ|os\.getenv\(|settings\.|config\.|CONFIG|env\./;
/** An expression that reads the request: where a presented secret comes from. */
const REQUEST_READ =
  /\b(?:req|request|ctx|c)\.(?:headers|header|query|body|params|query_params|cookies)\b|\bheaders\.get\(|\bheaders\[/;

/** The two operands and operator of a JS binary expression or a Python comparison, when it tests (in)equality. */
function equality(n: TSNode): [TSNode, TSNode] | undefined {
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text;
    if (!op || !['===', '==', '!==', '!='].includes(op)) return undefined;
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    return l && r ? [l, r] : undefined;
  }
  if (n.type === 'comparison_operator') {
    const ops = n.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
    if (ops.length !== 1 || (ops[0] !== '==' && ops[0] !== '!=')) return undefined;
    const [l, r] = n.namedChildren;
    return l && r ? [l, r] : undefined;
  }
  return undefined;
}

/** True for an operand that is a literal (a comparison with a constant is another rule's business). */
function isLiteral(n: TSNode): boolean {
  return /^(?:string|number|true|false|null|undefined|none|integer|float|template_string)$/.test(n.type);
}

function findings(ctx: DetectContext): RawFinding[] {
  const facts = codeFactsOf(ctx);
  if (!facts) return [];
  const out: RawFinding[] = [];
  const types = facts.lang === 'python' ? ['comparison_operator'] : ['binary_expression'];
  for (const n of nodeIndexOf(ctx)?.of(types) ?? []) {
    const sides = equality(n);
    if (!sides || sides.some(isLiteral)) continue;
    const [a, b] = sides.map((s) => s.text);
    // One side is the expected secret from configuration, the other the value presented with a request (or a
    // variable named as a secret): the shape of an API-key or bearer-token check.
    const expected = CONFIG_READ.test(a!) ? a! : CONFIG_READ.test(b!) ? b! : undefined;
    if (!expected) continue;
    const presented = expected === a ? b! : a!;
    // The configured value must itself be named as a secret (`process.env.MCP_API_KEY`, not `config.issuer`).
    if (!namesSecret(expected)) continue;
    if (!REQUEST_READ.test(presented) && !namesSecret(presented)) continue;
    out.push({
      start: n.startIndex,
      end: n.endIndex,
      message:
        'A secret is compared with ==, which returns as soon as a character differs, so response times leak how much of a guess is right; use crypto.timingSafeEqual (Node) or hmac.compare_digest (Python).',
    });
  }
  return out;
}

export const secretComparedNonConstantTime = defineRule({
  id: 'secret-compared-non-constant-time',
  title: 'Secret compared in non-constant time',
  description:
    'An API key or bearer token checked with == or === stops at the first differing character, so an attacker who can time many requests can recover it byte by byte.',
  category: 'weak-crypto',
  severity: 'low',
  cwe: ['CWE-208'],
  owasp: ['A02:2021'],
  kinds: ['js', 'python'],
  keywords: ['==', '!='],
  docs:
    'Remote timing attacks on string comparison are hard but practical on a quiet network, and an HTTP MCP server ' +
    'that checks a static API key is exactly the target. Compare fixed-length digests in constant time: ' +
    '`crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b))` after checking lengths (or comparing SHA-256 digests), ' +
    '`hmac.compare_digest(a, b)` in Python. The rule reports an equality test between a secret read from ' +
    'configuration (`process.env`, `os.environ`, settings) and a value presented with a request or named as a secret.',
  // One side of the comparison reads configuration.
  applies: (_path, text) => MAY_READ_CONFIG.test(text),
  detect: findings,
  positive: [
    {
      path: 'src/http.ts',
      code: 'app.use((req, res, next) => {\n  if («req.headers["x-api-key"] !== process.env.MCP_API_KEY») return res.status(401).end();\n  next();\n});\n',
    },
    {
      path: 'server.py',
      code: 'import os\n\ndef check(token: str) -> bool:\n    return «token == os.environ["MCP_TOKEN"]»\n',
    },
  ],
  negative: [
    {
      path: 'src/http.ts',
      code: 'if (tokenIssuer !== config.issuer) reject();\nif (process.env.NODE_ENV === "production") start();\nif (req.query.page !== process.env.DEFAULT_PAGE) redirect();\nconst ok = crypto.timingSafeEqual(Buffer.from(given), Buffer.from(process.env.MCP_API_KEY!));\n',
      note: 'an issuer check (not a secret), a mode switch, a non-secret setting, and a constant-time comparison',
    },
    {
      path: 'server.py',
      code: 'import hmac, os\n\ndef check(token):\n    return hmac.compare_digest(token, os.environ["MCP_TOKEN"])\n\nif os.getenv("LOG_LEVEL") == level:\n    pass\n',
    },
  ],
});
