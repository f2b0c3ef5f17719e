/**
 * Builders that turn the provider table and the special formats (private keys, database URLs, the generic
 * assignment heuristic) into engine rules. Samples live in samples.ts so that this file stays about detection.
 */
import type { FileKind } from '../../../shared/types';
import { maskSecret } from '../../core/mask';
import type { DetectContext, RawFinding, Rule, RuleSample } from '../../core/rule';
import { envFix, envNameOf } from './fix';
import {
  DATABASE_URL,
  documentPattern,
  identifySecret,
  isDefaultPassword,
  nameFits,
  PRIVATE_KEY_BLOCK,
  providerFormatOf,
} from './identify';
import { dismiss, documentationFileReason, fixtureReason } from './fixtures';
import {
  documentationExampleReason,
  isPlaceholderToken,
  isSecretName,
  stripAuthScheme,
  whyNotSecret,
} from './placeholder';
import { PROVIDERS, type ProviderSpec } from './providers';

/** The file kinds secrets rules read. MCP client configs and VS Code settings are left to the config pack. */
export const SECRET_KINDS: FileKind[] = ['js', 'python', 'json', 'dotenv', 'yaml', 'dockerfile', 'text'];

/** Samples of one rule. */
export interface Samples {
  /** Must be found, «marked». */
  positive: RuleSample[];
  /** Must stay quiet. */
  negative: RuleSample[];
}

const OWASP = ['A07:2021', 'A02:2021'];

const FIX_DOCS =
  '**How to fix.** Remove the value from the file and read it at run time from an environment variable ' +
  '(`process.env.NAME` in Node, `os.environ["NAME"]` in Python) or a secret store, and pass it to the MCP server ' +
  "through the client config's `env` with an input variable (`${input:token}`) instead of a literal. Then rotate " +
  'the credential: anything that was committed must be treated as leaked, even after the line is deleted, ' +
  'because it stays in git history, forks, packages and container layers.';

const EXAMPLE_DOCS =
  "Documentation example keys in the exact format (AWS's `AKIAIOSFODNN7EXAMPLE`, any token that says EXAMPLE) are " +
  'reported at low with the reason in the message: there is nothing to rotate, but the line is where a real key ' +
  'will be pasted. In documentation files (`.env.example`, `*.sample.*`, `*.template.*`, READMEs) and doc-comment ' +
  '`@example`s they are the file doing its job and are not reported. Templates and test fixtures in the format ' +
  '(`ghp_xxxx…`, one repeated character, `mock`, `test`, `fake` inside the token) are not keys; `--verbose` lists ' +
  'each dismissed candidate with the reason.';

const WHY_MCP =
  '**Why it matters here.** MCP servers are copied, forked and published as packages, and their configs are ' +
  'shared in READMEs and dotfiles; an agent that can read the workspace can also read the credential and be ' +
  'talked into sending it somewhere. Whoever finds it acts with its full privileges.';

/** One span a provider pattern found, with the name it was assigned to for contextual formats. */
interface ProviderHit {
  start: number;
  end: number;
  token: string;
  /** Set when the token is a documentation example key (`AKIAIOSFODNN7EXAMPLE`): why, for the message. */
  example?: string;
}

/**
 * Every match of a provider's pattern in the document that is a key or a documentation example key, memoised for
 * rules that yield to it. Templates and test fixtures in the provider's format (`ghp_xxxx…`, `glpat-mock-…`), and
 * example keys in documentation files or doc-comment examples, are recorded in the dismissal log instead.
 */
