// Cross-file taint on the multi-file fixtures of test/fixtures/cross-file/: every hop kind (direct imported call,
// re-export through index.ts, tsconfig path alias, class method, callback, dispatch map, an await chain five calls
// deep, Python relative and package imports) is reported at the sink in the helper file, naming the tool and its
// parameter, with every hop as a related location; the sanitised, guarded and not-passed-on negatives stay quiet.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runScan } from '../../server/cli/scan';
import { ROOT } from '../cli/helpers';
import { isInventoryFinding } from '../../shared/capabilities';

const dir = join(ROOT, 'test/fixtures/cross-file');

test('tool inputs are followed across files to the sink, with every hop', async () => {
  const outcome = await runScan({ paths: [dir], cwd: dir });
  // One-based lines, as the reports print them.
  // The capability inventory (info) describes tools rather than flows; this test is about the taint findings.
  const got = outcome.findings
    .filter((f) => !isInventoryFinding(f))
    .map(
      (f) =>
        `${f.ruleId} ${f.file}:${f.range.start.line + 1} | ${(f.related ?? []).map((r) => `${r.file}:${r.range.start.line + 1}`).join(' > ')}`,
    )
    .sort();
  assert.deepEqual(got, [
    'js-command-injection ts/src/lib/chain3.ts:4 | ts/src/server.ts:41 > ts/src/lib/chain.ts:4 > ts/src/lib/chain.ts:8 > ts/src/lib/chain2.ts:4 > ts/src/lib/chain2.ts:8 > ts/src/lib/chain3.ts:3',
    'js-command-injection ts/src/lib/shell.ts:4 | ts/src/server.ts:21 > ts/src/lib/shell.ts:3',
    'js-command-injection ts/src/tools/yaml.ts:7 | ts/src/server.ts:37 > ts/src/tools/dispatch.ts:7 > ts/src/tools/yaml.ts:6',
    'js-sql-injection ts/src/lib/store.ts:7 | ts/src/server.ts:29 > ts/src/lib/store.ts:6',
    'js-tool-path-traversal ts/src/lib/notes.ts:4 | ts/src/server.ts:16 > ts/src/lib/notes.ts:3',
    'js-tool-path-traversal ts/src/lib/safe.ts:12 | ts/src/server.ts:33 > ts/src/lib/safe.ts:6',
    'js-tool-ssrf ts/src/lib/http.ts:2 | ts/src/server.ts:25 > ts/src/lib/http.ts:1',
    'py-command-injection py/app/helpers/shell.py:5 | py/app/server.py:12 > py/app/helpers/shell.py:4',
    'py-tool-path-traversal py/app/helpers/files.py:7 | py/app/server.py:18 > py/app/helpers/files.py:6',
  ]);
  // The helper file now also holds the inventory of the tool that reaches it (info); the flow is the taint finding.
  const deep = outcome.findings.find((f) => f.file === 'ts/src/lib/chain3.ts' && !isInventoryFinding(f))!;
  assert.match(deep.message, /Tool parameter `target` of tool `deep`/);
  assert.match(deep.related![0]!.message, /passed to `step1`/);
});
