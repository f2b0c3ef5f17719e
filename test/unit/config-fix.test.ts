// The `${input:…}` fix for plaintext secrets in MCP client configs: apply the offered edits to the document and
// compare the whole result, so formatting, placement and the input definition are all pinned down.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Engine } from '../../server/engine/engine';
import { scanText } from './helpers';
import { LineIndex } from '../../server/core/text';
import { createBackend } from '../../server/core/regex';
import type { Finding } from '../../shared/types';
import { parseJsonTree } from '../../server/analysis/json/jsonc';
import { configRules } from '../../server/rules/client-config';

const engine = new Engine(configRules, {}, createBackend('js'));
const TOKEN = 'ghp_R8x2Lq9ZtV4mN7pK1sW3yB6cD0fH5jE2gA9u';

function secretFindings(path: string, text: string): Finding[] {
  return scanText(engine, path, text).findings.filter((f) => f.ruleId === 'mcp-config-plaintext-secret');
}

/** Applies a finding's edits (LSP ranges against the original text) from the last to the first. */
function applyFix(text: string, f: Finding): string {
  assert.ok(f.fix, `finding has no fix: ${f.message}`);
  const lines = new LineIndex(text);
  const edits = f.fix.edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  for (let i = 1; i < edits.length; i++) assert.ok(edits[i]!.end <= edits[i - 1]!.start, 'edits overlap');
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function fixOnly(path: string, text: string): string {
  const fs = secretFindings(path, text);
  assert.equal(fs.length, 1, fs.map((f) => f.message).join('\n'));
  const out = applyFix(text, fs[0]!);
  assert.equal(parseJsonTree(out).errors.length, 0, `fixed text does not parse:\n${out}`);
  assert.equal(secretFindings(path, out).length, 0, 'the fix must remove the finding');
  return out;
}

describe('mcp-config-plaintext-secret fix', () => {
  test('.vscode/mcp.json without inputs: creates the inputs array after the last property', () => {
    const text = [
      '{',
      '  "servers": {',
      '    "github": {',
      '      "command": "docker",',
      '      "args": ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server"],',
      `      "env": { "GITHUB_TOKEN": "${TOKEN}" }`,
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    assert.equal(
      fixOnly('.vscode/mcp.json', text),
      [
        '{',
        '  "servers": {',
        '    "github": {',
        '      "command": "docker",',
        '      "args": ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server"],',
        '      "env": { "GITHUB_TOKEN": "${input:github-token}" }',
        '    }',
        '  },',
        '  "inputs": [',
        '    {',
        '      "type": "promptString",',
        '      "id": "github-token",',
        '      "description": "GITHUB_TOKEN for the github MCP server",',
        '      "password": true',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('.vscode/mcp.json with inputs, comments and trailing commas: appends a uniquely named input', () => {
    const text = [
      '{',
      '\t// Existing prompt, same id as the one the fix would pick.',
      '\t"inputs": [',
      '\t\t{ "type": "promptString", "id": "github-token", "description": "Old", "password": true },',
      '\t],',
      '\t"servers": {',
      `\t\t"gh2": { "command": "npx", "args": ["-y", "@acme/gh-mcp@1.0.0"], "env": { "GITHUB_TOKEN": "${TOKEN}" }, },`,
      '\t},',
      '}',
    ].join('\r\n');
    assert.equal(
      fixOnly('.vscode/mcp.json', text),
      [
        '{',
        '\t// Existing prompt, same id as the one the fix would pick.',
        '\t"inputs": [',
        '\t\t{ "type": "promptString", "id": "github-token", "description": "Old", "password": true },',
        '\t\t{',
        '\t\t\t"type": "promptString",',
        '\t\t\t"id": "github-token-2",',
        '\t\t\t"description": "GITHUB_TOKEN for the gh2 MCP server",',
        '\t\t\t"password": true',
        '\t\t},',
        '\t],',
        '\t"servers": {',
        '\t\t"gh2": { "command": "npx", "args": ["-y", "@acme/gh-mcp@1.0.0"], "env": { "GITHUB_TOKEN": "${input:github-token-2}" }, },',
        '\t},',
        '}',
      ].join('\r\n'),
    );
  });

  test('a Bearer header keeps its scheme and gets an input named after server and header', () => {
    const text =
      '{\n  "inputs": [],\n  "servers": {\n    "api": { "type": "http", "url": "https://api.example.net/mcp", "headers": { "Authorization": "Bearer 9fK2mQ7xLp4RzT8vN1cW6bY3" } }\n  }\n}\n';
    assert.equal(
      fixOnly('.vscode/mcp.json', text),
      '{\n  "inputs": [\n    {\n      "type": "promptString",\n      "id": "api-authorization",\n      "description": "Authorization for the api MCP server",\n      "password": true\n    }\n  ],\n  "servers": {\n    "api": { "type": "http", "url": "https://api.example.net/mcp", "headers": { "Authorization": "Bearer ${input:api-authorization}" } }\n  }\n}\n',
    );
  });

  test('VS Code settings.json: the input goes into "mcp"', () => {
    const text = `{\n  "editor.fontSize": 14,\n  "mcp": {\n    "servers": { "gh": { "command": "docker", "env": { "GITHUB_TOKEN": "${TOKEN}" } } }\n  }\n}`;
    assert.equal(
      fixOnly('.vscode/settings.json', text),
      '{\n  "editor.fontSize": 14,\n  "mcp": {\n    "servers": { "gh": { "command": "docker", "env": { "GITHUB_TOKEN": "${input:github-token}" } } },\n    "inputs": [\n      {\n        "type": "promptString",\n        "id": "github-token",\n        "description": "GITHUB_TOKEN for the gh MCP server",\n        "password": true\n      }\n    ]\n  }\n}',
    );
  });

  test('Cursor gets ${env:NAME}, Claude Code gets ${NAME}, Claude Desktop gets no fix', () => {
    const body = `{ "mcpServers": { "gh": { "command": "docker", "env": { "GITHUB_TOKEN": "${TOKEN}" } } } }`;
    assert.equal(
      fixOnly('.cursor/mcp.json', body),
      '{ "mcpServers": { "gh": { "command": "docker", "env": { "GITHUB_TOKEN": "${env:GITHUB_TOKEN}" } } } }',
    );
    assert.equal(
      fixOnly('.mcp.json', body),
      '{ "mcpServers": { "gh": { "command": "docker", "env": { "GITHUB_TOKEN": "${GITHUB_TOKEN}" } } } }',
    );
    const desktop = secretFindings('claude_desktop_config.json', body);
    assert.equal(desktop.length, 1);
    assert.equal(desktop[0]!.fix, undefined);
    assert.ok(!desktop[0]!.message.includes(TOKEN.slice(4)), 'the message must mask the token');
  });
});
