import { codeFactsOf } from '../../analysis/sinks';
import { calleeOf, keywordArgNode, stripQuotes, stripAwaitAndCasts } from '../../analysis/ast';
import { bundledDependencySpans, insideSpans } from '../../analysis/sinks/bundled';
import { qualify } from '../../analysis/sinks/facts';
import { literalText } from '../../analysis/sinks/values';
import { defineRule, type DetectContext, type RawFinding, type Rule } from '../../core/rule';
import { rulePair } from './rulePair';

/** The metadata both TLS rules share. */
type TlsShared = Pick<Rule, 'title' | 'description' | 'category' | 'severity' | 'cwe' | 'owasp' | 'docs' | 'fixable'>;
/** What each TLS rule declares itself: its id, keywords, detector and samples. */
type TlsOwn = Pick<Rule, 'id' | 'keywords' | 'detect' | 'positive' | 'negative'>;

/** Python HTTP libraries whose `verify`/`ssl` keyword turns certificate checks off. */
const PY_HTTP = /^(?:requests|httpx|aiohttp|urllib3)(?:\.|$)/;

/** `verify=False`, `ssl._create_unverified_context()`, `verify_mode = ssl.CERT_NONE` and `session.verify = False`. */
function pythonTlsOff(ctx: DetectContext): RawFinding[] {
  const facts = codeFactsOf(ctx);
  if (!facts || facts.lang !== 'python') return [];
  const out: RawFinding[] = [];
  for (const call of facts.calls) {
    const q = qualify(calleeOf(call)!, facts.aliases) ?? '';
    if (q === 'ssl._create_unverified_context') {
      out.push({
        start: call.startIndex,
        end: call.endIndex,
        message: 'ssl._create_unverified_context() builds a context that accepts any certificate.',
      });
      continue;
    }
    if (!PY_HTTP.test(q)) continue;
    for (const name of ['verify', 'ssl', 'verify_ssl']) {
      const kw = keywordArgNode(call, name);
      const v = kw?.childForFieldName('value');
      if (!kw || v?.type !== 'false') continue;
      out.push({
        start: kw.startIndex,
        end: kw.endIndex,
        message: `${name}=False on ${q} turns off TLS certificate verification.`,
        fix: { title: `Set ${name}=True`, edits: [{ start: v.startIndex, end: v.endIndex, newText: 'True' }] },
      });
    }
  }
  for (const a of facts.assignments) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (!left || !right) continue;
    if (
      left.type === 'attribute' &&
      left.childForFieldName('attribute')?.text === 'verify_mode' &&
      qualify(right, facts.aliases) === 'ssl.CERT_NONE'
    ) {
      out.push({
        start: a.startIndex,
        end: a.endIndex,
        message: 'verify_mode = ssl.CERT_NONE accepts any certificate.',
      });
    } else if (
      left.type === 'attribute' &&
      left.childForFieldName('attribute')?.text === 'verify' &&
      right.type === 'false'
    ) {
      out.push({
        start: a.startIndex,
        end: a.endIndex,
        message: 'session.verify = False turns off TLS certificate verification.',
        fix: {
          title: 'Set verify = True',
          edits: [{ start: right.startIndex, end: right.endIndex, newText: 'True' }],
        },
      });
    }
  }
  return out;
}

