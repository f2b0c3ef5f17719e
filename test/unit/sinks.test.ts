// The sink model itself, below the rules: what a path sink does to its file (`Sink.access`, read by the capability
// inventory), which receivers make a query call SQL, and which calls are template, launch and upload sinks.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParsers } from '../../server/analysis/parse';
import { sinksOf } from '../../server/analysis/sinks';
import { createDetectContext } from '../../server/core/context';
import { createBackend } from '../../server/core/regex';

before(() => initParsers());

/** Every sink of a document as `family api access "argument"`, in document order. */
function sinks(path: string, text: string): string[] {
  const kind = path.endsWith('.py') ? 'python' : 'js';
  const { ctx, dispose } = createDetectContext(createBackend('js'), path, text, kind);
  try {
    return (sinksOf(ctx)?.sinks ?? []).map(
      (s) => `${s.family} ${s.api}${s.access ? ` ${s.access}` : ''} ${s.args.map((a) => a.text).join(',')}`,
    );
  } finally {
    dispose();
  }
}

describe('file sinks say what they do to the file', () => {
  test('JS: fs methods, two-path calls, browser files and uploads', () => {
    const text = [
      'import fs from "node:fs/promises";',
      'import { createReadStream, renameSync } from "fs";',
      'await fs.readFile(a);',
      'await fs.writeFile(b, data);',
      'await fs.rm(c, { recursive: true });',
      'await fs.copyFile(d, e);',
      'renameSync(f, g);',
      'form.append("file", createReadStream(h));',
      'await page.pdf({ path: i });',
      'await page.setInputFiles("#file", j);',
      'await fs.stat(k);',
    ].join('\n');
    assert.deepEqual(sinks('a.ts', text), [
      'path fs.promises.readFile read a',
      'path fs.promises.writeFile write b',
      'path fs.promises.rm delete c',
      'path fs.promises.copyFile read d',
      'path fs.promises.copyFile write e',
      'path fs.renameSync delete f',
      'path fs.renameSync write g',
      'path fs.createReadStream read h',
      'path page.pdf({ path }) write i',
      'path setInputFiles() (uploads the file into the page) read j',
    ]);
  });

  test('Python: open modes, pathlib methods, shutil, os and FastMCP Image(path=)', () => {
    const text = [
      'import os, shutil',
      'from pathlib import Path',
      'from mcp.server.fastmcp import Image',
      'open(a)',
      'open(b, "a")',
      'Path(c).write_text("x")',
      'Path(d).open(mode="rb")',
      'os.remove(e)',
      'shutil.copy(f, g)',
      'os.makedirs(h, exist_ok=True)',
      'Image(path=i)',
      'Image(data=blob)',
    ].join('\n');
    assert.deepEqual(sinks('a.py', text), [
      'path open() read a',
      'path open() write b',
      'path Path.write_text() write Path(c)',
      'path Path.open() read Path(d)',
      'path os.remove() delete e',
      'path shutil.copy() read f',
      'path shutil.copy() write g',
      'path os.makedirs() write h',
      'path mcp.server.fastmcp.Image(path=…) read i',
    ]);
  });
});

describe('a method name alone never makes a SQL sink', () => {
  test('JS: database receivers by import, construction or name; look-alikes are not sinks', () => {
    const text = [
      'import Database from "better-sqlite3";',
      'import { Pool } from "pg";',
      'const sqlite = new Database("app.db");',
      'const pool = new Pool();',
      'const conn = await pool.connect();',
      'sqlite.prepare(q1);',
      'conn.query(q2);',
      'this.db.all(q3);',
      'tool.execute(q4);',
      'client.query(q5);',
      'graph.run(q6);',
      'const stmt = sqlite.prepare(SQL);',
      'stmt.all(q7);',
      'sqlite.prepare(SQL).get(q8);',
    ].join('\n');
    // A prepared statement's all/get/run take bound values, not SQL (only the prepare calls are sinks).
    assert.deepEqual(sinks('a.ts', text), [
      'sql .prepare() q1',
      'sql .query() q2',
      'sql .all() q3',
      'sql .prepare() SQL',
      'sql .prepare() SQL',
    ]);
  });

  test('Python: connections, cursors and sessions; agents and API clients are not', () => {
    const text = [
      'import sqlite3',
      'conn = sqlite3.connect("x.db")',
      'cur = conn.cursor()',
      'cur.execute(q1)',
      'session.execute(q2)',
      'agent.execute(q3)',
      'self.client.execute(q4)',
    ].join('\n');
    assert.deepEqual(sinks('a.py', text), ['sql .execute() q1', 'sql .execute() q2']);
  });
});

describe('template, launch and connection sinks', () => {
  test('template engines compile their first argument; sandboxed Jinja2 is not a sink', () => {
    const js = 'import Handlebars from "handlebars";\nHandlebars.compile(src);\nMustache.render(src, view);';
    assert.deepEqual(sinks('a.ts', js), ['code handlebars.compile (template) src']);
    const py = [
      'from jinja2 import Environment',
      'from jinja2.sandbox import SandboxedEnvironment',
      'Environment(autoescape=True).from_string(src)',
      'SandboxedEnvironment().from_string(src)',
    ].join('\n');
    assert.deepEqual(sinks('a.py', py), ['code jinja2.Environment().from_string (template) src']);
  });

  test('MCP client transports and the open package', () => {
    const text = [
      'import open from "open";',
      'import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";',
      'import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";',
      'new StdioClientTransport({ command: cmd, args });',
      'new SSEClientTransport(new URL(url));',
      'await open(authUrl);',
    ].join('\n');
    assert.deepEqual(sinks('a.ts', text), [
      'command new StdioClientTransport (spawns the command) cmd,args',
      'ssrf new SSEClientTransport new URL(url)',
      'command open() (the `open` package: the OS opener) authUrl',
    ]);
  });
});
