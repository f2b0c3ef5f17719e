// Shared by the CLI tests: the repository root, an in-process CLI runner with deterministic test rules, and a
// spawner for the built dist/cli.js.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import assert from 'node:assert/strict';
import type { Severity } from '../../shared/types';
import { openProject, type OpenProjectOptions } from '../../server/engine/project';
import { defineRule, type Rule } from '../../server/core/rule';
import { maskSecret } from '../../server/core/mask';
import { builtinRules } from '../../server/rules';
import { runCli, type CliIo } from '../../server/cli/run';

/** The repository root (the folder whose package.json is mcp-sentinel's), found from the bundle's location. */
export const ROOT: string = (() => {
  let d = __dirname;
  while (d !== dirname(d)) {
    const p = join(d, 'package.json');
    if (existsSync(p) && (JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'mcp-sentinel') return d;
    d = dirname(d);
  }
  throw new Error('repository root not found');
})();

/** A fixture path under test/fixtures/cli/. */
export function fixture(...parts: string[]): string {
  return join(ROOT, 'test/fixtures/cli', ...parts);
}

/**
 * A secret-category test rule: `tsk_` followed by 20 alphanumerics, masked in its message like the real secret
 * rules. It lets the report tests cover secret masking without depending on the real rule packs.
 */
export const testSecretRule: Rule = defineRule({
  id: 'test-secret',
  title: 'Test secret',
  description: 'A fake secret format used by the CLI tests.',
  category: 'secret',
  severity: 'critical',
  cwe: ['CWE-798'],
  owasp: [],
  kinds: ['js', 'python', 'mcp-config', 'vscode-settings', 'json', 'dotenv', 'yaml', 'dockerfile', 'text'],
  keywords: ['tsk_'],
  docs: 'Test only.',
  detect(ctx) {
    return ctx
      .re('tsk_[A-Za-z0-9]{20}')
      .matchAll(ctx.doc)
      .map((m) => ({
        start: m.start,
        end: m.end,
        message: `Test secret ${maskSecret(ctx.text.slice(m.start, m.end))}`,
      }));
  },
  positive: [{ path: 'a.ts', code: 'const k = "«tsk_abcdefghij0123456789»";' }],
  negative: [{ path: 'a.ts', code: 'const k = process.env.K;' }],
});

const MARK_SEVERITY: Record<string, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  INFO: 'info',
};

/** A marker rule: `MARK_HIGH`, `MARK_LOW`… yield one finding of that severity (category `other`). */
export const testMarkerRule: Rule = defineRule({
  id: 'test-marker',
  title: 'Test marker',
  description: 'A marker that the CLI tests plant in fixtures.',
  category: 'other',
  severity: 'medium',
  cwe: [],
  owasp: [],
  kinds: ['js', 'python', 'mcp-config', 'vscode-settings', 'json', 'dotenv', 'yaml', 'dockerfile', 'text'],
  keywords: ['MARK_'],
  docs: 'Test only.',
  detect(ctx) {
    return ctx
      .re('MARK_(CRITICAL|HIGH|MEDIUM|LOW|INFO)')
      .matchAll(ctx.doc)
      .map((m) => {
        const word = ctx.text.slice(m.start + 5, m.end);
        return {
          start: m.start,
          end: m.end,
          message: `Marker <${word.toLowerCase()}> & "quoted"`,
          severity: MARK_SEVERITY[word],
        };
      });
  },
  positive: [{ path: 'a.ts', code: '// «MARK_HIGH»' }],
  negative: [{ path: 'a.ts', code: '// MARKER' }],
});

let engineRuleIds: Promise<string[]> | undefined;

/** Ids of every rule the engine registers by itself (built-in and meta rules), read from a real project. */
function registeredRuleIds(): Promise<string[]> {
  engineRuleIds ??= (async () => {
    const empty = mkdtempSync(join(tmpdir(), 'mcp-sentinel-empty-'));
    try {
      const ids = (await openProject(empty)).engine.rules.map((r) => r.id);
      return [...new Set([...ids, ...builtinRules.map((r) => r.id)])];
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  })();
  return engineRuleIds;
}

/** Project options with only the two test rules enabled: every rule the engine registers itself is switched off. */
export async function testRulesOnly(): Promise<OpenProjectOptions> {
  const ids = await registeredRuleIds();
  return {
    extraRules: [testSecretRule, testMarkerRule],
    overrides: { rules: Object.fromEntries(ids.map((id) => [id, 'off' as const])) },
  };
}

/** The captured result of one in-process CLI run. */
export interface CliRun {
  /** Exit code. */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

/** Runs the CLI in-process with the test rules only (unless `options` says otherwise). */
export async function cli(
  argv: string[],
  opts: { cwd?: string; tty?: boolean; env?: Record<string, string>; project?: OpenProjectOptions } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    stdoutIsTTY: opts.tty ?? false,
    stderrIsTTY: opts.tty ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd ?? ROOT,
  };
  const code = await runCli(argv, io, { projectOptions: opts.project ?? (await testRulesOnly()) });
  return { code, stdout, stderr };
}

/** Spawns the built CLI (dist/cli.js) as a real process. */
export function spawnCli(argv: string[], cwd = ROOT, env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...argv], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The official SARIF 2.1.0 schema, compiled with ajv (the schema ships with the Multitool package). */
export function sarifValidator(): ReturnType<Ajv2020['compile']> {
  const schemaPath = join(ROOT, 'node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json');
  if (!existsSync(schemaPath))
    assert.fail(`the SARIF schema ships with @microsoft/sarif-multitool-linux; not found at ${schemaPath}`);
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // The schema uses these formats; ajv needs a definition for each (ajv-formats is not installed).
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
  ajv.addFormat('uri-reference', /^[^\s]*$/);
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  return ajv.compile(schema);
}

/** Writes a workspace folder `parent/name` holding the given files (relative path → text) and returns its path. */
export function writeWorkspace(parent: string, name: string, files: Record<string, string>): string {
  const dir = join(parent, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}