/** `rejectUnauthorized: false` and `NODE_TLS_REJECT_UNAUTHORIZED = "0"` set in code. */
function jsTlsOff(ctx: DetectContext): RawFinding[] {
  const facts = codeFactsOf(ctx);
  if (!facts || facts.lang !== 'js') return [];
  const out: RawFinding[] = [];
  for (const p of facts.pairs) {
    const k = p.childForFieldName('key');
    const v = p.childForFieldName('value');
    if (!k || !v || stripQuotes(k.text) !== 'rejectUnauthorized' || v.type !== 'false') continue;
    out.push({
      start: p.startIndex,
      end: p.endIndex,
      message: 'rejectUnauthorized: false accepts any TLS certificate.',
      fix: {
        title: 'Set rejectUnauthorized: true',
        edits: [{ start: v.startIndex, end: v.endIndex, newText: 'true' }],
      },
    });
  }
  for (const a of facts.assignments) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (!left || !right || !/NODE_TLS_REJECT_UNAUTHORIZED/.test(left.text)) continue;
    const r = stripAwaitAndCasts(right);
    const value = r.type === 'string' ? literalText(r) : r.text;
    if (value === '0' || (r.type === 'number' && r.text === '0')) {
      out.push({
        start: a.startIndex,
        end: a.endIndex,
        message: 'Setting NODE_TLS_REJECT_UNAUTHORIZED to 0 turns off TLS verification for the whole process.',
      });
    }
  }
  return out;
}

/** TLS certificate verification turned off (`js-tls-verification-disabled`, `py-tls-verification-disabled`). */
export const { js: jsTlsVerificationDisabled, python: pyTlsVerificationDisabled } = rulePair<TlsShared, TlsOwn>(
  {
    shared: {
      title: 'TLS certificate verification disabled',
      description: 'Turning off certificate verification lets anyone on the network path read and alter the traffic.',
      category: 'insecure-config',
      severity: 'medium',
      cwe: ['CWE-295'],
      owasp: ['A02:2021', 'A07:2021'],
      docs: 'Finds code that turns off TLS certificate verification: `verify=False` on `requests`/`httpx` calls and clients, `ssl=False` in `aiohttp`, `ssl._create_unverified_context()`, `verify_mode = ssl.CERT_NONE`, `rejectUnauthorized: false`, and `NODE_TLS_REJECT_UNAUTHORIZED = "0"` set in code. Anyone on the network path can then read and alter the traffic, including tokens. Keep verification on; trust a private CA with `verify="/path/ca.pem"` or the `ca` option instead.',
      fixable: true,
    },
    js: {
      id: 'js-tls-verification-disabled',
      keywords: ['rejectUnauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED'],
      detect: jsTlsOff,
      positive: [
        {
          path: 'agent.ts',
          code: 'import https from "node:https";\nconst agent = new https.Agent({ «rejectUnauthorized: false» });\n«process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"»;\n',
        },
      ],
      negative: [
        {
          path: 'ok.ts',
          code: 'const agent = new https.Agent({ rejectUnauthorized: true, ca });\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = "1";\n// rejectUnauthorized: false\nconst doc = "rejectUnauthorized: false";\n',
        },
      ],
    },
    python: {
      id: 'py-tls-verification-disabled',
      keywords: ['verify', 'ssl', 'CERT_NONE', 'unverified'],
      detect: pythonTlsOff,
      positive: [
        {
          path: 'client.py',
          code: 'import requests, httpx, ssl\nr = requests.get(url, «verify=False», timeout=5)\nclient = httpx.AsyncClient(\n    «verify=False»,\n)\nctx = «ssl._create_unverified_context()»\n«ctx.verify_mode = ssl.CERT_NONE»\n',
        },
      ],
      negative: [
        {
          path: 'ok.py',
          code: 'import requests\nr = requests.get(url, verify=True)\nr = requests.get(url, verify="/etc/ca.pem")\nform.validate(verify=False)\n# requests.get(url, verify=False)\n',
        },
      ],
    },
  },
  (fields, lang) => defineRule({ ...fields, kinds: [lang] }),
);

/** Cloud metadata hosts; a URL that names one reaches instance credentials. */
const METADATA_HOSTS = [
  '169.254.169.254',
  'metadata.google.internal',
  '[fd00:ec2::254]',
  '169.254.170.2',
  '100.100.100.200',
  'metadata.azure.com',
];

