// The ignore list (config `ignore` and `.mcp-sentinel/ignore.json`): entries by fingerprint and by rule + glob,
// expiry with an injected clock, and the order of passes (inline, ignore list, baseline).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Finding } from '../../shared/types';
import { ConfigLoadError } from '../../server/project';
import { writeBaseline } from '../../server/project/baseline';
import { openProject, scanDocument, type OpenProjectOptions } from '../../server/engine/project';
import { EXPIRED_IGNORE } from '../../server/rules/meta';
import { dangerRule } from '../fixtures/suppression/testRule';

const FIXTURE = join(process.cwd(), 'test/fixtures/suppression/ignore-project');

function root(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ignore-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function scan(dir: string, file: string, text: string, options: OpenProjectOptions = {}): Promise<Finding[]> {
  const p = await openProject(dir, { extraRules: [dangerRule()], ...options });
  return scanDocument(p, file, text).findings.filter((f) => f.ruleId === 'test-danger' || f.ruleId === EXPIRED_IGNORE);
}

describe('ignore list', () => {
  test('by rule and path glob, from the fixture ignore file', async () => {
    const fs = await scan(FIXTURE, 'test/fixtures/a.ts', 'run(DANGER_1);', { now: new Date('2025-06-01T00:00:00Z') });
    assert.deepEqual(fs[0]!.suppressed, { kind: 'ignore-file', reason: 'test fixtures hold fake values on purpose' });
    const elsewhere = await scan(FIXTURE, 'src/a.ts', 'run(DANGER_1);', { now: new Date('2025-06-01T00:00:00Z') });
    assert.equal(elsewhere[0]!.suppressed, undefined, 'the glob does not cover src/');
  });

  test('a glob without a slash matches the file name in any folder', async () => {
    const dir = root({
      '.mcp-sentinel.json': JSON.stringify({ ignore: [{ rule: 'test-danger', path: '*.spec.ts', reason: 'specs' }] }),
    });
    assert.equal((await scan(dir, 'deep/down/x.spec.ts', 'DANGER'))[0]!.suppressed?.kind, 'ignore-file');
    assert.equal((await scan(dir, 'deep/down/x.ts', 'DANGER'))[0]!.suppressed, undefined);
  });

  test('by fingerprint, from the config ignore list: only that finding', async () => {
    const text = 'run(DANGER_1);\nrun(DANGER_2);\n';
    const dir0 = root({});
    const [first, second] = await scan(dir0, 'src/a.ts', text);
    const dir = root({
      '.mcp-sentinel.json': JSON.stringify({
        ignore: [{ fingerprint: second!.fingerprint, reason: 'accepted risk, ticket SEC-7' }],
      }),
    });
    const fs = await scan(dir, 'src/a.ts', '// moved down\n' + text);
    assert.equal(fs[0]!.fingerprint, first!.fingerprint);
    assert.equal(fs[0]!.suppressed, undefined);
    assert.deepEqual(fs[1]!.suppressed, { kind: 'ignore-file', reason: 'accepted risk, ticket SEC-7' });
  });

  test('an expired entry stops suppressing, the finding points at it, and the ignore file reports it', async () => {
    const ignoreText = readFileSync(join(FIXTURE, '.mcp-sentinel/ignore.json'), 'utf8');
    // The fixture's second entry covers scripts/** until 2024-12-31 (inclusive).
    const valid = await scan(FIXTURE, 'scripts/dev.ts', 'run(DANGER_1);', { now: new Date('2024-12-31T23:59:59Z') });
    assert.deepEqual(valid[0]!.suppressed, { kind: 'ignore-file', reason: 'dev helper, to be removed' });

    const now = new Date('2025-01-01T00:00:00Z');
    const expired = await scan(FIXTURE, 'scripts/dev.ts', 'run(DANGER_1);', { now });
    assert.equal(expired[0]!.suppressed, undefined);
    const note = expired[0]!.related?.[0];
    assert.equal(note?.file, '.mcp-sentinel/ignore.json');
    assert.match(note!.message, /until 2024-12-31; it has expired/);

    const inIgnoreFile = await scan(FIXTURE, '.mcp-sentinel/ignore.json', ignoreText, { now });
    const exp = inIgnoreFile.filter((f) => f.ruleId === EXPIRED_IGNORE);
    assert.equal(exp.length, 1);
    const line = ignoreText.split('\n')[exp[0]!.range.start.line]!;
    assert.equal(line.slice(exp[0]!.range.start.character, exp[0]!.range.end.character), '"2024-12-31"');
    assert.equal(exp[0]!.severity, 'low');
    // Before the date nothing is reported in the ignore file.
    assert.deepEqual(
      (await scan(FIXTURE, '.mcp-sentinel/ignore.json', ignoreText, { now: new Date('2024-06-01T00:00:00Z') })).filter(
        (f) => f.ruleId === EXPIRED_IGNORE,
      ),
      [],
    );
  });

  test('passes run in order: inline, then ignore list, then baseline', async () => {
    const text = 'run(DANGER_1); // mcp-sentinel-ignore test-danger: inline wins\nrun(DANGER_2);\nrun(DANGER_3);\n';
    const all = await scan(root({}), 'src/a.ts', text);
    const dir = root({
      '.mcp-sentinel.json': JSON.stringify({
        ignore: [
          { rule: 'test-danger', path: 'src/**', reason: 'ignore list' },
          { fingerprint: all[2]!.fingerprint, reason: 'unused' },
        ],
      }),
      'base.json': writeBaseline(all),
    });
    const fs = await scan(dir, 'src/a.ts', text, { baselinePath: 'base.json' });
    assert.deepEqual(
      fs.map((f) => f.suppressed?.kind),
      ['inline', 'ignore-file', 'ignore-file'],
    );
    assert.deepEqual(
      fs.map((f) => f.suppressed?.reason),
      ['inline wins', 'ignore list', 'ignore list'],
    );
  });

  test('entries are validated: reason required, unknown rule, bad date; errors carry line and column', async () => {
    const dir = root({
      '.mcp-sentinel/ignore.json':
        '{\n  "ignore": [\n    { "rule": "test-danger", "path": "a/**" },\n    { "rule": "no-such-rule", "path": "b", "reason": "r" },\n    { "fingerprint": "x", "reason": "r", "expires": "2025-02-30" }\n  ]\n}\n',
    });
    await assert.rejects(openProject(dir, { extraRules: [dangerRule()] }), (e: unknown) => {
      assert.ok(e instanceof ConfigLoadError);
      assert.deepEqual(
        e.errors.map((x) => [x.line, x.column]),
        [
          [3, 5],
          [4, 15],
          [5, 53],
        ],
      );
      assert.match(e.errors[0]!.message, /missing required property "reason"/);
      assert.match(e.errors[1]!.message, /unknown rule id "no-such-rule"/);
      assert.match(e.errors[2]!.message, /"expires" must be an ISO date/);
      assert.match(e.message, /ignore\.json:3:5: .* \(and 2 more errors\)/);
      return true;
    });
  });
});
