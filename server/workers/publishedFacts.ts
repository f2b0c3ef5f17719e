/**
 * The workspace facts a pool has published, per root, and the message that brings a worker up to date with them. The
 * front end publishes a root's whole index each time an entry changes; a worker that holds an earlier version gets
 * only the entries changed since (an edit in the editor changes one file's entry, and the whole index would cost the
 * size of the workspace on every edit), and a worker that missed more changes than are kept gets the whole index.
 */
import type { FileFacts } from '../engine/facts';
import type { FactsMessage, GlobalFacts } from './protocol';

/** How many changes of a root's facts are kept, to bring a worker that missed some up to date. */
const LOG_LENGTH = 16;

/** A root's published facts: the whole index, and the recent changes to it (oldest first). */
interface Published {
  version: number;
  facts: Record<string, FileFacts>;
  log: Change[];
  /** The whole-workspace part of the merge, when that is all the front end published (`publishMerged`). */
  merged?: GlobalFacts;
}

/** One published change: the version it led from and to, and the entries it replaced or removed. */
interface Change {
  base: number;
  version: number;
  changes: Record<string, FileFacts | null>;
}

/** The facts published to one pool, by root; versions increase across roots. */
export class PublishedFacts {
  private readonly byRoot = new Map<string, Published>();
  private lastVersion = 0;

  /** Publishes a root's whole index (by root-relative file), recording which entries changed. */
  publish(root: string, facts: Record<string, FileFacts>): void {
    const previous = this.byRoot.get(root);
    const version = ++this.lastVersion;
    const log = previous ? [...previous.log, changeOf(previous, version, facts)].slice(-LOG_LENGTH) : [];
    this.byRoot.set(root, { version, facts, log });
  }

  /** Publishes only the whole-workspace part of a root's merge: never sent as changes (its log is empty). */
  publishMerged(root: string, merged: GlobalFacts): void {
    this.byRoot.set(root, { version: ++this.lastVersion, facts: {}, log: [], merged });
  }

  /** The current version of a root's facts, or undefined when none were published. */
  version(root: string): number | undefined {
    return this.byRoot.get(root)?.version;
  }

  /**
   * The message that brings a worker holding version `held` of a root's facts (undefined: none) to the current one:
   * the changes since, when the log still has every step from `held`, else the whole index. The root must have been
   * published.
   */
  messageFor(root: string, held: number | undefined): FactsMessage {
    const now = this.byRoot.get(root)!;
    const steps = held === undefined ? -1 : now.log.findIndex((c) => c.base === held);
    if (steps < 0)
      return {
        type: 'facts',
        root,
        version: now.version,
        facts: now.facts,
        ...(now.merged ? { merged: now.merged } : {}),
      };
    const changes: Record<string, FileFacts | null> = {};
    for (const c of now.log.slice(steps)) Object.assign(changes, c.changes);
    return { type: 'facts', root, version: now.version, base: held!, changes };
  }
}

/**
 * The entries of `facts` that are not those of the previous publication (compared by reference: the front end
 * replaces an entry when a scan re-extracts it, and publishes again only when one changed) and the ones it dropped.
 */
function changeOf(previous: Published, version: number, facts: Record<string, FileFacts>): Change {
  const changes: Record<string, FileFacts | null> = {};
  for (const [file, f] of Object.entries(facts)) if (previous.facts[file] !== f) changes[file] = f;
  for (const file of Object.keys(previous.facts)) if (!(file in facts)) changes[file] = null;
  return { base: previous.version, version, changes };
}