function providerHits(ctx: DetectContext, spec: ProviderSpec): ProviderHit[] {
  return ctx.memo(`secrets:hits:${spec.id}`, () => {
    const hits: ProviderHit[] = [];
    for (const m of ctx.re(documentPattern(spec)).matchAll(ctx.doc)) {
      const g = spec.name ? m.groups[2] : m.groups[1];
      if (!g) continue;
      if (spec.name && !nameFits(spec, m.groups[1]?.text ?? '')) continue;
      const hit: ProviderHit = { start: g.start, end: g.end, token: g.text };
      if (isPlaceholderToken(g.text)) {
        const example = documentationExampleReason(g.text);
        const elsewhere = example && (documentationFileReason(ctx.path) ?? fixtureReason(ctx, g.start, g.end));
        if (!example || elsewhere) {
          dismiss(ctx, spec.id, g.start, g.text, elsewhere ? `${example}, in a ${elsewhere}` : TEMPLATE_REASON);
          continue;
        }
        hit.example = example;
      }
      hits.push(hit);
    }
    return hits;
  });
}

const TEMPLATE_REASON =
  'template or test fixture in the provider format (xxxx, one repeated character, mock, test, fake)';

const byId = new Map(PROVIDERS.map((p) => [p.id, p]));

/** Builds the rule for one provider format. */
export function providerRule(spec: ProviderSpec, samples: Samples): Rule {
  return {
    id: spec.id,
    title: `Hardcoded ${spec.label}`,
    description: `A ${spec.label} is written into the file, where anyone who can read the repository, package or image can use it.`,
    category: 'secret',
    severity: spec.severity,
    cwe: ['CWE-798', ...(spec.extraCwe ?? [])],
    owasp: OWASP,
    kinds: SECRET_KINDS,
    keywords: spec.keywords,
    fixable: true,
    docs:
      `**What it finds.** ${spec.about} ` +
      (spec.name
        ? 'This format has no distinctive prefix, so it is only reported when assigned to a name that says what it is.'
        : 'The match is anchored on the documented prefix, length and alphabet of the token.') +
      ` ${EXAMPLE_DOCS}` +
      `\n\n${WHY_MCP}\n\n${FIX_DOCS}`,
    detect(ctx) {
      const yielded = (spec.yieldTo ?? []).flatMap((id) => {
        const other = byId.get(id);
        return other ? providerHits(ctx, other) : [];
      });
      const out: RawFinding[] = [];
      for (const h of providerHits(ctx, spec)) {
        if (yielded.some((y) => y.start < h.end && h.start < y.end)) continue;
        if (h.example) {
          // Nothing to rotate, but the line is where a real key will be pasted: reported low, with the reason.
          out.push({
            start: h.start,
            end: h.end,
            severity: 'low',
            message: `${spec.label} ${maskSecret(h.token)} is ${h.example}, not a live key; reported low because a real key will replace it in place: read it from the environment instead`,
          });
          continue;
        }
        const f: RawFinding = {
          start: h.start,
          end: h.end,
          message: `${spec.label} ${maskSecret(h.token)} is hardcoded; read it from the environment or a secret store`,
        };
        const fix = envFix(ctx, h.start, h.end, spec.envName);
        if (fix) f.fix = fix;
        out.push(f);
      }
      return out;
    },
    ...samples,
  };
}

/** One armoured private key block of a document. */
export interface KeyBlock {
  start: number;
  end: number;
  text: string;
  /** The BEGIN label (`RSA PRIVATE KEY`, `OPENSSH PRIVATE KEY`, …). */
  label: string;
  /** True when the body is a placeholder or too short to be a key: the private key rules leave it alone. */
  placeholder: boolean;
}

/** The armoured private key blocks of the document, memoised: the private key rules and the key-file rule share them. */
export function privateKeyBlocks(ctx: DetectContext): KeyBlock[] {
  return ctx.memo('secrets:key-blocks', () =>
    ctx
      .re(`(?:^|[^A-Za-z0-9_-])(${PRIVATE_KEY_BLOCK})`)
      .matchAll(ctx.doc)
      .map((m) => {
        const block = m.groups[1]!;
        const body = block.text.slice(block.text.indexOf('-----', 10) + 5, block.text.lastIndexOf('-----END'));
        return {
          start: block.start,
          end: block.end,
          text: block.text,
          label: m.groups[2]?.text ?? '',
          placeholder: isPlaceholderToken(body) || body.replace(/\\n|\s/g, '').length < 40,
        };
      }),
  );
}

