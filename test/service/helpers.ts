// Shared by the scan service tests: a real `dist/cli.js serve` child process on 127.0.0.1 port 0, its JSON log lines
// as awaitable events, and a Server-Sent Events reader. Every wait is on an event (a log line, a stream event, the
// process's exit), never on time.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from '../cli/helpers';

/** A running service child process. */
export interface Served {
  /** The child. */
  child: ChildProcess;
  /** http://127.0.0.1:PORT */
  base: string;
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line (past or future) whose `event` is this one. */
  logEvent(event: string): Promise<Record<string, unknown>>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Everything written to stderr. */
  stderr(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<number | null>;
}

/** Starts `serve` with the given arguments and waits until it listens and (unless `ready: false`) is ready. */
export async function serve(
  args: string[],
  env: Record<string, string> = {},
  opts: { ready?: boolean } = {},
): Promise<Served> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'serve', '--port', '0', '--no-cache', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const logs: Record<string, unknown>[] = [];
  const waiters: { event: string; resolve: (l: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let l: Record<string, unknown>;
    try {
      l = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    logs.push(l);
    for (const w of waiters.filter((w) => w.event === l.event)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(l);
    }
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const logEvent = (event: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const past = logs.find((l) => l.event === event);
      if (past) return resolve(past);
      waiters.push({ event, resolve });
      void exited.then((code) => reject(new Error(`serve exited (${code}) before "${event}": ${err}`)));
    });
  const listening = await logEvent('listening');
  if (opts.ready !== false) await logEvent('ready');
  return {
    child,
    base: `http://127.0.0.1:${listening.port as number}`,
    logs,
    logEvent,
    exited,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** One Server-Sent Event. */
export interface SseEvent {
  type: string;
  data: Record<string, unknown>;
}

/** Reads an event stream: `next(type)` resolves with the next event of that type (skipping others). */
export class SseReader {
  private readonly seen: SseEvent[] = [];
  private readonly waiters: { type: string; resolve: (e: SseEvent) => void; reject: (e: Error) => void }[] = [];
  private ended = false;
  /** Every event so far. */
  get events(): readonly SseEvent[] {
    return this.seen;
  }

  /** Starts reading the response body. */
  constructor(res: Response) {
    void this.read(res);
  }

  private async read(res: Response): Promise<void> {
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += Buffer.from(chunk).toString('utf8');
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
          this.push({ type, data });
        }
      }
    } catch {
      // The client aborted the stream.
    }
    this.ended = true;
    for (const w of this.waiters.splice(0)) w.reject(new Error(`the stream ended before "${w.type}"`));
  }

  private push(e: SseEvent): void {
    this.seen.push(e);
    const w = this.waiters.find((w) => w.type === e.type);
    if (w) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(e);
    }
  }

  private cursor = new Map<string, number>();

  /** The next not yet returned event of this type. */
  next(type: string): Promise<SseEvent> {
    const from = this.cursor.get(type) ?? 0;
    const idx = this.seen.findIndex((e, i) => i >= from && e.type === type);
    if (idx >= 0) {
      this.cursor.set(type, idx + 1);
      return Promise.resolve(this.seen[idx]!);
    }
    if (this.ended) return Promise.reject(new Error(`the stream ended before "${type}"`));
    return new Promise((resolve, reject) =>
      this.waiters.push({
        type,
        resolve: (e) => {
          this.cursor.set(type, this.seen.length);
          resolve(e);
        },
        reject,
      }),
    );
  }
}

/** POSTs JSON. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

/** Parses Prometheus text into `name{labels}` → value. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+?(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}
