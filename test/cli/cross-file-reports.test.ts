// Cross-file flows in every report format, on test/fixtures/cross-file/: SARIF gives each such result a code flow
// (one location per hop, ending at the sink) next to its related locations and still validates; `merge` keeps the
// flow; text `--verbose` and HTML list the hops under the finding, escaped; a finding without a cross-file flow
// (such as a note about an expired ignore entry in another file) gets no code flow.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { JsonReport } from '../../server/reports/model';
import { cli, ROOT, sarifValidator } from './helpers';

const dir = join(ROOT, 'test/fixtures/cross-file');
const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-xfile-reports-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Scans `cwd` with every real rule (no test-rule override) in the given format, and returns stdout. */
async function scan(cwd: string, ...argv: string[]): Promise<string> {
  const r = await cli(['scan', '.', '--fail-on', 'none', ...argv], { cwd, project: {} });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
  message?: { text: string };
}
interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  codeFlows?: { threadFlows: { locations: { location: SarifLocation }[] }[] }[];
}

const where = (l: SarifLocation) => `${l.physicalLocation.artifactLocation.uri}:${l.physicalLocation.region.startLine}`;
/** The taint result in a file (the capability inventory's info results there describe the tool, not the flow). */
const resultAt = (results: SarifResult[], uri: string) =>
  results.find(
    (r) => r.locations[0]!.physicalLocation.artifactLocation.uri === uri && !r.ruleId.startsWith('mcp-capability-'),
  )!;

describe('reports: cross-file flows', () => {
  test('SARIF: a code flow per cross-file result, hop by hop to the sink, next to the related locations', async () => {
    const log = JSON.parse(await scan(dir, '--format', 'sarif'));
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const results = log.runs[0].results as SarifResult[];
    const deep = resultAt(results, 'ts/src/lib/chain3.ts');
    const steps = deep.codeFlows![0]!.threadFlows[0]!.locations.map((l) => l.location);
    assert.deepEqual(steps.map(where), [
      'ts/src/server.ts:41',
      'ts/src/lib/chain.ts:4',
      'ts/src/lib/chain.ts:8',
      'ts/src/lib/chain2.ts:4',
      'ts/src/lib/chain2.ts:8',
      'ts/src/lib/chain3.ts:3',
      'ts/src/lib/chain3.ts:4',
    ]);
    assert.match(steps[0]!.message!.text, /passed to `step1`/);
    assert.equal(steps.at(-1)!.message!.text, deep.message.text, 'the flow ends at the sink, with its message');
    assert.deepEqual(deep.relatedLocations!.map(where), steps.slice(0, -1).map(where), 'relatedLocations are kept');
    // Every taint result that names another file in its related locations has a code flow; the others have none.
    // (The capability inventory points at a tool's registration in another file without drawing a flow.)
    for (const r of results.filter((x) => !x.ruleId.startsWith('mcp-capability-'))) {
      const file = r.locations[0]!.physicalLocation.artifactLocation.uri;
      const foreign = (r.relatedLocations ?? []).some((l) => l.physicalLocation.artifactLocation.uri !== file);
      assert.equal(!!r.codeFlows, foreign, `${r.ruleId} at ${file}`);
    }
  });

  test('merge keeps the flow: SARIF written from a JSON shard has the same code flows', async () => {
    const json = await scan(dir, '--format', 'json');
    const report = JSON.parse(json) as JsonReport;
    const flowSteps = report.findings.flatMap((f) => (f.related ?? []).filter((r) => r.flow));
    assert.ok(flowSteps.length >= 9, 'the JSON report marks the flow steps');
    const shard = join(tmp, 'shard.json');
    writeFileSync(shard, json);
    const m = await cli(['merge', shard, '--format', 'sarif', '--fail-on', 'none'], { cwd: dir });
    assert.equal(m.code, 0, m.stderr);
    const direct = JSON.parse(await scan(dir, '--format', 'sarif')).runs[0].results as SarifResult[];
    const merged = JSON.parse(m.stdout).runs[0].results as SarifResult[];
    assert.deepEqual(
      merged.map((r) => r.codeFlows),
      direct.map((r) => r.codeFlows),
    );
  });

  test('text: --verbose lists the hops under the finding; without it the report is unchanged', async () => {
    const plain = await scan(dir);
    assert.doesNotMatch(plain, /^ +via /m);
    const verbose = await scan(dir, '--verbose');
    const lines = verbose.split('\n');
    const at = lines.findIndex((l) => /Tool parameter `command` of tool `run` reaches child_process\.execSync/.test(l));
    assert.ok(at >= 0, verbose);
    assert.deepEqual(lines.slice(at + 1, at + 3), [
      '      via ts/src/server.ts:21:50  Tool parameter `command` of tool `run` is passed to `runCommand` here.',
      '      via ts/src/lib/shell.ts:3:34  Tool parameter `command` of tool `run` flows to child_process.execSync here.',
    ]);
  });

  test('HTML: the hops are listed under the finding, every piece escaped', async () => {
    // A tool whose name is markup, passed to a helper in another file: the hop messages quote the name.
    const ws = join(tmp, 'hostile');
    mkdirSync(join(ws, 'src'), { recursive: true });
    writeFileSync(
      join(ws, 'src/server.ts'),
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nimport { z } from 'zod';\n" +
        "import { runCommand } from './shell.js';\nconst server = new McpServer({ name: 'h', version: '1' });\n" +
        "server.tool('<img src=x onerror=alert(1)>', { command: z.string() }, async ({ command }) => {\n" +
        "  return { content: [{ type: 'text', text: await runCommand(command) }] };\n});\n",
    );
    writeFileSync(
      join(ws, 'src/shell.ts'),
      "import { execSync } from 'node:child_process';\n\nexport async function runCommand(command: string): Promise<string> {\n  return execSync(command).toString();\n}\n",
    );
    const out = join(tmp, 'report.html');
    await scan(ws, '--format', 'html', '--output', out);
    const html = readFileSync(out, 'utf8');
    const flow = /<ol class="flow">([\s\S]*?)<\/ol>/.exec(html);
    assert.ok(flow, 'the finding lists its hops');
    assert.match(flow[1]!, /src\/server\.ts:6:\d+<\/span> Tool parameter `command` of tool `&lt;img src=x/);
    assert.doesNotMatch(html, /<img/);
  });
});
