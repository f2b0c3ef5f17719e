// The 100k-file tree of the memory benchmark (scale.bench.ts): copies of the real trees the cold/warm figures scan
// (Node's global packages and the Python standard library), hard-linked where the file system allows it so that
// the tree costs no disk, topped up with generated small source files (a tenth of them small MCP servers, so the
// workers have tools to analyse) up to the requested count. It is made once under the temporary folder and reused:
// a marker file written last records the count, so an interrupted build is redone rather than trusted.
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';

/** The tree's folder, its file count and whether this call made it. */
export interface BigTree {
  /** Absolute path of the tree. */
  dir: string;
  /** Regular files in it. */
  files: number;
  /** True when this call built it (false: reused). */
  built: boolean;
}

/** Every regular file under `dir`, depth first, without following symlinks. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) out.push(p);
    }
  }
  return out.sort();
}

/** A small generated source file: every tenth one an MCP server with a tool that reads a path, else a plain module. */
function generated(i: number): { name: string; text: string } {
  if (i % 10 === 0)
    return {
      name: `server${i}.ts`,
      text:
        `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n` +
        `import { readFile } from 'node:fs/promises';\nimport { z } from 'zod';\n\n` +
        `const server = new McpServer({ name: 'gen-${i}', version: '1.0.0' });\n` +
        `server.tool('read_${i}', 'Reads a note', { path: z.string() }, async ({ path }) => ({\n` +
        `  content: [{ type: 'text', text: await readFile(path, 'utf8') }],\n}));\n`,
    };
  if (i % 3 === 0) return { name: `mod${i}.py`, text: `def add_${i}(a, b):\n    return a + b + ${i}\n` };
  return { name: `mod${i}.js`, text: `export function add${i}(a, b) {\n  return a + b + ${i};\n}\n` };
}

/**
 * Builds (or reuses) a tree of about `target` files under `dir` from copies of `sources` plus generated files.
 * Files are hard-linked when possible and copied otherwise.
 */
export function bigTree(dir: string, sources: readonly string[], target: number): BigTree {
  const marker = join(dir, '.bench-tree');
  if (existsSync(marker) && Number(readFileSync(marker, 'utf8')) === target)
    return { dir, files: target, built: false };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const each = sources.map((s) => ({ src: s, files: filesUnder(s) }));
  const perCopy = each.reduce((n, s) => n + s.files.length, 0);
  const copies = perCopy ? Math.floor(target / perCopy) : 0;
  let made = 0;
  for (let c = 0; c < copies; c++)
    for (const s of each)
      for (const f of s.files) {
        const to = join(
          dir,
          `copy${String(c).padStart(2, '0')}`,
          s.src.replace(/^\//, '').replace(/\//g, '_'),
          relative(s.src, f),
        );
        mkdirSync(join(to, '..'), { recursive: true });
        try {
          linkSync(f, to);
        } catch {
          try {
            copyFileSync(f, to);
          } catch {
            continue;
          }
        }
        made++;
      }
  for (let i = 0; made < target; i++, made++) {
    const g = generated(i);
    const sub = join(dir, 'generated', String(Math.floor(i / 100)));
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, g.name), g.text);
  }
  writeFileSync(marker, String(target));
  return { dir, files: made, built: true };
}
