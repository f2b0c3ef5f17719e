// Cheap files stay cheap (server/workers/cheapFiles.ts): a file in which no rule can report is answered without a
// worker and without a parse. The prefilter must change no report: scans with it and without it write the same JSON
// on the examples, every fixture tree and the benign corpus (when fetched), and it does answer files.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runScan } from '../../server/cli/scan';
import { openProject, type OpenProjectOptions } from '../../server/engine/project';
import { DEFAULT_SKIP_DIRS } from '../../server/discovery/discover';
import { renderJson } from '../../server/reports';
import { ROOT } from './helpers';

// Published packages keep their code in dist/ and build/, which the default walk skips: walk them, as the corpus
// test does. The repository's .gitignore would hide .cache/ too.
const discovery = { skipDirs: DEFAULT_SKIP_DIRS.filter((d) => d !== 'dist' && d !== 'build'), gitignore: false };

async function report(
  paths: string[],
  prefilter: boolean,
  projectOptions?: OpenProjectOptions,
): Promise<{ json: string; cheap: number }> {
  const outcome = await runScan({
    paths,
    discovery,
    prefilter,
    workers: 2,
    timeoutMs: 600_000,
    ...(projectOptions ? { projectOptions } : {}),
  });
  return {
    json: renderJson(outcome.report).replace(/"durationMs": [\d.]+/, '"durationMs": 0'),
    cheap: outcome.cheapFiles,
  };
}

const corpus = join(ROOT, '.cache/corpus');
// The whole benign corpus: the prefilter (cheap files, rule preconditions, summaries left out until the merge looks
// a module up) must change nothing on real published servers, where a dropped finding would hurt most.
const sample = existsSync(corpus)
  ? readdirSync(corpus)
      .sort()
      .map((d) => join(corpus, d))
  : [];

const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-prefilter-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Plain modules and data files (cheap) beside an MCP server, a shell sink, a directive and a helper a tool reaches. */
function mixedTree(): string {
  const files: Record<string, string> = {
    'lib/answer.js': 'export const answer = 42;\n',
    'lib/add.py': 'def add(a, b):\n    return a + b\n',
    'lib/helper.ts': 'export function load(p) {\n  return p;\n}\n',
    'lib/quiet.ts': '// mcp-sentinel-ignore js-command-injection: reviewed\nexport const x = 1;\n',
    'notes.txt': 'Nothing to see here.\n',
    'server.ts':
      'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nimport { execSync } from "node:child_process";\nimport { load } from "./lib/helper";\nconst server = new McpServer({ name: "s", version: "1" });\nserver.tool("run", "Runs a command.", { cmd: z.string() }, async ({ cmd }) => ({ content: [{ type: "text", text: execSync(load(cmd)).toString() }] }));\n',
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(tmp, file, '..'), { recursive: true });
    writeFileSync(join(tmp, file), text);
  }
  return tmp;
}

describe('cheap-file prefilter', () => {
  test('plain files are answered without a worker, and the report is the same', async () => {
    const dir = mixedTree();
    // Some rules of the catalogue have keywords as broad as "=" or none at all, which make every file worth a
    // worker; with one sink rule on, the plain files are cheap whatever the rest of the catalogue becomes.
    const ids = (await openProject(dir)).engine.rules.map((r) => r.id);
    const overrides = { rules: Object.fromEntries(ids.map((id) => [id, 'off' as const])) };
    overrides.rules['js-command-injection'] = 'high' as never;
    const off = await report([dir], false, { overrides });
    const on = await report([dir], true, { overrides });
    assert.equal(on.json, off.json);
    assert.ok((JSON.parse(on.json) as { findings: unknown[] }).findings.length > 0, 'the rules ran');
    // At least answer.js, add.py and notes.txt; never the directive's file or the server.
    assert.ok(on.cheap >= 3, `cheap files: ${on.cheap}`);
    assert.ok(on.cheap <= 4, `cheap files: ${on.cheap}`);
    // With the whole catalogue too.
    assert.equal((await report([dir], true)).json, (await report([dir], false)).json);
  });

  const targets: [string, string[]][] = [
    ['examples', [join(ROOT, 'examples')]],
    ['test/fixtures', [join(ROOT, 'test/fixtures')]],
  ];
  if (sample.length) targets.push([`benign corpus (${sample.length} packages)`, sample]);
  for (const [name, paths] of targets) {
    test(`${name}: the same report with and without it`, async () => {
      const off = await report(paths, false);
      const on = await report(paths, true);
      assert.equal(off.cheap, 0);
      assert.equal(on.json, off.json);
    });
  }
  test('the benign corpus is fetched (otherwise only the fixtures prove the prefilter)', (t) => {
    if (!sample.length) t.skip('corpus not fetched (npm run corpus)');
  });
});
