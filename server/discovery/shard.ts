import { createHash } from 'node:crypto';

/** One part of a sharded scan: `index` is 1-based (`--shard 2/4` → index 2, count 4). */
export interface Shard {
  /** Which part, 1..count. */
  index: number;
  /** How many parts. */
  count: number;
}

/** Parses `K/N` (1 <= K <= N); throws a one-line message otherwise. */
export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!m) throw new Error(`--shard expects K/N (for example 1/4), got "${spec}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new Error(`--shard ${spec}: K must be between 1 and N`);
  return { index, count };
}

/**
 * The shard (1-based) a relative path belongs to. The hash is SHA-256 of the forward-slash relative path, so the
 * partition is the same on every machine, OS and Node version, and a file keeps its shard when others are added.
 */
export function shardOf(relPath: string, count: number): number {
  const h = createHash('sha256').update(relPath, 'utf8').digest();
  return (h.readUInt32BE(0) % count) + 1;
}

/** True when `relPath` belongs to `shard` (always true without a shard). */
export function inShard(relPath: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(relPath, shard.count) === shard.index;
}
