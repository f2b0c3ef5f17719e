// The streamed report of `scan`: the same bytes as the whole report built in memory (runScan + renderJson /
// renderSarif, what `scan` wrote before it streamed), findings in the output file while the scan is still going (a
// hook after each file, never a timer), a failed scan leaves no partial file, and the reorder window holds the
// producer back.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli, type CliIo } from '../../server/cli/run';
import { runScan } from '../../server/cli/scan';
import { fileSpool, renderJson, renderSarif } from '../../server/reports';
import { InOrder } from '../../server/workers/ordered';
import { ROOT, writeWorkspace } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-streaming-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const zeroDuration = (s: string) => s.replace(/"durationMs": [\d.]+/, '"durationMs": 0');

/** An in-process CLI run with the real rules (so the scan goes through the worker pool), stdout and stderr kept. */
function io(tty = false): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    stdoutIsTTY: false,
    stderrIsTTY: tty,
    env: {},
    cwd: ROOT,
    out: () => out,
    err: () => err,
  };
}

describe('cli: the streamed report', () => {
  for (const target of ['examples', 'test/fixtures/cross-file']) {
    test(`${target}: JSON and SARIF are the bytes of the report built in memory`, async () => {
      const whole = await runScan({ paths: [join(ROOT, target)], workers: 2 });
      const dir = join(tmp, target.replace(/\W/g, '_'));
      const run = io();
      const args = ['scan', join(ROOT, target), '--format', 'json,sarif', '--output-dir', dir];
      const code = await runCli([...args, '--fail-on', 'none', '--no-cache', '--workers', '2'], run);
      assert.equal(code, 0, run.err());
      assert.ok(whole.report.findings.length > 0, 'the rules ran');
      const read = (ext: string) => zeroDuration(readFileSync(join(dir, `mcp-sentinel.${ext}`), 'utf8'));
      assert.equal(read('json'), zeroDuration(renderJson(whole.report)));
      assert.equal(read('sarif'), zeroDuration(renderSarif(whole)));
    });
  }

  test('the first file’s findings are in the output file before the scan has done every file', async () => {
    const files: Record<string, string> = {
      'a000.js': 'const token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";\nmodule.exports = token;\n',
    };
    for (let i = 1; i < 200; i++) files[`a${String(i).padStart(3, '0')}.js`] = `module.exports = ${i};\n`;
    const ws = writeWorkspace(tmp, 'many', files);
    const out = join(tmp, 'many.json');
    const run = io(true);
    let seen: { output: string; progress: string } | undefined;
    const code = await runCli(['scan', ws, '--format', 'json', '-o', out, '--no-cache', '--workers', '1'], run, {
      onFileWritten(file) {
        if (file === 'a000.js') seen = { output: readFileSync(out, 'utf8'), progress: run.err() };
      },
    });
    assert.equal(code, 1, run.err());
    assert.ok(seen, 'the hook saw the first file');
    assert.match(seen.output, /"file": "a000\.js"/, 'the finding was written when its file came');
    // The progress line counts files done; the reorder window keeps the scan from running far ahead.
    assert.doesNotMatch(seen.progress, /scanning 200\/200/, 'the scan had not finished');
    assert.equal(zeroDuration(readFileSync(out, 'utf8')).match(/"ruleId"/g)?.length, 1);
  });

  test('a scan that fails deletes what it wrote', async () => {
    const out = join(tmp, 'failed.json');
    const run = io();
    const code = await runCli(['scan', join(tmp, 'no-such-folder'), '--format', 'json', '-o', out], run);
    assert.equal(code, 2);
    assert.equal(existsSync(out), false);
  });
});

describe('InOrder', () => {
  test('emits in index order and holds back a result too far ahead', async () => {
    const emitted: number[] = [];
    const order = new InOrder<number>((i) => void emitted.push(i), 2);
    assert.equal(order.put(1, 1), undefined, 'within the window');
    const wait = order.put(2, 2);
    assert.ok(wait, 'two ahead of the next one: the producer waits');
    assert.deepEqual(emitted, []);
    let released = false;
    void wait.then(() => (released = true));
    assert.equal(order.put(0, 0), undefined);
    await wait;
    assert.ok(released);
    assert.deepEqual(emitted, [0, 1, 2]);
  });

  test('a failing consumer releases every producer and keeps its error', async () => {
    const order = new InOrder<number>(() => {
      throw new Error('disk full');
    }, 1);
    const wait = order.put(3, 3);
    assert.ok(wait);
    order.put(0, 0);
    await wait;
    assert.match(String((order.error?.error as Error).message), /disk full/);
  });
});

describe('fileSpool', () => {
  test('gives back every line in order, across chunks and multi-byte characters', () => {
    const spool = fileSpool(tmp);
    const lines = Array.from({ length: 5000 }, (_, i) => `{"n":${i},"s":"${'é€😀'.repeat(i % 7)}"}`);
    for (const l of lines) spool.append(l);
    assert.deepEqual([...spool.lines()], lines);
    spool.dispose();
  });
});
