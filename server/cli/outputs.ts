/**
 * Where the CLI writes: report files, baselines and pin files (`writeOutput`), and the destinations of a streamed
 * scan report (`reportOutputs`), which are opened when their first bytes come and written piece by piece.
 */
import { closeSync, mkdirSync, openSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  bufferedWriter,
  fileSpool,
  jsonWriter,
  renderHtml,
  renderText,
  sarifWriter,
  type ReportOutput,
  type ReportWriter,
  type TextOptions,
} from '../reports';
import { FORMAT_EXT, type CommonOptions, type Format } from './args';

/** Where the CLI writes and what it knows about its terminal (the fields this module needs). */
interface OutputIo {
  stdout(s: string): void;
  stdoutIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** A file or folder the CLI was asked to write cannot be written: exit code 2 with this one-line message. */
export class OutputError extends Error {}

/**
 * Creates a folder and the missing folders above it, one level at a time from the nearest one that exists, which
 * must be a folder. Node's recursive mkdirSync loops forever on some paths (under /proc it spins at 100% CPU);
 * this either creates the folder or stops with the reason.
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  let d = dir;
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(d).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' || d === dirname(d)) throw new OutputError(`cannot write to ${dir}: ${d} (${code})`);
      missing.push(d);
      d = dirname(d);
      continue;
    }
    if (!isDir)
      throw new OutputError(d === dir ? `${dir} is not a folder` : `cannot write to ${dir}: ${d} is not a folder`);
    break;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new OutputError(`cannot create the folder ${m} (${code ?? String(e)})`);
    }
  }
}

/**
 * The one way the CLI writes a whole file (reports of `merge`, baselines, pin files): the path is resolved against
 * the working directory, its folder is created as makeFolder does, and a failure is an OutputError. Returns the
 * path written.
 */
export function writeOutput(io: Pick<OutputIo, 'cwd'>, file: string, text: string): string {
  const path = resolve(io.cwd, file);
  makeFolder(dirname(path));
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new OutputError(`cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return path;
}

/** A report file written piece by piece: created (with its folder) on the first write, each piece written at once. */
class FileOutput implements ReportOutput {
  private fd: number | undefined;

  constructor(readonly path: string) {}

  write(s: string): void {
    try {
      if (this.fd === undefined) {
        makeFolder(dirname(this.path));
        this.fd = openSync(this.path, 'w');
      }
      writeSync(this.fd, s);
    } catch (e) {
      if (e instanceof OutputError) throw e;
      throw new OutputError(`cannot write ${this.path} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }

  /** Closes the file; with `remove`, deletes what was written (a scan that failed leaves no partial report). */
  close(remove = false): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    if (remove) {
      try {
        unlinkSync(this.path);
      } catch {
        // Already gone: nothing to clean up.
      }
    }
  }
}

/** The destinations of a streamed scan report, one writer per format. */
export interface ReportOutputs {
  /** The writers, for a report of this root. */
  writers(root: string): ReportWriter[];
  /** Closes every file once the report is complete. */
  close(): void;
  /** Closes and deletes every file written so far: the scan failed. */
  abort(): void;
}

/** The writers of a scan's report: stdout, one file, or one file per format in a folder (as the options say). */
export function reportOutputs(opts: CommonOptions, io: OutputIo): ReportOutputs {
  const toTerminal = !opts.output && !opts.outputDir;
  const color = toTerminal && io.stdoutIsTTY && !io.env.NO_COLOR && !opts.noColor;
  const files: FileOutput[] = [];
  const destinations: [Format, ReportOutput][] = [];
  if (opts.outputDir) {
    const dir = resolve(io.cwd, opts.outputDir);
    for (const f of opts.formats) destinations.push([f, new FileOutput(join(dir, `mcp-sentinel.${FORMAT_EXT[f]}`))]);
  } else if (opts.output) destinations.push([opts.formats[0]!, new FileOutput(resolve(io.cwd, opts.output))]);
  else destinations.push([opts.formats[0]!, { write: (s) => io.stdout(s) }]);
  for (const [, d] of destinations) if (d instanceof FileOutput) files.push(d);
  const text: TextOptions = { color, showSuppressed: opts.showSuppressed, verbose: opts.verbose };
  const spools: ReturnType<typeof fileSpool>[] = [];
  return {
    writers(root) {
      return destinations.map(([format, out]): ReportWriter => {
        switch (format) {
          case 'json':
            return jsonWriter(out, root);
          case 'sarif': {
            const spool = fileSpool();
            spools.push(spool);
            return sarifWriter(out, spool);
          }
          case 'html':
            return bufferedWriter(out, renderHtml, { excerpts: true });
          case 'text':
            return bufferedWriter(out, (input) => renderText(input.report, text));
        }
      });
    },
    close() {
      for (const f of files) f.close();
    },
    abort() {
      for (const s of spools) s.dispose();
      for (const f of files) f.close(true);
    },
  };
}
