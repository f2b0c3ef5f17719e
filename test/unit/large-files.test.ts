// Large MCP servers: the scan of a file with thousands of tool registrations grows linearly with the file. A 100k-line
// server took 63 s and a 200k-line one 268 s, because the shadowing rule compared names sharing their first three
// characters at every position of every description and each sink was compared with every handler.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initParsers } from '../../server/analysis/parse';
import { createBackend } from '../../server/core/regex';
import { Engine } from '../../server/engine/engine';
import { builtinRules } from '../../server/rules';
import { scanText } from './helpers';
import { isInventoryFinding } from '../../shared/capabilities';

/** Words that share their first three letters with every tool name: each one made the old name index scan them all. */
const READY = 'Ready readers read real reams. '.repeat(4).trim();

/** A server with `tools` registrations whose handlers read a file (four lines each), as an attacker would pad one. */
export function largeServer(tools: number): string {
  const out = [
    'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";',
    'import { z } from "zod";',
    'import { readFileSync } from "node:fs";',
    'const server = new McpServer({ name: "big", version: "1.0.0" });',
  ];
  for (let i = 0; i < tools; i++) {
    out.push(
      `server.tool("read_file_${i}", "Reads file number ${i}. ${READY}", { path: z.string() }, async ({ path }) => {`,
      '  const text = readFileSync(path, "utf8");',
      '  return { content: [{ type: "text", text }] };',
      '});',
    );
  }
  return out.join('\n') + '\n';
}

let engine: Engine;
before(async () => {
  await initParsers();
  engine = new Engine(builtinRules, {}, createBackend('js'));
});

/**
 * The least disturbed of two CPU times of a scan, in milliseconds, with the number of findings. This process's CPU
 * time rather than wall time: on a machine shared with other work, wall time measures the other work too.
 */
function time(text: string): { ms: number; findings: number } {
  let best = Infinity;
  let findings = 0;
  for (let i = 0; i < 2; i++) {
    const t0 = process.cpuUsage();
    // The capability inventory adds one info finding per tool; the count here is of the path-traversal findings.
    findings = scanText(engine, 'server.ts', text).findings.filter((f) => !isInventoryFinding(f)).length;
    const used = process.cpuUsage(t0);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return { ms: best, findings };
}

test('a server with 4,000 tool registrations scans in time linear in its size', () => {
  const small = time(largeServer(500));
  const large = time(largeServer(4000));
  // Every handler reads a caller-chosen path: one path-traversal finding per tool, on both sizes.
  assert.equal(small.findings, 500);
  assert.equal(large.findings, 4000);
  const ratio = large.ms / small.ms;
  // Eight times the file: linear work gives a ratio near 8, the quadratic steps gave over 20.
  assert.ok(
    ratio < 14,
    `8x the tools took ${ratio.toFixed(1)}x the time (${small.ms.toFixed(0)} → ${large.ms.toFixed(0)} ms)`,
  );
});