/** Literal cloud-metadata URLs in source. */
export const cloudMetadataUrl = defineRule({
  id: 'cloud-metadata-url',
  title: 'Cloud metadata endpoint in a URL',
  description: "A URL that targets the cloud instance-metadata service can read the host's cloud credentials.",
  category: 'ssrf',
  severity: 'high',
  cwe: ['CWE-918'],
  owasp: ['A10:2021'],
  kinds: ['js', 'python'],
  keywords: METADATA_HOSTS.map((h) => h.replace(/[[\]]/g, '')),
  docs: 'Finds string literals holding a URL whose host is a cloud instance-metadata endpoint (169.254.169.254, metadata.google.internal, fd00:ec2::254, the ECS and Alibaba equivalents). An MCP server has no business reading instance credentials; in a tool this is how credentials are stolen. Bare addresses (for example in an SSRF denylist) are not reported: only `scheme://host` URLs.',
  detect(ctx) {
    const facts = codeFactsOf(ctx);
    if (!facts) return [];
    const out: RawFinding[] = [];
    // A dependency inlined by a bundler (`// node_modules/gcp-metadata/build/src/index.js`) declares the metadata
    // host as its own client's constant (google-auth-library's gcp-metadata): the library's business, not the
    // server's, as it would be in an unbundled node_modules folder the scan leaves alone.
    const bundled = bundledDependencySpans(ctx);
    for (const s of facts.strings) {
      // Template substitutions and f-string interpolations are code, not text: only literal pieces are searched.
      if (s.parent?.type === 'string' || s.parent?.type === 'template_string') continue;
      if (bundled.length && insideSpans(bundled, s.startIndex, s.endIndex)) continue;
      const text = s.text;
      for (const host of METADATA_HOSTS) {
        let i = text.indexOf('://' + host);
        while (i >= 0) {
          const start = s.startIndex + i + 3;
          out.push({
            start,
            end: start + host.length,
            message: `URL targets the cloud metadata endpoint ${host}, which serves instance credentials.`,
          });
          i = text.indexOf('://' + host, i + 3);
        }
      }
    }
    return out;
  },
  positive: [
    {
      path: 'dist/server.js',
      code: '// node_modules/gcp-metadata/build/src/index.js\nvar require_src = __commonJS(function(exports) {\n  exports.HOST_ADDRESS = "http://169.254.169.254";\n});\n\n// src/tools/creds.ts\nconst r = await fetch("http://«169.254.169.254»/latest/meta-data/iam/security-credentials/");\n',
      note: "the server's own code after a bundled dependency is still reported",
    },
    {
      path: 'steal.ts',
      code: 'const r = await fetch("http://«169.254.169.254»/latest/meta-data/iam/security-credentials/");\nconst g = await fetch(`http://«metadata.google.internal»/computeMetadata/v1/?recursive=${x}`);\n',
    },
    {
      path: 'steal.py',
      code: 'requests.get("http://«169.254.169.254»/latest/api/token")\nurl = f"http://«[fd00:ec2::254]»/latest/{path}"\n',
    },
  ],
  negative: [
    {
      path: 'deny.py',
      code: 'BLOCKED = ["169.254.169.254", "metadata.google.internal"]\n# curl http://169.254.169.254/latest\n',
    },
    { path: 'deny.ts', code: 'const BLOCKED = new Set(["169.254.169.254"]);\n// see http://169.254.169.254/\n' },
    {
      path: 'dist/index.js',
      code: '// node_modules/gcp-metadata/build/src/index.js\nvar require_src = __commonJS(function(exports) {\n  exports.BASE_PATH = "/computeMetadata/v1";\n  exports.HOST_ADDRESS = "http://169.254.169.254";\n  exports.SECONDARY_HOST_ADDRESS = "http://metadata.google.internal.";\n});\n\n// src/index.ts\nconst server = new McpServer({ name: "git" });\n',
      note: "google-auth-library's gcp-metadata client inlined by the bundler: the dependency's constant, not the server's code",
    },
  ],
});
