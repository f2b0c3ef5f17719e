/**
 * The language server's input over `--stdio`, checked frame by frame before vscode-jsonrpc reads it. That reader
 * keeps a header whose `Content-Length` is not a number in its buffer and reports the same error on every later
 * chunk, so one bad header left the server alive, silent and deaf for good. This stream passes well-formed frames
 * through unchanged, and on a bad header writes one line to stderr and skips to the next `Content-Length:` header,
 * so the next valid message is answered.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { format } from 'node:util';

/** A header block longer than this without its blank line is not a header (real ones are under 100 bytes). */
const MAX_HEADER_BYTES = 8 * 1024;

/** A body larger than this is refused (far above any message a client sends, below Node's buffer limit). */
export const MAX_BODY_BYTES = 1024 * 1024 * 1024;

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
const CONTENT_LENGTH = 'content-length:';

/** Why a header block is refused, or its body length. */
function parseHeader(block: string): { length: number } | { error: string } {
  let length: number | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `malformed header line ${JSON.stringify(line.slice(0, 80))}` };
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    // Digits only: parseInt would read "12abc" as 12 and then take the wrong number of bytes as the body.
    if (!/^\d{1,10}$/.test(value) || Number(value) > MAX_BODY_BYTES)
      return { error: `Content-Length ${JSON.stringify(value.slice(0, 40))} is not a length` };
    length = Number(value);
  }
  return length === undefined ? { error: 'no Content-Length header' } : { length };
}

/**
 * A transform from raw stdin bytes to well-formed LSP frames. `report` receives one line per refused header (the
 * server writes it to stderr).
 */
export class FrameGuard extends Transform {
  /** Bytes of a header not yet complete (or being searched for a header while resynchronising). */
  private pending: Buffer = Buffer.alloc(0);
  /** Body bytes still to pass through for the current frame. */
  private remaining = 0;
  /** Looking for the next `Content-Length:` after a refused header. */
  private resync = false;

  constructor(private readonly report: (line: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let data = chunk;
    while (data.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length);
        this.push(data.subarray(0, take));
        this.remaining -= take;
        data = data.subarray(take);
        continue;
      }
      this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data;
      data = this.takeHeaders();
    }
    done();
  }

  /**
   * Consumes complete headers from `pending`; returns the bytes after the last header taken (the start of a body),
   * or an empty buffer when more input is needed.
   */
  private takeHeaders(): Buffer {
    for (;;) {
      if (this.resync) {
        const at = this.pending.toString('latin1').toLowerCase().indexOf(CONTENT_LENGTH);
        if (at < 0) {
          // Keep a tail that may be the start of a split "Content-Length:".
          this.pending = this.pending.subarray(Math.max(0, this.pending.length - CONTENT_LENGTH.length));
          return Buffer.alloc(0);
        }
        this.pending = this.pending.subarray(at);
        this.resync = false;
      }
      const end = this.pending.indexOf(HEADER_END);
      if (end < 0 && this.pending.length <= MAX_HEADER_BYTES) return Buffer.alloc(0);
      if (end < 0 || end > MAX_HEADER_BYTES) {
        this.refuse('a header longer than 8 KB');
        continue;
      }
      const parsed = parseHeader(this.pending.subarray(0, end).toString('latin1'));
      if ('error' in parsed) {
        this.refuse(parsed.error);
        continue;
      }
      this.push(this.pending.subarray(0, end + HEADER_END.length));
      const rest = this.pending.subarray(end + HEADER_END.length);
      this.remaining = parsed.length;
      // An empty body: the next header follows at once.
      this.pending = parsed.length === 0 ? rest : Buffer.alloc(0);
      if (parsed.length > 0) return rest;
    }
  }

  /**
   * Says why a header is refused and looks for the next `Content-Length:` after its first byte: not after its end,
   * since a refused block may hold the start of a good header (garbage followed by a real message).
   */
  private refuse(why: string): void {
    this.report(`mcp-sentinel: ignored a message with a bad header (${why}); skipping to the next header`);
    this.pending = this.pending.subarray(1);
    this.resync = true;
  }
}

/**
 * The streams of `--stdio`, with stdin behind a `FrameGuard` whose refusals go to stderr; undefined for the other
 * transports (`--node-ipc`, sockets), which frame messages themselves. vscode-languageserver moves `console` off
 * stdout only when it opens stdio itself, and stdout carries the protocol, so `console` goes to stderr here.
 */
export function guardedStdio(): { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } | undefined {
  if (!process.argv.slice(2).includes('--stdio')) return undefined;
  const toStderr = (...args: unknown[]): void => void process.stderr.write(format(...args) + '\n');
  console.log = console.info = console.debug = console.warn = console.error = toStderr;
  const input = process.stdin.pipe(new FrameGuard((line) => process.stderr.write(line + '\n')));
  return { input, output: process.stdout };
}
