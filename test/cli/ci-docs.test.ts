// The CI recipes in docs/ci/ must run as written: the GitHub Actions matrix and the Kubernetes Indexed Job are
// parsed as YAML, their shell commands are expanded by a real `sh` for every shard (with `mcp-sentinel` replaced by
// a stand-in that prints its arguments), and the resulting argument lists go through the CLI's own parser. The
// README's commands go through the same parser, and neither names `npx`. The test
// fails when the shard arithmetic is off, two shards write the same file, the merge does not read every shard,
// or a flag is one the CLI does not accept.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, test } from 'node:test';
import picomatch from 'picomatch';
import { parse, parseAllDocuments } from 'yaml';
import { parseCommandLine, type CommonOptions } from '../../server/cli/args';
import { parseServeArgs } from '../../server/service/options';
import { parseProjectConfig } from '../../server/project/config';
import { parseIgnoreFile } from '../../server/project/ignoreFile';
import { catalogueIds } from '../../server/rules/catalogue';
import { ROOT } from './helpers';

const DOCS = join(ROOT, 'docs/ci');

/** One `mcp-sentinel` invocation found in a shell command: the parsed options and the raw arguments. */
interface Invocation {
  verb: string;
  options: CommonOptions;
  argv: string[];
}

// A folder of stand-ins put first on PATH: `mcp-sentinel` prints its arguments (NUL-separated, one line per call)
// and `npm` does nothing, so a recipe's install step is harmless and its scans are recorded, not run.
const fakeBin = mkdtempSync(join(tmpdir(), 'mcp-sentinel-ci-docs-'));
writeFileSync(join(fakeBin, 'mcp-sentinel'), `#!/bin/sh\nprintf '%s\\0' "$@"; printf '\\n'\n`, { mode: 0o755 });
writeFileSync(join(fakeBin, 'npm'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
after(() => rmSync(fakeBin, { recursive: true, force: true }));

/** True for a shell command that runs the CLI itself (not one that merely names the tarball). */
const runsCli = (run: unknown): run is string => typeof run === 'string' && /(?:^|[\s;&|(])mcp-sentinel\s/.test(run);

/**
 * Runs a shell command with `mcp-sentinel` replaced by a stand-in that prints its arguments, and returns every
 * invocation parsed by the CLI's argument parser. The recipes install the CLI from the packed tarball and never run
 * `npx`: the package is not on the registry, and `npx` of an unclaimed name is the supply-chain risk this tool
 * reports.
 */
function invocations(script: string, env: Record<string, string> = {}): Invocation[] {
  assert.doesNotMatch(script, /\bnpx\b/, `no npx in a recipe: ${script}`);
  const r = spawnSync('sh', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: `${fakeBin}${delimiter}${process.env.PATH ?? ''}`, ...env },
  });
  assert.equal(r.status, 0, `sh failed on ${script}: ${r.stderr}`);
  return r.stdout
    .split('\0\n')
    .filter(Boolean)
    .map((line) => {
      const args = line.split('\0');
      const cmd = parseCommandLine(args);
      assert.ok('options' in cmd, `a verb with options: ${args.join(' ')}`);
      return { verb: cmd.verb, options: cmd.options, argv: args };
    });
}

/** The workflow in github-actions.md: its one YAML code block. */
function workflow(): { text: string; wf: Record<string, any> } {
  const md = readFileSync(join(DOCS, 'github-actions.md'), 'utf8');
  const blocks = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.equal(blocks.length, 1, 'github-actions.md holds exactly one YAML block, the workflow');
  return { text: blocks[0]!, wf: parse(blocks[0]!) as Record<string, any> };
}

/** GitHub's `${{ matrix.shard }}` expression, substituted the way the runner does before the shell sees it. */
function expand(s: string, shard: number): string {
  return s.replace(/\$\{\{\s*matrix\.shard\s*\}\}/g, String(shard));
}

describe('docs/ci: GitHub Actions matrix', () => {
  test('each matrix job scans its own shard K/N to its own JSON file and uploads that file', () => {
    const { wf } = workflow();
    const scan = wf.jobs.scan;
    const shards: number[] = scan.strategy.matrix.shard;
    const n = shards.length;
    assert.deepEqual(
      shards,
      Array.from({ length: n }, (_, i) => i + 1),
      'matrix.shard lists 1..N',
    );
    assert.equal(scan.strategy['fail-fast'], false, 'one failing shard must not cancel the others');
    const outputs = new Set<string>();
    for (const k of shards) {
      const steps = scan.steps as Record<string, any>[];
      const runs = steps.filter((s) => runsCli(s.run));
      assert.equal(runs.length, 1, 'one scan step');
      const [inv] = invocations(expand(runs[0]!.run, k));
      assert.equal(inv!.verb, 'scan');
      assert.deepEqual(inv!.options.shard, { index: k, count: n }, `shard ${k}: --shard ${k}/${n}`);
      assert.deepEqual(inv!.options.formats, ['json'], 'merge reads JSON reports');
      assert.equal(inv!.options.failOn, 'none', 'findings do not stop the upload');
      const out = inv!.options.output!;
      assert.ok(out && !outputs.has(out), `shard ${k} writes its own file (${out})`);
      outputs.add(out);
      const upload = steps.find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
      assert.equal(expand(upload!.with.path, k), out, 'the uploaded file is the report');
      assert.ok(steps.indexOf(upload!) > steps.indexOf(runs[0]!), 'upload after the scan');
    }
    assert.equal(outputs.size, n);
  });

  test('the merge job downloads every shard, merges them to SARIF and uploads it to code scanning', () => {
    const { wf } = workflow();
    const n: number = wf.jobs.scan.strategy.matrix.shard.length;
    const merge = wf.jobs.merge;
    assert.ok([merge.needs].flat().includes('scan'), 'merge waits for the matrix');
    assert.equal(merge.permissions['security-events'], 'write', 'upload-sarif needs security-events: write');
    const steps = merge.steps as Record<string, any>[];
    const download = steps.find((s) => String(s.uses).startsWith('actions/download-artifact@'))!;
    const artifactNames = Array.from({ length: n }, (_, i) =>
      expand(
        wf.jobs.scan.steps.find((s: any) => String(s.uses).startsWith('actions/upload-artifact@')).with.name,
        i + 1,
      ),
    );
    assert.ok(
      artifactNames.every((a) => picomatch(download.with.pattern)(a)),
      `the download pattern ${download.with.pattern} matches ${artifactNames.join(', ')}`,
    );
    assert.equal(download.with['merge-multiple'], true, 'all reports land in one folder');
    const reports = Array.from({ length: n }, (_, i) => `${download.with.path}/shard-${i + 1}.json`);

    const runs = steps.filter((s) => runsCli(s.run));
    const merges = runs.flatMap((s) => invocations(s.run).map((inv) => ({ inv, step: s })));
    assert.ok(merges.length >= 1 && merges.every((m) => m.inv.verb === 'merge'));
    for (const { inv } of merges) {
      // The shell would expand the glob in the job; here no file exists, so it arrives as written.
      const isInput = picomatch(inv.options.paths);
      assert.ok(
        reports.every((r) => isInput(r)),
        `merge ${inv.options.paths.join(' ')} reads every shard report`,
      );
    }
    const sarif = merges.find((m) => m.inv.options.formats[0] === 'sarif')!;
    assert.ok(sarif, 'one merge writes SARIF');
    assert.equal(sarif.inv.options.failOn, 'none', 'the SARIF is written even when findings exist');
    const upload = steps.find((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'))!;
    assert.equal(upload.with.sarif_file, sarif.inv.options.output, 'the merged SARIF is what gets uploaded');
    assert.ok(steps.indexOf(upload) > steps.indexOf(sarif.step), 'upload after the merge');
    assert.ok(steps.indexOf(upload) > steps.indexOf(download), 'download before the merge');
    const gate = merges.find((m) => m.inv.options.failOn === 'high');
    assert.ok(gate && steps.indexOf(gate.step) > steps.indexOf(upload), 'the --fail-on gate runs after the upload');
  });
});

describe('docs/ci: Kubernetes Indexed Job', () => {
  const docsOf = (file: string) =>
    parseAllDocuments(readFileSync(join(DOCS, 'k8s', file), 'utf8')).map((d) => {
      assert.deepEqual(d.errors, [], `${file} parses`);
      return d.toJS() as Record<string, any>;
    });

  test('completionMode Indexed: index i scans shard i+1 of completions, each to its own file on the shared volume', () => {
    const all = docsOf('indexed-job.yaml');
    const job = all.find((d) => d.kind === 'Job')!;
    const pvc = all.find((d) => d.kind === 'PersistentVolumeClaim')!;
    assert.equal(job.spec.completionMode, 'Indexed');
    const n: number = job.spec.completions;
    assert.ok(Number.isInteger(n) && n >= 2, 'several completions');
    assert.ok(job.spec.parallelism >= 1 && job.spec.parallelism <= n, 'parallelism between 1 and completions');
    assert.ok(pvc.spec.accessModes.includes('ReadWriteMany'), 'shards on different nodes share the report volume');
    const pod = job.spec.template.spec;
    assert.equal(pod.restartPolicy, 'Never');
    const c = pod.containers.find((x: any) => x.name === 'scan');
    const env = Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));
    assert.equal(env.SHARDS, String(n), 'SHARDS equals completions');
    const reportsVolume = pod.volumes.find((v: any) => v.persistentVolumeClaim?.claimName === pvc.metadata.name);
    const mount = c.volumeMounts.find((m: any) => m.name === reportsVolume.name).mountPath;
    assert.deepEqual(c.command, ['sh', '-c']);
    const outputs = new Set<string>();
    for (let i = 0; i < n; i++) {
      const [inv] = invocations(c.args.join(' '), { ...env, JOB_COMPLETION_INDEX: String(i) });
      assert.equal(inv!.verb, 'scan');
      assert.deepEqual(inv!.options.shard, { index: i + 1, count: n }, `index ${i}`);
      assert.deepEqual(inv!.options.formats, ['json']);
      const out = inv!.options.output!;
      assert.ok(out.startsWith(`${mount}/`), `index ${i} writes to the shared volume (${out})`);
      assert.ok(!outputs.has(out), `index ${i} writes its own file`);
      outputs.add(out);
    }
    // Outside the Indexed Job there is no index: the arithmetic must not silently produce shard 1 everywhere.
    assert.throws(
      () => invocations(c.args.join(' '), { ...env, JOB_COMPLETION_INDEX: String(n) }),
      /K must be between 1 and N/,
    );
  });

  test('the merge Job reads every shard file from the same volume and writes SARIF there', () => {
    const scanDocs = docsOf('indexed-job.yaml');
    const job = scanDocs.find((d) => d.kind === 'Job')!;
    const pvc = scanDocs.find((d) => d.kind === 'PersistentVolumeClaim')!;
    const n: number = job.spec.completions;
    const c = job.spec.template.spec.containers.find((x: any) => x.name === 'scan');
    const env = Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));
    const reports = Array.from(
      { length: n },
      (_, i) => invocations(c.args.join(' '), { ...env, JOB_COMPLETION_INDEX: String(i) })[0]!.options.output!,
    );

    const [merge] = docsOf('merge-job.yaml').filter((d) => d.kind === 'Job');
    const pod = merge!.spec.template.spec;
    const mc = pod.containers[0];
    const vol = pod.volumes.find((v: any) => v.persistentVolumeClaim?.claimName === pvc.metadata.name);
    assert.ok(vol, 'the merge mounts the same claim');
    assert.equal(
      mc.volumeMounts.find((m: any) => m.name === vol.name).mountPath,
      reports[0]!.slice(0, reports[0]!.lastIndexOf('/')),
    );
    const invs = invocations(mc.args.join(' '));
    assert.ok(invs.length >= 1 && invs.every((i) => i.verb === 'merge'));
    for (const inv of invs) {
      const isInput = picomatch(inv.options.paths);
      assert.ok(
        reports.every((r) => isInput(r)),
        `merge ${inv.options.paths.join(' ')} reads ${reports.join(', ')}`,
      );
    }
    const sarif = invs.find((i) => i.options.formats[0] === 'sarif');
    assert.ok(sarif?.options.output, 'the merge writes a SARIF file');
    assert.ok(!picomatch(sarif.options.paths)(sarif.options.output), 'the merged SARIF is not read back as a shard');
  });
});

