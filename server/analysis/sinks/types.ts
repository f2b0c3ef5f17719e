import type { RawFinding } from '../../core/rule';
import type { TSNode } from '../parse';

/** The dangerous-sink families; each maps to one canonical category. */
export type SinkFamily = 'command' | 'code' | 'path' | 'ssrf' | 'sql' | 'deser';

/** A call that does something dangerous with one of its arguments. */
export interface Sink {
  /** What kind of danger. */
  family: SinkFamily;
  /** The API, as a reader knows it (`child_process.exec`, `subprocess.run(shell=True)`). */
  api: string;
  /** The whole call. */
  call: TSNode;
  /** The argument expressions that reach the dangerous operation, in order (command, URL, path, SQL, bytes). */
  args: TSNode[];
  /**
   * The argument that makes the call dangerous without any data-flow knowledge (a command, code string, SQL
   * text or serialized payload built from non-literal input), when there is one. Path and SSRF sinks never
   * have one: they are reported only when a tool parameter reaches them.
   */
  dynamicArg?: TSNode;
  /** True when a tool parameter reaching `args` is enough to report the sink (false for ambiguous SQL methods). */
  reportTainted: boolean;
  /**
   * For a path sink, what the call does to the file: reads it (read, list, open for reading, upload), writes it
   * (write, append, create, copy or move to, change mode) or deletes it. The capability inventory reads it to say
   * "reads files" or "writes or deletes files"; absent for other families.
   */
  access?: 'read' | 'write' | 'delete';
  /**
   * A sentence added to the finding's message when it matters for the risk (an HTTP client that follows
   * redirects, a file that is uploaded after it is read).
   */
  note?: string;
  /** A mechanical fix for the sink, when one is safe (yaml.load → yaml.safe_load). */
  fix?: RawFinding['fix'];
}

/** The message note of a request through an HTTP client that follows redirects (`Sink.note`). */
export const REDIRECT_NOTE =
  'The client follows redirects: a host check must hold for every redirect too, or redirects must be turned off.';
