// Taint-lite: tool parameters followed to dangerous sinks through assignments, destructuring, templates,
// f-strings, `.format` and path helpers, and stopped by containment checks, allowlists and numeric conversion.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Finding } from '../../shared/types';
import { initParsers } from '../../server/analysis/parse';
import { Engine } from '../../server/engine/engine';
import { scanText } from './helpers';
import { createBackend } from '../../server/core/regex';
import { injectionRules } from '../../server/rules/injection';

before(() => initParsers());

const engine = () => new Engine(injectionRules, {}, createBackend('js'));
const scan = (path: string, text: string): Finding[] => scanText(engine(), path, text).findings;
/** Findings as `ruleId severity "matched text"` for compact assertions. */
const brief = (text: string, fs: Finding[]) => {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }) => starts[p.line]! + p.character;
  return fs.map((f) => `${f.ruleId} ${f.severity} ${JSON.stringify(text.slice(off(f.range.start), off(f.range.end)))}`);
};

describe('taint through JS handlers', () => {
  test('assignment chains and templates carry a destructured parameter to exec, once, escalated', () => {
    const text = [
      'import { exec } from "node:child_process";',
      'server.tool("run", { cmd: z.string(), dir: z.string() }, async ({ cmd, dir }) => {',
      '  const a = cmd.trim();',
      '  let b = `cd ${dir} && ${a}`;',
      '  exec(b);',
      '});',
    ].join('\n');
    const fs = scan('s.ts', text);
    assert.deepEqual(brief(text, fs), ['js-command-injection critical "b"']);
    assert.match(fs[0]!.message, /tool parameter `dir` of tool `run`/i);
    // The related location is the schema key the parameter is declared with.
    assert.equal(fs[0]!.related?.length, 1);
    assert.deepEqual(fs[0]!.related![0]!.range.start, { line: 1, character: 38 });
  });

  test('args.x, args["x"] and request.params.arguments reach sinks', () => {
    const text = [
      'import fs from "fs";',
      'server.tool("read_file", { path: z.string() }, async (args) => {',
      '  fs.readFileSync(args["path"]);',
      '});',
      'server.setRequestHandler(CallToolRequestSchema, async (request) => {',
      '  const url = request.params.arguments.url;',
      '  return fetch(new URL(url));',
      '});',
    ].join('\n');
    assert.deepEqual(brief(text, scan('s.ts', text)), [
      'js-tool-path-traversal high "args[\\"path\\"]"',
      'js-tool-ssrf high "new URL(url)"',
    ]);
  });

  test('a value outside any handler is not a tool parameter', () => {
    const text = 'import fs from "fs";\nexport function read(p: string) {\n  return fs.readFileSync(p);\n}\n';
    assert.deepEqual(scan('s.ts', text), []);
  });

  test('a parameter reassigned through basename or parseInt is clean for that sink', () => {
    const text = [
      'import fs from "fs"; import path from "path";',
      'server.tool("get", { name: z.string(), id: z.string() }, async ({ name, id }) => {',
      '  const file = path.basename(name);',
      '  fs.readFileSync(path.join("/srv", file));',
      '  const n = Number(id);',
      '  return db.query(`SELECT * FROM t WHERE id = ${n}`);',
      '});',
    ].join('\n');
    assert.deepEqual(scan('s.ts', text), []);
  });

  test('a containment check that does not exit does not sanitise', () => {
    const text = [
      'import fs from "fs"; import path from "path";',
      'server.tool("read", { p: z.string() }, async ({ p }) => {',
      '  const full = path.resolve(ROOT, p);',
      '  if (!full.startsWith(ROOT)) console.warn("outside");',
      '  return fs.readFileSync(full);',
      '});',
    ].join('\n');
    assert.deepEqual(brief(text, scan('s.ts', text)), ['js-tool-path-traversal high "full"']);
  });

  test('a same-file helper destructures the arguments or the request it receives as a handler does', () => {
    const text = [
      'import fs from "fs";',
      'function readNote({ path: p, file = "a.txt" }) {',
      '  return fs.readFileSync(p) + fs.readFileSync(file);',
      '}',
      'function handle({ params }) {',
      '  return fs.readFileSync(params.arguments.path);',
      '}',
      'server.tool("read_note", { path: z.string(), file: z.string() }, async (args) => readNote(args));',
      'server.setRequestHandler(CallToolRequestSchema, async (request) => handle(request));',
    ].join('\n');
    const fs = scan('s.ts', text);
    assert.deepEqual(brief(text, fs), [
      'js-tool-path-traversal high "p"',
      'js-tool-path-traversal high "file"',
      'js-tool-path-traversal high "params.arguments.path"',
    ]);
    assert.match(fs[0]!.message, /tool parameter `path` of tool `read_note`/i);
    assert.match(fs[1]!.message, /tool parameter `file` of tool `read_note`/i);
  });

  test('the clean filesystem-server fixture has no finding', () => {
    const text = readFileSync(join(__dirname, '../../../test/fixtures/injection/filesystem-server.ts'), 'utf8');
    assert.deepEqual(brief(text, scan('filesystem-server.ts', text)), []);
  });
});

