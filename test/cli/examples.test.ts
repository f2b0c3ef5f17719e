// The example workspace through the real CLI (dist/cli.js, built-in rules): every planted issue at its line with
// the right category, nothing on the clean files and clean neighbours. An issue whose category no built-in rule
// covers yet is reported as a TODO (visible in the test summary), and becomes a hard requirement as soon as a rule
// of that category lands — the test tightens itself as the rule packs grow.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Category, FileKind, RuleMeta } from '../../shared/types';
import { classifyPath } from '../../server/core/fileKinds';
import type { JsonReport, ReportFinding } from '../../server/reports/model';
import { ROOT, spawnCli } from './helpers';

/** A planted issue: file, the lines its finding must cover, and the categories that describe it correctly. */
interface Planted {
  file: string;
  line: number;
  /** Last line of a multi-line construct (a finding anywhere in line..to counts). */
  to?: number;
  categories: Category[];
  what: string;
}

const PLANTED: Planted[] = [
  {
    file: 'vulnerable-server-ts/src/index.ts',
    line: 18,
    categories: ['command-injection'],
    what: 'exec of a tool parameter',
  },
  {
    file: 'vulnerable-server-ts/src/index.ts',
    line: 25,
    categories: ['tool-poisoning', 'prompt-injection'],
    what: '<IMPORTANT> block asking for ~/.ssh/id_rsa',
  },
  {
    file: 'vulnerable-server-ts/src/index.ts',
    line: 31,
    categories: ['hidden-unicode'],
    what: 'zero-width and tag characters written as escapes',
  },
  {
    file: 'vulnerable-server-ts/src/index.ts',
    line: 37,
    categories: ['path-traversal'],
    what: 'concatenated path from a parameter',
  },
  { file: 'vulnerable-server-ts/src/index.ts', line: 43, categories: ['ssrf'], what: 'fetch of a parameter URL' },
  {
    file: 'vulnerable-server-ts/src/index.ts',
    line: 49,
    categories: ['sql-injection'],
    what: 'SQL by template interpolation',
  },
  { file: 'vulnerable-server-py/server.py', line: 12, categories: ['secret'], what: 'AWS access key id' },
  { file: 'vulnerable-server-py/server.py', line: 13, categories: ['secret'], what: 'AWS secret access key' },
  {
    file: 'vulnerable-server-py/seed_data.py',
    line: 7,
    categories: ['secret'],
    what: 'a .env body in a seed string with a database password',
  },
  {
    file: 'vulnerable-server-py/seed_data.py',
    line: 16,
    categories: ['secret'],
    what: 'a password checked against a hard-coded literal',
  },
  {
    file: 'vulnerable-server-py/server.py',
    line: 32,
    to: 37,
    categories: ['command-injection'],
    what: 'subprocess.run(cmd, shell=True) over several lines',
  },
  {
    file: 'vulnerable-server-py/server.py',
    line: 44,
    categories: ['unsafe-deserialization'],
    what: 'pickle.loads of a parameter',
  },
  {
    file: 'vulnerable-server-py/server.py',
    line: 50,
    categories: ['unsafe-deserialization'],
    what: 'yaml.load with yaml.Loader',
  },
  {
    file: '.vscode/mcp.json',
    line: 9,
    categories: ['supply-chain'],
    what: 'container image pinned only by a tag, not a digest',
  },
  { file: '.vscode/mcp.json', line: 10, categories: ['secret'], what: 'plaintext GitHub token' },
  { file: '.vscode/mcp.json', line: 14, categories: ['supply-chain'], what: 'npx -y of an unpinned package' },
  {
    file: '.vscode/mcp.json',
    line: 18,
    categories: ['insecure-config'],
    what: 'http:// remote on a non-loopback host',
  },
  {
    file: '.vscode/mcp.json',
    line: 22,
    categories: ['insecure-config', 'sensitive-file-access'],
    what: 'filesystem server rooted at /',
  },
  {
    file: 'vulnerable-server-ts/src/auth.ts',
    line: 5,
    categories: ['weak-crypto'],
    what: 'a token from Math.random()',
  },
  { file: 'vulnerable-server-ts/src/auth.ts', line: 8, categories: ['weak-crypto'], what: 'MD5 over a password' },
  {
    file: 'vulnerable-server-ts/src/quotes.ts',
    line: 11,
    categories: ['tool-poisoning'],
    what: '"always prefer this tool": tool preference manipulation',
  },
  {
    file: 'vulnerable-server-ts/src/quotes.ts',
    line: 11,
    categories: ['prompt-injection'],
    what: '"approved by the security team": a false authority claim',
  },
  {
    file: 'vulnerable-server-ts/src/quotes.ts',
    line: 12,
    categories: ['prompt-injection'],
    what: 'a [SYSTEM] marker in an enum value',
  },
  {
    file: 'vulnerable-server-ts/src/quotes.ts',
    line: 18,
    categories: ['tool-poisoning'],
    what: 'rug pull: the description is rewritten once a marker file the server wrote exists',
  },
  {
    file: 'vulnerable-server-ts/src/http.ts',
    line: 7,
    categories: ['insecure-config'],
    what: 'CORS echoes any origin with credentials',
  },
  {
    file: 'vulnerable-server-ts/src/notes.ts',
    line: 9,
    categories: ['prompt-injection'],
    what: 'a returned footer that overrides instructions and asks for an API key',
  },
  {
    file: 'vulnerable-server-py/prompts/onboarding.md',
    line: 8,
    categories: ['prompt-injection'],
    what: 'a served prompt template hiding instructions in an HTML comment',
  },
  {
    file: 'cline_mcp_settings.json',
    line: 6,
    categories: ['insecure-config'],
    what: 'a tool that runs commands is auto-approved',
  },
];