/** The three armoured private key rules share one pattern and split by the BEGIN label. */
export function privateKeyRule(
  id: string,
  label: string,
  accepts: (beginLabel: string) => boolean,
  about: string,
  samples: Samples,
): Rule {
  return {
    id,
    title: `Hardcoded ${label}`,
    description: `A ${label} is written into the file, so anyone with the file can sign, decrypt or log in as its owner.`,
    category: 'secret',
    severity: 'critical',
    cwe: ['CWE-798', 'CWE-321'],
    owasp: OWASP,
    kinds: SECRET_KINDS,
    keywords: ['PRIVATE KEY'],
    docs: `**What it finds.** ${about} Both real line breaks and \`\\n\`-escaped keys inside JSON strings (Google service-account key files) are recognised; public keys and certificates are not.\n\n${WHY_MCP}\n\n**How to fix.** Keep key files out of the repository (add them to .gitignore), mount them at run time or read them from a secret store, and generate a new key pair: the committed one must be considered compromised.`,
    detect(ctx) {
      const out: RawFinding[] = [];
      for (const block of privateKeyBlocks(ctx)) {
        const begin = block.label;
        if (!accepts(begin) || block.placeholder) continue;
        const service =
          ctx.kind === 'json' && ctx.re('"type"[ \\t]*:[ \\t]*"service_account"').test(ctx.text)
            ? 'Google service-account '
            : '';
        const f: RawFinding = {
          start: block.start,
          end: block.end,
          message: `${service}${begin.toLowerCase().replace(/^./, (c) => c.toUpperCase())} ${maskSecret(block.text)} is hardcoded; keep keys out of the repository`,
        };
        // A passphrase-protected key still leaks, but needs an offline cracking step first.
        if (begin.startsWith('ENCRYPTED')) f.severity = 'high';
        out.push(f);
      }
      return out;
    },
    ...samples,
  };
}

const DATABASE_URL_ID = 'secret-database-url-password';
const GENERIC_ID = 'secret-generic-assignment';

/** Database URLs with the password inline. */
export function databaseUrlRule(samples: Samples): Rule {
  return {
    id: DATABASE_URL_ID,
    // Test suites connect to throwaway databases (`postgres://app:s3cret@localhost`): left out there by default.
    sourceOnly: true,
    title: 'Database URL with an inline password',
    description:
      'A database or broker connection URL carries its password in the file, so anyone with the file can connect.',
    category: 'secret',
    severity: 'high',
    cwe: ['CWE-798', 'CWE-312'],
    owasp: OWASP,
    kinds: SECRET_KINDS,
    keywords: [
      'postgres://',
      'postgresql://',
      'mysql://',
      'mariadb://',
      'mongodb://',
      'mongodb+srv://',
      'redis://',
      'rediss://',
      'amqp://',
      'amqps://',
    ],
    docs: `**What it finds.** A \`postgres://\`, \`postgresql://\`, \`mysql://\`, \`mariadb://\`, \`mongodb(+srv)://\`, \`redis(s)://\` or \`amqp(s)://\` URL of the form \`scheme://user:password@host\`. The finding covers the password only. Placeholders (\`\${DB_PASSWORD}\`, \`$PASSWORD\`, \`<password>\`, \`****\`) and well-known local defaults (\`postgres:postgres@\`, a password equal to the user name, \`password\`, \`root\`, \`guest\`) are not reported: they are documentation or throwaway containers, not secrets; nor are truncated passwords, those in a doc comment\'s \`@example\` or in generated API files. In test, spec, fixture, script and build-config files this rule is left out unless the scan includes tests (\`--include-tests\`).\n\n${WHY_MCP} A database MCP server with a baked-in URL hands the database to every agent and every reader of the code.\n\n**How to fix.** Read the whole URL from an environment variable (\`DATABASE_URL\`), or keep the password out of it (\`PGPASSWORD\`, a \`.pgpass\` file, IAM auth), and change the database password.`,
    detect(ctx) {
      const out: RawFinding[] = [];
      for (const m of ctx.re(`(?:^|[^A-Za-z0-9+.-])${DATABASE_URL}`).matchAll(ctx.doc)) {
        const scheme = m.groups[1]?.text ?? '';
        const user = m.groups[2]?.text ?? '';
        const pw = m.groups[3];
        if (!pw) continue;
        if (isDefaultPassword(pw.text, user)) {
          dismiss(ctx, DATABASE_URL_ID, pw.start, pw.text, 'placeholder or well-known default password (a fixture)');
          continue;
        }
        const fixture = fixtureReason(ctx, pw.start, pw.end);
        if (fixture) {
          dismiss(ctx, DATABASE_URL_ID, pw.start, pw.text, fixture);
          continue;
        }
        out.push({
          start: pw.start,
          end: pw.end,
          message: `${scheme} URL has the password ${maskSecret(pw.text)} inline; read the URL or the password from the environment`,
        });
      }
      return out;
    },
    ...samples,
  };
}

