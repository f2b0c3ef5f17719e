/**
 * A spool of lines on disk, for the streamed SARIF writer: its results must come after everything the scan only
 * knows at the end, so they wait here instead of in memory. Lines must not contain a line break (serialised JSON
 * has none). The file lives in a private temporary folder and is removed by `dispose`.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** Lines appended, then read back once in the same order. */
export interface Spool {
  /** Appends one line (without a line break). */
  append(line: string): void;
  /** The lines appended so far, in order. */
  lines(): Iterable<string>;
  /** Frees what the spool holds; idempotent. */
  dispose(): void;
}

/** Bytes gathered before a write to the spool file. */
const CHUNK = 1 << 16;

/** A spool in a fresh temporary folder under `dir` (the system's temporary folder by default). */
export function fileSpool(dir = tmpdir()): Spool {
  let folder: string | undefined;
  let fd: number | undefined;
  let buffered: string[] = [];
  let size = 0;
  const flush = () => {
    if (!buffered.length) return;
    if (fd === undefined) {
      folder = mkdtempSync(join(dir, 'mcp-sentinel-spool-'));
      fd = openSync(join(folder, 'results.ndjson'), 'w+', 0o600);
    }
    writeSync(fd, buffered.join(''));
    buffered = [];
    size = 0;
  };
  return {
    append(line) {
      buffered.push(line + '\n');
      size += line.length + 1;
      if (size >= CHUNK) flush();
    },
    *lines() {
      if (fd === undefined) {
        // Everything fitted in one chunk: no file was ever made.
        for (const l of buffered) yield l.slice(0, -1);
        return;
      }
      flush();
      const decoder = new StringDecoder('utf8');
      const buf = Buffer.alloc(CHUNK);
      let position = 0;
      let rest = '';
      for (;;) {
        const n = readSync(fd, buf, 0, CHUNK, position);
        if (n === 0) break;
        position += n;
        const parts = (rest + decoder.write(buf.subarray(0, n))).split('\n');
        rest = parts.pop()!;
        yield* parts;
      }
      rest += decoder.end();
      if (rest) yield rest;
    },
    dispose() {
      buffered = [];
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      if (folder) rmSync(folder, { recursive: true, force: true });
      folder = undefined;
    },
  };
}
