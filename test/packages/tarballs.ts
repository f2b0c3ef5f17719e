// Builds package tarballs in the tests, entry by entry, with the `tar` package's header encoder: a hostile archive
// needs entries no packer would write (a `..` path, an absolute path, links, devices), so the archive is assembled
// here from raw headers rather than from files on disk.
import { gzipSync } from 'node:zlib';
import { Header, type HeaderData } from 'tar';

/** One archive entry: a file with its text, or any other header (link, device, folder) without data. */
export interface TarEntry {
  /** The path as the header stores it (npm tarballs put everything under `package/`). */
  path: string;
  /** The file's content; omitted for entries without data. */
  data?: string | Buffer;
  /** The entry type (default `File`). */
  type?: HeaderData['type'];
  /** The target of a link. */
  linkpath?: string;
}

/** The uncompressed tar bytes of the entries. */
export function tarBytes(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const type = e.type ?? 'File';
    const h = new Header({
      path: e.path,
      mode: type === 'Directory' ? 0o755 : 0o644,
      size: type === 'File' ? data.length : 0,
      type,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
      ...(e.linkpath ? { linkpath: e.linkpath } : {}),
    });
    const header = Buffer.alloc(512);
    h.encode(header);
    blocks.push(header);
    if (type === 'File' && data.length) {
      blocks.push(data);
      const pad = (512 - (data.length % 512)) % 512;
      if (pad) blocks.push(Buffer.alloc(pad));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** The gzipped tarball of the entries. */
export function tarball(entries: readonly TarEntry[]): Buffer {
  return gzipSync(tarBytes(entries));
}

/** A small MCP server package: a manifest and one tool that runs its argument through a shell. */
export function serverPackage(name = 'demo-mcp-server', version = '1.0.0'): TarEntry[] {
  return [
    { path: 'package/package.json', data: JSON.stringify({ name, version, main: 'dist/index.js' }) },
    {
      path: 'package/dist/index.js',
      data: [
        'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";',
        'import { z } from "zod";',
        'import { exec } from "node:child_process";',
        'const server = new McpServer({ name: "demo", version: "1.0.0" });',
        'server.tool("run", "Runs a command.", { cmd: z.string() }, async ({ cmd }) => {',
        '  exec(cmd);',
        '  return { content: [{ type: "text", text: "ok" }] };',
        '});',
        '',
      ].join('\n'),
    },
  ];
}
