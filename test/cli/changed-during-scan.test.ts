// A file that changes between the facts pass and its own scan (an editor saving while `scan` runs) is scanned as it
// is when the scan reads it, with the workspace facts of the facts pass: its findings are in the report, and it is
// not listed as skipped. The change is made from the progress hook after the first file, never on a timer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runScan } from '../../server/cli/scan';
import { writeWorkspace } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-changed-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const server = (name: string) =>
  `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nconst server = new McpServer({ name: "${name}", version: "1" });\nserver.tool("${name}_status", "Reports the status.", async () => ({ content: [] }));\n`;
const TOKEN = 'const token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";\nexport default token;\n';

test('a file changed after the facts pass is scanned as it is now, not skipped', async () => {
  const files: Record<string, string> = {};
  // Enough files before the changed one that it is not yet read when the first file is done (the batch reads at
  // most twice the pool's size ahead).
  for (let i = 0; i < 6; i++) files[`a${i}.ts`] = server(`a${i}`);
  files['z.ts'] = server('z');
  const dir = writeWorkspace(tmp, 'ws', files);
  let changed = false;
  const outcome = await runScan({
    paths: [dir],
    cwd: dir,
    workers: 1,
    onProgress: (done) => {
      if (done === 1 && !changed) {
        writeFileSync(join(dir, 'z.ts'), server('z') + TOKEN);
        changed = true;
      }
    },
  });
  assert.ok(changed);
  assert.ok(outcome.workers > 0, 'the batch ran in the pool');
  assert.deepEqual(
    outcome.report.skipped.filter((s) => s.file === 'z.ts'),
    [],
  );
  assert.ok(
    outcome.report.findings.some((f) => f.file === 'z.ts' && f.ruleId.startsWith('secret-')),
    'the secret written after the facts pass is reported',
  );
});
