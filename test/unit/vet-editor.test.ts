// Package vetting in the editor, without an editor: which config entries get a "Vet package" lens, how the engine's
// result maps to the wire and reads in a hover, and how the findings tree lists vetted servers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FindingsModel, type TreeNode } from '../../client/findings/model';
import type { ServerVet } from '../../server/cli/vet';
import { toWire, vetHoverMarkdown } from '../../server/lsp/vet';
import { packageEntries } from '../../server/lsp/vetConfig';
import { vetLensTitle, type ServerVetWire } from '../../shared/vet';

const CONFIG = `{
  // Comments are allowed: VS Code reads mcp.json as JSONC.
  "servers": {
    "files": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/srv"] },
    "memory": { "command": "pnpm", "args": ["dlx", "@modelcontextprotocol/server-memory"] },
    "git": { "command": "uvx", "args": ["mcp-server-git"] },
    "dev": { "command": "npx", "args": ["tsx", "./src/server.ts"] },
    "local": { "command": "node", "args": ["./build/index.js"] },
    "remote": { "type": "http", "url": "https://mcp.example.com/mcp" }
  }
}
`;

describe('vetting lenses: the config entries that launch a package', () => {
  it('finds npx, pnpm dlx and uvx launches with their key and spec positions, and skips the rest', () => {
    const entries = packageEntries('.vscode/mcp.json', CONFIG);
    assert.deepEqual(
      entries.map((e) => [e.server, e.launcher, e.spec, e.pinned, e.keyRange.start.line, e.keyRange.start.character]),
      [
        ['files', 'npx', '@modelcontextprotocol/server-filesystem@2025.8.21', true, 3, 5],
        ['memory', 'pnpm dlx', '@modelcontextprotocol/server-memory', false, 4, 5],
        ['git', 'uvx', 'mcp-server-git', false, 5, 5],
      ],
    );
    const spec = entries[0]!.specRange;
    const line = CONFIG.split('\n')[spec.start.line]!;
    assert.equal(
      line.slice(spec.start.character, spec.end.character),
      '@modelcontextprotocol/server-filesystem@2025.8.21',
    );
  });

  it('reads Claude Desktop configs and ignores files that are not MCP configs', () => {
    const desktop = '{ "mcpServers": { "fetch": { "command": "npx", "args": ["-y", "mcp-fetch-server"] } } }';
    assert.deepEqual(
      packageEntries('claude_desktop_config.json', desktop).map((e) => e.server),
      ['fetch'],
    );
    assert.deepEqual(packageEntries('package.json', desktop), []);
  });
});

function vetted(): ServerVet {
  return {
    config: '.vscode/mcp.json',
    server: 'memory',
    line: 4,
    character: 4,
    launcher: 'pnpm dlx',
    package: '@modelcontextprotocol/server-memory',
    pinned: false,
    status: 'vetted',
    summary: '1 tool · writes files · 1 medium',
    vet: {
      request: 'npm:@modelcontextprotocol/server-memory',
      name: '@modelcontextprotocol/server-memory',
      version: '0.6.2',
      integrity: 'sha512-xyz',
      from: 'registry',
      report: {
        findings: [
          {
            ruleId: 'js-path-traversal',
            category: 'path-traversal',
            severity: 'medium',
            message: 'A path from `name` <b>reaches</b> writeFile.',
            file: 'npm:@modelcontextprotocol/server-memory@0.6.2/dist/index.js',
            range: { start: { line: 40, column: 3 }, end: { line: 40, column: 9 } },
            fingerprint: 'fp',
          },
          {
            ruleId: 'js-path-traversal',
            category: 'path-traversal',
            severity: 'high',
            message: 'suppressed one',
            file: 'npm:@modelcontextprotocol/server-memory@0.6.2/dist/index.js',
            range: { start: { line: 50, column: 3 }, end: { line: 50, column: 9 } },
            fingerprint: 'fp2',
            suppressed: { kind: 'inline', reason: 'checked' },
          },
        ],
      },
      inventory: {
        servers: [
          {
            name: 'memory',
            tools: [
              {
                name: 'create_entities',
                capabilities: [{ capability: 'file-write', argumentControlled: false, sites: [] }],
              },
            ],
          },
        ],
      },
    },
  } as unknown as ServerVet;
}

