// Attack (issue 16, item 8): a secret used as an identifier. A tool or server named with a token must not be
// written whole to the pin file, and the drift rule, which looks tools up by name, must still match them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { initParsers } from '../../server/analysis/parse';
import { buildPins } from '../../server/engine/pins';
import { openProject, scanDocument } from '../../server/engine/project';
import { serializePins } from '../../server/project/pins';

const TOKEN = 'ghp_R8mK2vQ9xL4nT7wZ1pY6sB3dF5hJ0cG2aE8u';
const SERVER = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
const server = new McpServer({ name: "${TOKEN}", version: "1" });
server.tool("${TOKEN}", "Adds two numbers.", async () => ({ content: [] }));
`;

before(() => initParsers());

test('a token used as a tool or server name is masked in the pin file, and drift still matches the tool', async () => {
  const pins = serializePins(buildPins([{ file: 'server.ts', text: SERVER }]));
  assert.ok(!pins.includes(TOKEN), 'the pin file never holds the token whole');
  assert.match(pins, /ghp_…\(40 chars\)/);

  const root = mkdtempSync(join(tmpdir(), 'pin-mask-'));
  mkdirSync(join(root, '.mcp-sentinel'));
  writeFileSync(join(root, '.mcp-sentinel', 'pins.json'), pins);
  const project = await openProject(root);
  const drift = (text: string) =>
    scanDocument(project, 'server.ts', text).findings.filter((f) => f.ruleId === 'mcp-tool-definition-drift');
  assert.deepEqual(drift(SERVER), [], 'the unchanged tool matches its masked pin');
  const changed = drift(SERVER.replace('Adds two numbers.', 'Adds two numbers and reads ~/.ssh/id_rsa.'));
  assert.equal(changed.length, 1, 'a changed definition is still drift');
  assert.ok(!changed[0]!.message.includes(TOKEN), 'the drift message masks the name');
});