// The generic assignment: `name = "value"`, `name: "value"`, `"name": "value"`, Python kwargs and TS annotated
// declarations. Group 1 is the name; groups 2-4 the double-, single- or backtick-quoted value.
const QUOTED =
  '(?:^|[^A-Za-z0-9_$.])([A-Za-z_$][A-Za-z0-9_$.-]{1,60})["\']?[ \\t]*(?::[ \\t]*[A-Za-z_][A-Za-z0-9_.|<>\\[\\] ]{0,40}?[ \\t]*)?' +
  '(?::=|=>|:|=)[ \\t]*[rRbBuU]{0,2}(?:"([^"\\\\\\r\\n]{8,300})"|\'([^\'\\\\\\r\\n]{8,300})\'|`([^`\\\\$\\r\\n]{8,300})`)';
// Config files also allow bare values: `.env` `KEY=value`, YAML `key: value`, INI `key = value`, Dockerfile
// `ENV KEY=value`. Group 1 is the name, group 2 the value.
const BARE =
  '(?:^|[ \\t])([A-Za-z_][A-Za-z0-9_.-]{1,60})[ \\t]*(?::|=)[ \\t]*([^\\s"\'`#,;]{8,300})[ \\t]*(?:#[^\\r\\n]*)?\\r?$';