describe('vetting results on the wire and in a hover', () => {
  it('keeps what the client shows, without suppressed findings', () => {
    const w = toWire(vetted(), 'file:///w/.vscode/mcp.json');
    assert.deepEqual(w.tools, [
      { name: 'create_entities', capabilities: ['file-write'], argumentControlled: false, summary: 'writes files' },
    ]);
    assert.deepEqual(
      w.findings.map((f) => [f.ruleId, f.severity, f.line]),
      [['js-path-traversal', 'medium', 40]],
    );
    assert.deepEqual(
      [w.name, w.version, w.integrity, w.from],
      ['@modelcontextprotocol/server-memory', '0.6.2', 'sha512-xyz', 'registry'],
    );
    assert.equal(vetLensTitle(w), 'Vet package: 1 tool · writes files · 1 medium');
    assert.equal(vetLensTitle(undefined), 'Vet package');
  });

  it('escapes the package text in the hover and says an unpinned package is what would run today', () => {
    const md = vetHoverMarkdown(toWire(vetted(), 'file:///w/.vscode/mcp.json'));
    assert.match(md, /vetted @modelcontextprotocol\/server-memory@0\.6\.2/);
    assert.match(md, /not pinned: this is what would run today/);
    assert.match(md, /\\<b\\>reaches\\<\/b\\>/);
    assert.doesNotMatch(md, /<b>/);
  });

  it('says why an entry was not vetted', () => {
    const w: ServerVetWire = {
      ...toWire(vetted(), 'file:///w/.vscode/mcp.json'),
      status: 'not-vetted',
      reason: 'not vetted: Python registry unavailable',
    };
    assert.equal(vetLensTitle(w), 'Vet package: not vetted: Python registry unavailable');
    assert.match(vetHoverMarkdown(w), /not vetted: Python registry unavailable/);
  });
});

describe('vetted servers in the findings tree', () => {
  const kinds = (nodes: readonly TreeNode[]): unknown[] =>
    nodes.map((n) =>
      n.kind === 'vetConfig'
        ? { [n.label]: kinds(n.children) }
        : n.kind === 'vetServer'
          ? { [n.vet.server]: kinds(n.children) }
          : n.kind === 'vetTool'
            ? `tool ${n.tool.name}`
            : n.kind === 'vetFinding'
              ? `finding ${n.finding.ruleId}`
              : n.kind,
    );

  it('lists config → server → tools and findings, a newer result replacing the older, and clears with the rest', () => {
    const m = new FindingsModel();
    const w = toWire(vetted(), 'file:///w/.vscode/mcp.json');
    m.vets.update([w, { ...w, server: 'a-first', tools: [], findings: [], summary: 'no tools' }]);
    m.vets.update([{ ...w, summary: 'again' }]);
    const label = (uri: string): string => uri.replace('file:///w/', '');
    assert.deepEqual(kinds(m.roots(label)), [
      { '.vscode/mcp.json': [{ 'a-first': [] }, { memory: ['tool create_entities', 'finding js-path-traversal'] }] },
    ]);
    assert.deepEqual(m.snapshot(label).vetted, [
      { config: '.vscode/mcp.json', server: 'a-first', status: 'vetted', summary: 'no tools', tools: [] },
      { config: '.vscode/mcp.json', server: 'memory', status: 'vetted', summary: 'again', tools: ['create_entities'] },
    ]);
    m.clear();
    assert.deepEqual(m.roots(label), []);
    assert.equal(m.snapshot(label).vetted, undefined);
  });
});
