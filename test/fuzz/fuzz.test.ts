// The fuzz corpus: thousands of generated hostile-but-plausible files (generate.ts) scanned with the built-in rules
// and a few custom rules on BOTH regex engines in one process. Every file must give identical findings and workspace
// facts on RE2 and on the JS backend, no exception and no rule failure, and finish: files run in child processes
// that a watchdog replaces when one stops reporting, so a hang fails the test with the file named instead of
// blocking it. `npm run fuzz` runs a larger corpus (FUZZ_FILES, FUZZ_SEED in the environment choose it).
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Finding } from '../../shared/types';
import { initParsers } from '../../server/analysis/parse';
import { nestingProblem } from '../../server/core/depth';
import { createDetectContext } from '../../server/core/context';
import { classifyPath } from '../../server/core/fileKinds';
import { createBackend, type RegexBackend } from '../../server/core/regex';
import { Engine } from '../../server/engine/engine';
import { factsOfFile } from '../../server/engine/facts';
import { customRuleToRule } from '../../server/rules/custom';
import type { CustomRuleConfig } from '../../server/project/types';
import { builtinRules } from '../../server/rules';
import { generate } from './generate';

const FILES = Number(process.env.FUZZ_FILES ?? 2500);
const SEED = Number(process.env.FUZZ_SEED ?? 20_241_203);
/**
 * A file on which a child spends this much CPU time without reporting is a hang. Most files take milliseconds; the slowest are those where
 * tree-sitter's error recovery is superlinear (a 100 KB broken Python line takes about 10 s to parse, per engine),
 * which the front ends' per-file budget bounds.
 */
const HANG_MS = Number(process.env.FUZZ_HANG_MS ?? 60_000);
/** How often the watchdog looks at a child's CPU time. */
const CHECK_MS = 2_000;

/** CPU time (user + system) a process has used, in milliseconds, from /proc; undefined where /proc is missing. */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime and
    // stime are the 12th and 13th of them, in clock ticks (100 per second on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Files slower than this are counted as slow in the report (not a failure). */
const SLOW_MS = 10_000;
const WORKERS = 2;

/** What a worker reports for one file. */
interface FileResult {
  index: number;
  path: string;
  recipe: string[];
  /** Milliseconds per engine. */
  ms: number[];
  findings: number;
  /** An exception or rule failure, when there was one. */
  crash?: string;
  /** Findings (or facts) present on one engine only. */
  differing: string[];
}

/** Custom rules as a hostile project config would declare them: catastrophic for a backtracking engine. */
const CUSTOM = [
  { id: 'custom-a-run', message: 'a run', severity: 'low', category: 'other', pattern: '(a+)+$' },
  { id: 'custom-words', message: 'words', severity: 'low', category: 'other', pattern: '(\\w+\\s?)+$', flags: 'i' },
  {
    id: 'custom-password',
    message: 'pw',
    severity: 'high',
    category: 'secret',
    pattern: '^\\s*password\\s*=\\s*\\S+$',
    flags: 'im',
  },
] satisfies CustomRuleConfig[];

function describe(f: Finding): string {
  const r = f.range;
  return `${f.ruleId} ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${f.severity} ${f.fingerprint} ${f.message}`;
}

/** Scans files [from, to) on both engines and reports each result to the parent. */
async function worker(from: number, to: number): Promise<void> {
  await initParsers();
  const rules = [...builtinRules, ...CUSTOM.map((c) => customRuleToRule({ ...c }))];
  const backends: RegexBackend[] = [createBackend('re2'), createBackend('js')];
  const engines = backends.map((b) => new Engine(rules, {}, b));
  for (let index = from; index < to; index++) {
    process.send!({ type: 'start', index });
    const file = generate(SEED, index);
    const kind = classifyPath(file.path);
    const result: FileResult = { index, path: file.path, recipe: file.recipe, ms: [], findings: 0, differing: [] };
    const seen: string[][] = [];
    try {
      nestingProblem(kind, file.text);
      engines.forEach((engine, i) => {
        const t0 = performance.now();
        // One detector context for the facts and the rules, as the language server's worker shares it: one parse.
        let facts = 'null';
        let scan = { findings: [] as Finding[], errors: [] as { ruleId: string; message: string }[] };
        if (kind) {
          const { ctx, dispose } = createDetectContext(backends[i]!, file.path, file.text, kind);
          try {
            facts = JSON.stringify(factsOfFile(backends[i]!, file.path, file.text, kind, ctx) ?? null);
            scan = engine.scan(ctx);
          } finally {
            dispose();
          }
        }
        result.ms.push(performance.now() - t0);
        if (scan.errors.length) throw new Error(`rule ${scan.errors[0]!.ruleId} failed: ${scan.errors[0]!.message}`);
        seen.push([`facts ${facts}`, ...scan.findings.map(describe)]);
      });
      const [a, b] = seen as [string[], string[]];
      result.findings = a.length - 1;
      const inB = new Set(b);
      const inA = new Set(a);
      for (const x of a) if (!inB.has(x)) result.differing.push(`re2 only: ${x}`);
      for (const x of b) if (!inA.has(x)) result.differing.push(`js only: ${x}`);
    } catch (e) {
      result.crash = e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 3).join(' | ') : String(e);
    }
    process.send!({ type: 'done', result });
  }
  process.send!({ type: 'end' });
}