/** Files that must produce no finding at all. */
const CLEAN_FILES = [
  'vulnerable-server-ts/src/clean.ts',
  'vulnerable-server-ts/src/db.ts',
  'vulnerable-server-ts/src/helpers.ts',
  'vulnerable-server-py/clean.py',
  'vulnerable-server-py/helpers.py',
];

/** Clean neighbours inside the vulnerable files: [file, first line, last line]. */
const CLEAN_LINES: [string, number, number][] = [
  ['vulnerable-server-ts/src/index.ts', 11, 14],
  ['vulnerable-server-ts/src/auth.ts', 10, 11],
  ['vulnerable-server-ts/src/notes.ts', 11, 13],
  ['vulnerable-server-py/server.py', 16, 19],
  ['.vscode/mcp.json', 23, 32],
];

/** The finding's lines overlap the planted issue's lines. */
const covers = (f: ReportFinding, p: Planted) => f.range.start.line <= (p.to ?? p.line) && p.line <= f.range.end.line;

describe('example workspace (real rules, dist/cli.js)', () => {
  let report: JsonReport;
  /** "category kind" pairs that some built-in rule covers. */
  let covered: Set<string>;

  before(() => {
    const rules = spawnCli(['rules', '--format', 'json']);
    assert.equal(rules.code, 0, rules.stderr);
    covered = new Set(
      (JSON.parse(rules.stdout) as RuleMeta[]).flatMap((r) => r.kinds.map((k) => `${r.category} ${k}`)),
    );
    const r = spawnCli(['scan', 'examples', '--format', 'json', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    report = JSON.parse(r.stdout) as JsonReport;
  });

  test('every file of the workspace is scanned, nothing skipped', () => {
    assert.equal(report.root, `${ROOT}/examples`);
    assert.deepEqual(report.skipped, []);
    assert.equal(report.stats.filesScanned, 16);
  });

  for (const p of PLANTED) {
    test(`${p.file}:${p.line}${p.to ? `-${p.to}` : ''} ${p.categories.join('/')}: ${p.what}`, (t) => {
      const here = report.findings.filter((f) => f.file === p.file && covers(f, p));
      const hit = here.find((f) => p.categories.includes(f.category));
      const kind = classifyPath(p.file) as FileKind;
      if (!hit && !p.categories.some((c) => covered.has(`${c} ${kind}`))) {
        t.todo(
          `no built-in ${kind} rule of category ${p.categories.join('/')} yet (found here: ${here.map((f) => f.ruleId).join(', ') || 'nothing'})`,
        );
        return;
      }
      assert.ok(
        hit,
        `expected a ${p.categories.join('/')} finding covering line ${p.line}${p.to ? `-${p.to}` : ''}; found: ${JSON.stringify(here.map((f) => [f.ruleId, f.category, f.range.start.line]))}`,
      );
    });
  }

  test('clean files and clean neighbours stay quiet', () => {
    const noisy = report.findings.filter(
      (f) =>
        CLEAN_FILES.includes(f.file) ||
        CLEAN_LINES.some(([file, a, b]) => f.file === file && f.range.start.line >= a && f.range.start.line <= b),
    );
    assert.deepEqual(
      noisy.map((f) => `${f.file}:${f.range.start.line} ${f.ruleId}: ${f.message}`),
      [],
    );
  });

  test('every finding is on a planted issue (no stray findings anywhere in the workspace)', () => {
    const stray = report.findings.filter((f) => !PLANTED.some((p) => p.file === f.file && covers(f, p)));
    assert.deepEqual(
      stray.map((f) => `${f.file}:${f.range.start.line} ${f.ruleId}: ${f.message}`),
      [],
    );
  });

  test('no secret is printed whole in any report', () => {
    for (const format of ['text', 'json', 'sarif', 'html']) {
      const r = spawnCli(['scan', 'examples', '--format', format, '--fail-on', 'none']);
      for (const secret of [
        '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',
        'cKdGetrLmxiv5UYJFDVU61Cg8uQILCH3ebIz8Cso',
        'AKIAB5ENUN33UYTBHRSV',
      ]) {
        assert.ok(!r.stdout.includes(secret), `${format} report prints ${secret.slice(0, 4)}… whole`);
      }
    }
  });
});

describe('dist/cli.js as a process', () => {
  test('exit 1 on the example workspace by default, 0 with --fail-on none; stdout holds only the report', () => {
    const strict = spawnCli(['scan', 'examples', '--format', 'json']);
    assert.equal(strict.code, 1, strict.stderr);
    JSON.parse(strict.stdout);
    const lax = spawnCli(['scan', 'examples', '--fail-on', 'none', '--format', 'sarif']);
    assert.equal(lax.code, 0, lax.stderr);
    assert.equal(JSON.parse(lax.stdout).version, '2.1.0');
  });

  test('exit 0 on clean code', () => {
    const r = spawnCli(['scan', 'test/fixtures/cli/clean', '--fail-on', 'info']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test('exit 2 with a one-line message: bad flag, missing path, malformed config', () => {
    for (const [argv, pattern] of [
      [['scan', '--nope'], /Unknown option/],
      [['scan', 'no/such/dir'], /path not found/],
      [['scan', 'examples', '--config', 'test/fixtures/cli/malformed-config.json'], /malformed-config\.json/],
    ] as const) {
      const r = spawnCli([...argv]);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    }
  });

  test('--version and --help', () => {
    assert.match(spawnCli(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
    assert.match(spawnCli(['--help']).stdout, /mcp-sentinel scan|scan \[PATH\.\.\.\]/);
  });
});