describe('README: every command and example works as written', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = (lang: string) =>
    [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

  test('no npx of the unpublished name, in the README or docs/ci', () => {
    const docs = ['README.md', 'docs/ci/github-actions.md', 'docs/ci/kubernetes-indexed-job.md'];
    for (const f of [...docs, 'docs/ci/k8s/indexed-job.yaml', 'docs/ci/k8s/merge-job.yaml', 'docs/ci/k8s/Dockerfile'])
      assert.doesNotMatch(
        readFileSync(join(ROOT, f), 'utf8'),
        /\bnpx\s+(?:-\S+\s+)*mcp-sentinel/,
        `${f} runs npx mcp-sentinel`,
      );
  });

  test('every mcp-sentinel command in its sh blocks is one the CLI accepts', () => {
    const lines = blocks('sh')
      .join('\n')
      // The usage synopsis continues over several lines; the options in brackets are the parser's own help.
      .replace(/\[[^\]\n]*\]/g, '')
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter((l) => /^mcp-sentinel\s/.test(l));
    assert.ok(lines.length >= 10, `found ${lines.length} commands`);
    for (const line of lines) {
      const args = line.split(/\s+/).slice(1);
      // `serve` has its own options (server/service/options.ts), parsed by the service's bundle.
      if (args[0] === 'serve') assert.doesNotThrow(() => parseServeArgs(args.slice(1), {}, ROOT, undefined), line);
      else assert.doesNotThrow(() => parseCommandLine(args), line);
    }
  });

  test('the one-job CI recipe scans to SARIF, uploads that file, then gates', () => {
    const [yaml] = blocks('yaml');
    const wf = parse(yaml!) as Record<string, any>;
    const job = Object.values(wf.jobs as Record<string, any>)[0]!;
    assert.equal(wf.permissions['security-events'], 'write');
    const steps = job.steps as Record<string, any>[];
    const cli = steps.filter((s) => runsCli(s.run)).flatMap((s) => invocations(s.run).map((inv) => ({ inv, s })));
    const sarif = cli.find((c) => c.inv.options.formats[0] === 'sarif')!;
    assert.equal(sarif.inv.options.failOn, 'none');
    const upload = steps.find((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'))!;
    assert.equal(upload.with.sarif_file, sarif.inv.options.output);
    const gate = cli.find((c) => c !== sarif)!;
    assert.ok(steps.indexOf(gate.s) > steps.indexOf(upload), 'the gate runs after the upload');
    assert.equal(gate.inv.options.failOn, undefined, 'the gate uses the default threshold, high');
  });

  test('the .mcp-sentinel.json and ignore-file examples load without an error', () => {
    const ids = catalogueIds();
    const [config] = blocks('jsonc');
    assert.deepEqual(parseProjectConfig(config!, '.mcp-sentinel.json', ids).errors, []);
    const ignore = blocks('json').find((b) => b.includes('"ignore"'))!;
    assert.deepEqual(parseIgnoreFile(ignore.replace(/^ {2}/gm, ''), 'ignore.json', ids).errors, []);
  });
});