describe('taint through Python handlers', () => {
  test('the vulnerable FastMCP fixture: one finding per tool, escalated and naming the parameter', () => {
    const text = readFileSync(join(__dirname, '../../../test/fixtures/injection/vulnerable_server.py'), 'utf8');
    const fs = scan('vulnerable_server.py', text);
    assert.deepEqual(brief(text, fs), [
      'py-command-injection critical "cmd"',
      'py-sql-injection high "sql"',
      'py-unsafe-deserialization high "base64.b64decode(blob)"',
      'py-unsafe-deserialization high "text"',
      'py-tool-ssrf high "url"',
      'py-tool-path-traversal high "os.path.join(\\"/srv/notes\\", name)"',
    ]);
    assert.match(fs[1]!.message, /tool parameter `term` of tool `search`/i);
    // yaml.load gets the mechanical fix.
    const yamlFinding = fs[3]!;
    assert.equal(yamlFinding.fix?.title, 'Use yaml.safe_load');
    assert.equal(yamlFinding.fix?.edits[0]?.newText, 'safe_load');
  });

  test('low-level call_tool dispatcher: arguments dict and the tool name from the if branch', () => {
    const text = [
      'import os',
      '@server.call_tool()',
      'async def handle(name: str, arguments: dict):',
      '    if name == "exec":',
      '        path = arguments.get("path")',
      '        os.system(f"cat {path}")',
    ].join('\n');
    const fs = scan('s.py', text);
    assert.deepEqual(brief(text, fs), ['py-command-injection critical "f\\"cat {path}\\""']);
    assert.match(fs[0]!.message, /tool parameter `path` of tool `exec`/i);
  });

  test('allowlist membership and regex checks sanitise; shlex.quote clears the shell only', () => {
    const text = [
      'import os, re, shlex, subprocess',
      '@mcp.tool()',
      'def run(cmd: str, pkg: str, q: str) -> str:',
      '    if cmd not in ALLOWED:',
      '        raise ValueError(cmd)',
      '    os.system(cmd)',
      '    if not re.fullmatch(r"[a-z-]+", pkg):',
      '        raise ValueError(pkg)',
      '    subprocess.run(f"pip show {pkg}", shell=True)',
      '    subprocess.run(f"grep {shlex.quote(q)} notes.txt", shell=True)',
      '    return ""',
    ].join('\n');
    assert.deepEqual(scan('s.py', text), []);
  });

  test('generic findings are never high outside handlers: no tool parameter reaches them', () => {
    const text = 'import pickle, os\ndef load(data, cmd):\n    os.system(cmd)\n    return pickle.loads(data)\n';
    assert.deepEqual(brief(text, scan('s.py', text)), [
      'py-command-injection medium "cmd"',
      'py-unsafe-deserialization medium "data"',
    ]);
  });
});
