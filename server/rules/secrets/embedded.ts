/**
 * Credential files held in string literals: `.env` bodies, AWS `credentials` and INI sections written by seed
 * scripts and canned responses (`"""[default]\naws_secret_access_key = …"""`, `` `API_TOKEN=…\nDB_PASSWORD=…` ``).
 * The generic assignment rule reads `name = "value"` in code, but inside a string the lines are bare
 * `NAME=value` pairs that only a config-file reading finds. A string counts as a credentials file when it holds at
 * least two `name=value` / `name: value` lines (real line breaks or `\n` escapes); each value under a secret-looking
 * name then goes through the generic rule's judgement (placeholder, randomness, issued-token shape), and values
 * that a provider rule reports are left to it.
 */
import { nodeIndexOf } from '../../analysis/parse';
import { maskSecret } from '../../core/mask';
import { defineRule, type DetectContext, type RawFinding } from '../../core/rule';
import { dismiss, fixtureReason } from './fixtures';
import { isSecretName, whyNotSecret } from './placeholder';
import { mayEmbedCredentials } from './preconditions';
import { coveredByProvider } from './rules';

const ID = 'secret-embedded-credentials-file';

/** One `name=value` line of a string body: the name, and the value's offsets in the document. */
const LINE =
  /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]{1,60})[ \t]*[=:][ \t]*["']?([^\s"'`]{1,300})["'`]?(?:[ \t]+#.*)?[ \t]*$/;

function findings(ctx: DetectContext): RawFinding[] {
  const out: RawFinding[] = [];
  const types = ctx.kind === 'python' ? ['string'] : ['string', 'template_string'];
  for (const n of nodeIndexOf(ctx)?.of(types) ?? []) {
    const text = n.text;
    if (text.length < 16 || !/[=:]/.test(text)) continue;
    // Lines split at real line breaks and at `\n` escapes, with each line's offset in the document.
    const lines: { text: string; at: number }[] = [];
    const re = /\r?\n|\\n/g;
    let from = 0;
    for (let m = re.exec(text); ; m = re.exec(text)) {
      const end = m ? m.index : text.length;
      lines.push({ text: text.slice(from, end), at: n.startIndex + from });
      if (!m) break;
      from = m.index + m[0].length;
    }
    if (lines.length < 2) continue;
    const pairs = lines.map((l) => ({
      l,
      m: LINE.exec(l.text.replace(/^[rRbBuUfF]{0,2}(?:"""|'''|["'`])/, (q) => ' '.repeat(q.length))),
    }));
    if (pairs.filter((p) => p.m).length < 2) continue;
    for (const { l, m } of pairs) {
      if (!m || !isSecretName(m[1]!)) continue;
      const value = m[2]!;
      const start = l.at + m.index + m[0].lastIndexOf(value);
      const why = whyNotSecret(m[1]!, value) ?? fixtureReason(ctx, start, start + value.length);
      if (why) {
        dismiss(ctx, ID, start, value, why);
        continue;
      }
      if (coveredByProvider(ctx, start, start + value.length)) continue;
      out.push({
        start,
        end: start + value.length,
        message: `A credentials file in a string sets '${m[1]}' to ${maskSecret(value)}; whoever reads the code or the data it seeds has it: generate or read it at run time`,
      });
    }
  }
  return out;
}

/** The embedded credentials-file rule. */
export const embeddedCredentialsRule = defineRule({
  id: ID,
  title: 'Credentials file embedded in a string',
  description:
    'A string literal holds the body of a credentials file (.env, AWS credentials, an INI section) with a secret-looking value, so seed data or a canned response carries a live credential.',
  category: 'secret',
  severity: 'high',
  cwe: ['CWE-798', 'CWE-312'],
  owasp: ['A07:2021', 'A02:2021'],
  kinds: ['js', 'python'],
  // A value is judged only under a secret-looking name (`isSecretName`): its last word is one of these, or holds one
  // (`passphrase`, `authorization`, `apikey`, `privatekey`), or is `key` after a qualifier.
  keywords: ['token', 'secret', 'pass', 'pwd', 'auth', 'credential', 'bearer', 'pat', 'key'],
  sourceOnly: true,
  docs:
    '**What it finds.** A string literal (Python triple-quoted or escaped strings, JS strings and template literals) ' +
    'with at least two `NAME=value` or `name: value` lines, one of them under a secret-looking name (`DB_PASSWORD`, ' +
    "`aws_secret_access_key`, `API_TOKEN`) whose value passes the generic rule's judgement: not a placeholder, " +
    'random enough, not a word-made fixture. Seed scripts and canned tool responses of MCP servers write such files ' +
    'into the data the model reads back. Provider-format values (`AKIA…`, `ghp_…`) are reported by their provider ' +
    'rule instead; documentation example keys there are reported low with the reason. Left out in test files.\n\n' +
    '**How to fix.** Generate seed credentials at setup time (random, per install) or read them from the ' +
    'environment, and rotate any value that was real.',
  applies: (_path, text) => mayEmbedCredentials(text),
  detect: findings,
  positive: [
    {
      path: 'seed_data.py',
      code: 'ENV_FILE = """OPENAI_MODEL=gpt-4o\nDB_PASSWORD=«Qx7!mZ2pLk9w»\nAPI_TOKEN=«b7Fq2Lm9Zx3Vk8Np4Rt»\n"""\n',
    },
    {
      path: 'src/seed.ts',
      code: 'await fs.writeFile(".env", "PORT=8080\\nADMIN_PASSWORD=«Tr0ub4dor&3x»\\n");\n',
    },
  ],
  negative: [
    {
      path: 'seed_data.py',
      code: 'ENV_FILE = """PORT=8080\nDB_PASSWORD=${DB_PASSWORD}\nAPI_TOKEN=your-token-here\n"""\n',
      note: 'indirections and placeholders',
    },
    {
      path: 'src/help.ts',
      code: 'const usage = "Set API_TOKEN in the environment.\\nThen run the server.";\nconst one = "DB_PASSWORD=Qx7!mZ2pLk9w";\n',
      note: 'prose, and a single pair that is not a file body',
    },
  ],
});
