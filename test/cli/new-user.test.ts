// The "tried as a new user would" flow, end to end with the real rule packs on a temporary copy of the
// e2e single-root fixture: suppress a finding inline, accept today's findings with a baseline, add one new secret,
// and write a custom rule the engines cannot share. The steps run in order and build on each other, like a person's
// session; the last step also goes through the real `dist/cli.js` process.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { JsonReport } from '../../server/reports/model';
import { cli, ROOT, spawnCli, type CliRun } from './helpers';

const work = join(mkdtempSync(join(tmpdir(), 'mcp-sentinel-new-user-')), 'project');
cpSync(join(ROOT, 'test/e2e/fixtures/single-root'), work, { recursive: true });
after(() => rmSync(join(work, '..'), { recursive: true, force: true }));

/** The real rule packs (no test rules), run from inside the project like `npx mcp-sentinel …`. */
function run(...argv: string[]): Promise<CliRun> {
  return cli(argv, { cwd: work, project: {} });
}

async function json(...argv: string[]): Promise<JsonReport> {
  const r = await run('scan', '.', '--format', 'json', '--fail-on', 'none', ...argv);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as JsonReport;
}

const TOOLS = join(work, 'tools.py');
const REASON = 'the path comes from a fixed list of mount points';
/** A GitHub token shape with no real account behind it. */
const NEW_SECRET = 'ghp_R8x2Lq7Vn4Tz9Kc1Wm5Hb3Yd6Fs0Jp2Ge8Ua';

describe('cli: a new user suppresses, baselines and writes a custom rule', () => {
  test('1. the command injection in tools.py is reported before anything is suppressed', async () => {
    const rep = await json();
    const hits = rep.findings.filter((f) => f.ruleId === 'py-command-injection');
    assert.equal(hits.length, 1);
    assert.equal(hits[0]!.suppressed, undefined);
    assert.match((await run('scan', '.', '--fail-on', 'none')).stdout, /py-command-injection/);
  });

  test('2. an inline suppression hides it from the text report, and JSON / --show-suppressed keep it with the reason', async () => {
    const lines = readFileSync(TOOLS, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('shell=True'));
    assert.ok(at > 0, 'the shell=True line is in the fixture');
    const indent = /^\s*/.exec(lines[at]!)![0];
    lines.splice(at, 0, `${indent}# mcp-sentinel-ignore py-command-injection: ${REASON}`);
    writeFileSync(TOOLS, lines.join('\n'));

    const text = await run('scan', '.', '--fail-on', 'none');
    assert.equal(text.code, 0);
    assert.doesNotMatch(text.stdout, /py-command-injection/, 'gone from the default text report');
    assert.match(text.stdout, /\(1 suppressed\)/);
    const shown = (await run('scan', '.', '--fail-on', 'none', '--show-suppressed')).stdout;
    assert.match(shown, new RegExp(`py-command-injection \\[suppressed: inline — ${REASON}\\]`));

    const rep = await json();
    const f = rep.findings.find((x) => x.ruleId === 'py-command-injection');
    assert.deepEqual(f?.suppressed, { kind: 'inline', reason: REASON });
    assert.equal(rep.stats.suppressed, 1);
    assert.ok(
      !rep.findings.some((x) => x.ruleId.startsWith('mcp-sentinel-')),
      'no complaint about the suppression itself',
    );
  });

  test('3. `baseline` then `scan --baseline` on the unchanged tree reports zero new findings and exits 0', async () => {
    const b = await run('baseline', '.', '--output', '.mcp-sentinel/baseline.json');
    assert.equal(b.code, 0, b.stderr);
    const scan = await run('scan', '.', '--baseline', '.mcp-sentinel/baseline.json');
    assert.equal(scan.code, 0, `nothing new fails the default threshold: ${scan.stdout}${scan.stderr}`);
    assert.match(scan.stdout, /^No findings \(\d+ suppressed\)/m);
    const rep = await json('--baseline', '.mcp-sentinel/baseline.json');
    assert.equal(rep.stats.findings, 0);
    assert.ok(rep.stats.suppressed >= 7, `today's findings are kept as suppressed: ${rep.stats.suppressed}`);
  });

  test('4. one new secret added above the old findings (moving their lines) is exactly one new finding', async () => {
    const text = readFileSync(TOOLS, 'utf8');
    writeFileSync(TOOLS, text.replace('import subprocess\n', `import subprocess\n\nGITHUB_TOKEN = "${NEW_SECRET}"\n`));
    const rep = await json('--baseline', '.mcp-sentinel/baseline.json');
    const live = rep.findings.filter((f) => !f.suppressed);
    assert.equal(live.length, 1, `exactly one new finding: ${JSON.stringify(live)}`);
    assert.equal(live[0]!.ruleId, 'secret-github-pat');
    assert.equal(live[0]!.file, 'tools.py');
    // The old findings of tools.py moved two lines down and are still recognised by their fingerprints.
    const aws = rep.findings.find((f) => f.ruleId === 'secret-aws-access-key-id')!;
    assert.equal(aws.range.start.line, 8);
    assert.equal(aws.suppressed?.kind, 'baseline');
    const scan = await run('scan', '.', '--baseline', '.mcp-sentinel/baseline.json');
    assert.equal(scan.code, 1, 'the new high finding fails the default threshold');
    assert.match(scan.stdout, /^1 finding \(1 high\) in 1 file/m);
    assert.ok(!scan.stdout.includes(NEW_SECRET), 'the secret is masked');
  });

  test('5. a custom rule with a lookahead is refused: exit 2, stderr names the rule and the reason', async () => {
    writeFileSync(
      join(work, '.mcp-sentinel.json'),
      JSON.stringify(
        {
          customRules: [
            {
              id: 'token-before-colon',
              message: 'A token label',
              severity: 'high',
              category: 'secret',
              pattern: 'token(?=:)',
            },
          ],
        },
        null,
        2,
      ),
    );
    const check = (r: CliRun, how: string) => {
      assert.equal(r.code, 2, `${how}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, '', `${how}: no report`);
      assert.match(r.stderr, /custom rule "token-before-colon": pattern uses syntax RE2 cannot run: lookahead/, how);
      assert.match(r.stderr, /\.mcp-sentinel\.json:\d+:\d+/, `${how}: the config position is given`);
    };
    check(await run('scan', '.'), 'in-process');
    check(spawnCli(['scan', '.'], work), 'dist/cli.js');
  });
});