/** Runs the corpus in child processes, replacing a child that stops reporting; resolves with every file's outcome. */
function runCorpus(): Promise<{ results: FileResult[]; hangs: { index: number; path: string; recipe: string[] }[] }> {
  const results: FileResult[] = [];
  const hangs: { index: number; path: string; recipe: string[] }[] = [];
  const slice = Math.ceil(FILES / WORKERS);
  const runs: Promise<void>[] = [];
  for (let w = 0; w < WORKERS; w++) {
    const end = Math.min(FILES, (w + 1) * slice);
    runs.push(
      new Promise<void>((resolve) => {
        const start = (from: number) => {
          if (from >= end) return resolve();
          const child: ChildProcess = fork(__filename, [], {
            env: { ...process.env, FUZZ_WORKER: `${from}:${end}` },
            stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
          });
          let current = from;
          let timer: NodeJS.Timeout | undefined;
          // A hang is a file on which the child spends HANG_MS of its own CPU time without reporting: CPU time,
          // not wall time, so a loaded machine (which slows every file) is not mistaken for a hang. A child that
          // is stuck without using the CPU is caught by the wall-time cap.
          let since = { cpu: cpuMsOf(child.pid), wall: performance.now() };
          const arm = () => {
            clearTimeout(timer);
            since = { cpu: cpuMsOf(child.pid), wall: performance.now() };
            const check = () => {
              const cpu = cpuMsOf(child.pid);
              const stuck =
                cpu === undefined || since.cpu === undefined
                  ? performance.now() - since.wall > HANG_MS
                  : cpu - since.cpu > HANG_MS || performance.now() - since.wall > 10 * HANG_MS;
              if (!stuck) {
                timer = setTimeout(check, CHECK_MS);
                return;
              }
              const f = generate(SEED, current);
              hangs.push({ index: current, path: f.path, recipe: f.recipe });
              child.removeAllListeners('exit');
              child.kill('SIGKILL');
              start(current + 1);
            };
            timer = setTimeout(check, CHECK_MS);
          };
          arm();
          child.on('message', (m: { type: string; index?: number; result?: FileResult }) => {
            if (m.type === 'start') current = m.index!;
            else if (m.type === 'done') results.push(m.result!);
            arm();
            if (m.type === 'end') {
              clearTimeout(timer);
              resolve();
            }
          });
          child.on('exit', (code, signal) => {
            clearTimeout(timer);
            if (code === 0) return;
            // A worker that dies (a native crash, running out of memory) loses only the file it was on.
            const f = generate(SEED, current);
            const crash = `the scanning process exited (${signal ?? `code ${code}`})`;
            results.push({ index: current, path: f.path, recipe: f.recipe, ms: [], findings: 0, crash, differing: [] });
            start(current + 1);
          });
        };
        start(w * slice);
      }),
    );
  }
  return Promise.all(runs).then(() => ({ results, hangs }));
}

if (process.env.FUZZ_WORKER) {
  const [from, to] = process.env.FUZZ_WORKER.split(':').map(Number) as [number, number];
  worker(from, to).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  let re2Loads = true;
  try {
    createBackend('re2');
  } catch {
    re2Loads = false;
  }
  test(
    `fuzz corpus: ${FILES} hostile files, identical findings on RE2 and JS, no crash, no hang`,
    { skip: !re2Loads && 'RE2 does not load here' },
    async () => {
      const t0 = performance.now();
      const { results, hangs } = await runCorpus();
      const crashes = results.filter((r) => r.crash);
      const differing = results.filter((r) => r.differing.length);
      const findings = results.reduce((n, r) => n + r.findings, 0);
      const slowest = [...results].sort((a, b) => Math.max(...b.ms) - Math.max(...a.ms))[0];
      const slow = results.filter((r) => r.ms.reduce((a, b) => a + b, 0) > SLOW_MS).length;
      // The counts are the test's report: printed whether it passes or not.
      console.log(
        `fuzz seed ${SEED}: ${results.length + hangs.length} inputs, ${findings} findings (RE2), ` +
          `${crashes.length} crashes, ${hangs.length} hangs, ${differing.length} files with differing findings ` +
          `(${differing.reduce((n, r) => n + r.differing.length, 0)} findings), ` +
          `${slow} over ${SLOW_MS / 1000} s, slowest ${slowest ? Math.max(...slowest.ms).toFixed(0) : 0} ms per engine, ` +
          `${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      const show = (r: { index: number; path: string; recipe: string[] }) => `#${r.index} ${r.path} [${r.recipe}]`;
      if (process.env.FUZZ_VERBOSE)
        for (const r of [...results].sort((a, b) => Math.max(...b.ms) - Math.max(...a.ms)).slice(0, 10))
          console.log(`  ${r.ms.map((m) => m.toFixed(0)).join('/')} ms ${show(r)}`);
      assert.deepEqual(hangs.map(show), [], 'files that did not finish');
      assert.deepEqual(
        crashes.map((r) => `${show(r)}: ${r.crash}`),
        [],
        'files that crashed',
      );
      assert.deepEqual(
        differing.slice(0, 10).map((r) => `${show(r)}: ${r.differing.slice(0, 4).join(' / ')}`),
        [],
        'files whose findings differ between RE2 and JS',
      );
      assert.equal(results.length + hangs.length, FILES);
    },
  );
}