/** The generic rule: a random-looking value assigned to a secret-looking name. */
export function genericRule(samples: Samples): Rule {
  return {
    id: GENERIC_ID,
    // A guess from a name and a random-looking value; test fixtures are full of both on purpose.
    sourceOnly: true,
    title: 'Hardcoded secret in an assignment',
    description:
      'A random-looking value is assigned to a name such as api_key, token, password or client_secret, which suggests a hardcoded credential.',
    category: 'secret',
    severity: 'medium',
    cwe: ['CWE-798'],
    owasp: OWASP,
    kinds: SECRET_KINDS,
    keywords: ['key', 'secret', 'token', 'password', 'passwd', 'pwd', 'pass', 'auth', 'credential', 'bearer'],
    fixable: true,
    docs:
      '**What it finds.** A value assigned to a secret-looking name (the last word of the name is token, secret, ' +
      'password, passwd, pwd, pass, passphrase, auth, credential(s), authorization, or key after api/access/secret/' +
      'private/client/signing/… ) in JS/TS (`const apiKey = "…"`, `{ apiKey: "…" }`), Python (`API_KEY = "…"`, ' +
      '`Client(api_key="…")`), JSON, `.env`, YAML, TOML/INI and Dockerfile `ENV`. The value must be at least 8 ' +
      'characters, contain no spaces, mix character classes and have a Shannon entropy of at least 2.8 bits per ' +
      'character (3.0 from 16 characters). Placeholders are ignored: `YOUR_…`, `xxx…`, `<token>`, `changeme`, ' +
      '`${VAR}`, `${input:…}`, `${env:…}`, `{{…}}`, values mentioning example/dummy/test/sample/fake/placeholder/' +
      'redacted, environment variable NAMES in capitals (`"GITHUB_PERSONAL_ACCESS_TOKEN"`), words and labels, ' +
      'URLs, paths and format strings. Code that reads the environment (`process.env.X`, `os.environ[…]`) or a ' +
      'request is never a literal and never matches. Values that a provider rule recognises are left to it, ' +
      'including provider-shaped fixtures it dismisses (`glpat-mock-…`). Under names of issued credentials ' +
      '(token, API key, bearer) a value of words and short numbers (`mock-token-12345`) is a fixture, since issued ' +
      'tokens never read as words; passwords stay reported. Pagination cursors (`page_token`, `nextToken`) are not ' +
      "credentials. Truncated values (`…`, `...`), values after a doc comment's `@example`, `.d.ts` files and " +
      'generated API clients are documentation. In test, spec, fixture, script and build-config files this rule is ' +
      'left out unless the scan includes tests (`--include-tests`, `"includeTests"`); `--verbose` lists every ' +
      'dismissed candidate with the reason.' +
      `\n\n${WHY_MCP}\n\n${FIX_DOCS}`,
    detect(ctx) {
      const out: RawFinding[] = [];
      const consider = (name: string, whole: { start: number; end: number; text: string }) => {
        if (!isSecretName(name)) return;
        const why = whyNotSecret(name, whole.text);
        if (why) return dismiss(ctx, GENERIC_ID, whole.start, whole.text, why);
        // Report the credential, not the HTTP scheme in front of it (`Authorization: "Bearer …"`).
        const scheme = whole.text.length - stripAuthScheme(whole.text).length;
        const g = { start: whole.start + scheme, end: whole.end, text: whole.text.slice(scheme) };
        if (identifySecret(g.text, name, ctx.regex)) return;
        // A provider-shaped value that the provider rule judged a fixture (`glpat-mock…`) is not re-reported here.
        if (isPlaceholderToken(g.text) && providerFormatOf(g.text, name, ctx.regex)) return;
        if (coveredByProvider(ctx, g.start, g.end)) return;
        const fixture = fixtureReason(ctx, g.start, g.end);
        if (fixture) return dismiss(ctx, GENERIC_ID, g.start, g.text, fixture);
        const f: RawFinding = {
          start: g.start,
          end: g.end,
          message: `Value ${maskSecret(g.text)} assigned to '${name}' looks like a hardcoded secret; read it from the environment or a secret store`,
        };
        const fix = envFix(ctx, g.start, g.end, envNameOf(name) || 'SECRET', true);
        if (fix) f.fix = fix;
        out.push(f);
      };
      for (const m of ctx.re(QUOTED).matchAll(ctx.doc)) {
        const v = m.groups[2] ?? m.groups[3] ?? m.groups[4];
        if (v) consider(m.groups[1]!.text, v);
      }
      if (ctx.kind !== 'js' && ctx.kind !== 'python' && ctx.kind !== 'json') {
        for (const m of ctx.re(BARE, 'm').matchAll(ctx.doc)) consider(m.groups[1]!.text, m.groups[2]!);
      }
      return out;
    },
    ...samples,
  };
}

/** True when some provider rule already reports a secret overlapping [start, end). */
export function coveredByProvider(ctx: DetectContext, start: number, end: number): boolean {
  return PROVIDERS.some((spec) => providerHits(ctx, spec).some((h) => h.start < end && start < h.end));
}
