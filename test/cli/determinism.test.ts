// Deterministic parallel output: the JSON and SARIF reports of a scan are the same bytes whatever the number of
// worker threads, on fixture trees where cross-file facts, several file kinds and suppressions all play a part.
// (workers.test.ts checks the JSON report of examples/; this covers SARIF and the cross-file fixtures too.)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT, spawnCli } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-determinism-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The reports of one scan with `workers` threads, the one timing field zeroed. */
function reports(target: string, workers: number): { json: string; sarif: string } {
  const out = join(tmp, `${workers}`);
  const r = spawnCli([
    'scan',
    target,
    '--format',
    'json,sarif',
    '--output-dir',
    out,
    '--fail-on',
    'none',
    '--no-cache',
    '--workers',
    String(workers),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const read = (ext: string) =>
    readFileSync(join(out, `mcp-sentinel.${ext}`), 'utf8').replace(/"durationMs": [\d.]+/, '"durationMs": 0');
  return { json: read('json'), sarif: read('sarif') };
}

describe('cli: the same bytes with 1 and 4 workers', () => {
  for (const target of ['test/fixtures/cross-file', 'test/fixtures/cli/tools-cross', 'examples']) {
    test(target, () => {
      const one = reports(join(ROOT, target), 1);
      const four = reports(join(ROOT, target), 4);
      assert.ok((JSON.parse(one.json) as { findings: unknown[] }).findings.length > 0, 'the rules ran');
      assert.equal(four.json, one.json, 'JSON differs');
      assert.equal(four.sarif, one.sarif, 'SARIF differs');
    });
  }
});
