// The cheap checks that decide whether the extension starts its server (client/dormancy.ts): marker file names,
// manifests that declare an MCP SDK, and source that imports one; ordinary projects must stay dormant.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importsMcp, isMarkerFileName, manifestDeclaresMcp } from '../../shared/mcpMarkers';

test('MCP client configs and the project config are markers by name', () => {
  for (const n of ['mcp.json', '.mcp.json', 'claude_desktop_config.json', 'mcp_config.json', '.mcp-sentinel.json'])
    assert.ok(isMarkerFileName(n), n);
  for (const n of ['package.json', 'mcp.jsonc', 'tsconfig.json', 'mcp.json.bak']) assert.ok(!isMarkerFileName(n), n);
});

test('manifests that declare an MCP SDK, and only those', () => {
  assert.ok(manifestDeclaresMcp('package.json', '{"dependencies":{"@modelcontextprotocol/sdk":"^1.12.0"}}'));
  assert.ok(!manifestDeclaresMcp('package.json', '{"dependencies":{"express":"^4"},"name":"mcp-notes"}'));
  assert.ok(manifestDeclaresMcp('pyproject.toml', 'dependencies = [\n  "mcp[cli]>=1.2.0",\n  "httpx",\n]'));
  assert.ok(manifestDeclaresMcp('requirements.txt', 'httpx==0.27\nfastmcp>=2\n'));
  assert.ok(manifestDeclaresMcp('requirements.txt', 'mcp\n'));
  assert.ok(!manifestDeclaresMcp('requirements.txt', 'mcpx==1\nrequests\n'));
  assert.ok(!manifestDeclaresMcp('pyproject.toml', 'name = "my-mcp-tools"\ndependencies = ["requests"]'));
});

test('source that imports an MCP SDK, and only that', () => {
  assert.ok(importsMcp("import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';"));
  assert.ok(importsMcp('from mcp.server.fastmcp import FastMCP\n'));
  assert.ok(importsMcp('import json\nfrom fastmcp import FastMCP\n'));
  assert.ok(importsMcp('import mcp\n'));
  assert.ok(!importsMcp('export function slugify(s) { return s; }\n'));
  assert.ok(!importsMcp('from mcpx import thing\nimport mcp_tools\n'));
});
