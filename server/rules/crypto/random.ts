import { calleeOf } from '../../analysis/ast';
import type { TSNode } from '../../analysis/parse';
import { codeFactsOf, qualify } from '../../analysis/sinks/facts';
import { defineRule, type DetectContext, type RawFinding } from '../../core/rule';
import { destinationName, namesSecret } from './context';

/**
 * Generators an attacker can predict. The clock alone (`Date.now()`, `time.time()`) is left out: real code stamps
 * sessions and tokens with it everywhere (`lastUsed`, `expiresAt`), so the name of the destination cannot tell a
 * timestamp from a clock-made secret.
 */
const PREDICTABLE = new Map<string, string>(
  Object.entries({
    'Math.random': 'Math.random() is not a cryptographic generator',
    'random.random': 'the random module is not a cryptographic generator',
    'random.randint': 'the random module is not a cryptographic generator',
    'random.randrange': 'the random module is not a cryptographic generator',
    'random.choice': 'the random module is not a cryptographic generator',
    'random.choices': 'the random module is not a cryptographic generator',
    'random.sample': 'the random module is not a cryptographic generator',
    'random.getrandbits': 'the random module is not a cryptographic generator',
    'uuid.uuid1': 'uuid1 is built from the clock and the MAC address',
  }),
);

function findings(ctx: DetectContext): RawFinding[] {
  const facts = codeFactsOf(ctx);
  if (!facts) return [];
  const out: RawFinding[] = [];
  const reported = new Set<number>();
  for (const call of facts.calls) {
    const callee = calleeOf(call);
    if (!callee) continue;
    const q = qualify(callee, facts.aliases) ?? '';
    const why = PREDICTABLE.get(q);
    if (!why) continue;
    // The last segment names the value: `sessions[id].lastUsed` is a `lastUsed`, not a session id.
    const name = destinationName(call)
      ?.replace(/\[[^\]]*\]/g, '')
      .split('.')
      .pop();
    if (!name || !namesSecret(name) || reported.has(statementOf(call).id)) continue;
    // One finding per statement: `token = random.choice(a) + random.choice(b)` is one weak token.
    reported.add(statementOf(call).id);
    out.push({
      start: call.startIndex,
      end: call.endIndex,
      message: `${name} comes from ${q}(): ${why}; use crypto.randomBytes / crypto.randomUUID (Node) or the secrets module (Python).`,
    });
  }
  return out;
}

/** The statement a call belongs to. */
function statementOf(n: TSNode): TSNode {
  let s = n;
  while (s.parent && !/statement|declaration|^assignment$|^expression_statement$/.test(s.type)) s = s.parent;
  return s;
}

export const insecureRandomForSecret = defineRule({
  id: 'insecure-random-for-secret',
  title: 'Password, token or session id from a predictable source',
  description:
    'A secret generated with Math.random(), the random module or uuid1 can be predicted or brute-forced, so whoever guesses it gets the session, the reset link or the API access it guards.',
  category: 'weak-crypto',
  severity: 'medium',
  cwe: ['CWE-338', 'CWE-330'],
  owasp: ['A02:2021'],
  kinds: ['js', 'python'],
  keywords: ['random', 'uuid1'],
  docs:
    "`Math.random()` and Python's `random` module are fast generators whose state can be recovered from a few " +
    'outputs; `uuid1` is built from the clock and the MAC address. A token, password, session id, nonce, salt or key made ' +
    'from them can be predicted. Use `crypto.randomBytes(32).toString("hex")`, `crypto.randomUUID()` or ' +
    '`crypto.getRandomValues` in JavaScript, and `secrets.token_urlsafe()` / `secrets.choice` in Python. The rule ' +
    'looks at the name the value gets, so jitter, sampling and test data are not reported.',
  detect: findings,
  positive: [
    {
      path: 'src/session.ts',
      code: 'export function newSession() {\n  const sessionId = «Math.random()».toString(36).slice(2);\n  const resetToken = Date.now().toString(36) + «Math.random()».toString(36);\n  return { sessionId, resetToken };\n}\nconst makeApiKey = () => «Math.random()».toString(16).slice(2);\n',
    },
    {
      path: 'auth.py',
      code: 'import random, string, uuid\n\ndef new_password(n=12):\n    return "".join(«random.choice(string.ascii_letters)» for _ in range(n))\n\nnonce = str(«uuid.uuid1()»)\n',
    },
  ],
  negative: [
    {
      path: 'src/retry.ts',
      code: 'const delay = base * 2 ** attempt + Math.random() * 100;\nconst sampled = Math.random() < 0.1;\nconst sessionId = crypto.randomUUID();\nconst startedAt = Date.now();\nsessions[sessionId].lastUsed = Math.random();\n',
      note: 'jitter, sampling, a cryptographic UUID and a timestamp',
    },
    {
      path: 'game.py',
      code: 'import random, secrets\n\ngreeting = random.choice(["hi", "hello"])\ntoken = secrets.token_urlsafe(32)\n',
    },
  ],
});
