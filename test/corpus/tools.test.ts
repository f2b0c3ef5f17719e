// Tools recall on real servers: every corpus server (scripts/fetch-corpus.mjs, both lists) is read with the model
// that `mcp-sentinel pin` uses (server/engine/pins.ts buildPins) and the tool names it finds are compared with the
// hand count in test/corpus/tools.json. The test fails when the overall recall drops below RECALL_FLOOR, or when a
// name is "found" that the hand count does not list as a tool (a false tool), unless tools.json lists that name as
// a known false tool of the server with the reason. Skipped with a message when the corpus is not fetched.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { initParsers } from '../../server/analysis/parse';
import { DEFAULT_SKIP_DIRS, discover } from '../../server/discovery/discover';
import { readDiscovered } from '../../server/discovery/read';
import { buildPins } from '../../server/engine/pins';
import { ROOT } from '../cli/helpers';

/**
 * The share of hand-counted tools (over all servers) that the model must find. It records the figure measured when
 * the test was written; whoever improves tool recognition raises it to the new measured figure.
 */
const RECALL_FLOOR = 0.96;

/** One tool of a server, counted by hand from its published code. */
interface HandTool {
  /** The name a client sees in tools/list. */
  name: string;
  /** The file (relative to the package folder) where the tool is registered or declared. */
  file: string;
  /** Set when the tool exists only under a flag, an environment variable or a run-time condition. */
  conditional?: string;
}

/** The hand count of one corpus server. */
interface HandServer {
  /** The cache folder under .cache/ that holds the package: `corpus` (first list) or `corpus-more` (second). */
  corpus: 'corpus' | 'corpus-more';
  /** Every tool the server can expose from its own code. */
  tools: HandTool[];
  /** Set when (some of) the tools are made at run time from a spec or a remote listing, so they have no names here. */
  generated?: string;
  /** Set when the package is a proxy or bridge that forwards another server's tools and has none of its own. */
  proxy?: string;
  /** Names the model reports today that are not tools of this server, each with the reason (known false tools). */
  knownFalse?: { name: string; reason: string }[];
  /** How the count was made: registration style, files, anything a reader of the numbers needs. */
  notes?: string;
}

/** The whole hand count file. */
interface HandCount {
  servers: Record<string, HandServer>;
}

/** The tool names the pin model finds in one package folder, as `mcp-sentinel pin` would on its published files. */
function foundTools(cacheDir: string, pkg: string): Set<string> {
  // Published packages keep their code in dist/ or build/, which the default walk skips; the cache is git-ignored.
  const discovery = { skipDirs: DEFAULT_SKIP_DIRS.filter((d) => d !== 'dist' && d !== 'build'), gitignore: false };
  const found = discover(cacheDir, [join(cacheDir, pkg)], discovery);
  const files: { file: string; text: string }[] = [];
  for (const f of found.files) {
    const r = readDiscovered(f);
    if (r.ok) files.push({ file: f.file, text: r.text });
  }
  const names = new Set<string>();
  for (const server of Object.values(buildPins(files).servers))
    for (const name of Object.keys(server.tools)) names.add(name);
  return names;
}

describe('tools recall on the corpus', () => {
  test('the pin model finds the hand-counted tools of every corpus server and no false tool', async (t) => {
    const hand = JSON.parse(readFileSync(join(ROOT, 'test/corpus/tools.json'), 'utf8')) as HandCount;
    const present = Object.entries(hand.servers).filter(([pkg, s]) =>
      existsSync(join(ROOT, '.cache', s.corpus, pkg, 'package/package.json')),
    );
    if (present.length === 0) {
      t.skip('corpus not fetched: run `npm run corpus` (needs the npm registry once; then works offline)');
      return;
    }
    const missingPackages = Object.keys(hand.servers).length - present.length;
    if (missingPackages > 0) t.diagnostic(`${missingPackages} hand-counted server(s) not fetched: run npm run corpus`);
    await initParsers();
    let expected = 0;
    let hit = 0;
    const falseTools: string[] = [];
    for (const [pkg, server] of present) {
      assert.ok(Array.isArray(server.tools), `${pkg}: tools must be a list`);
      const found = foundTools(join(ROOT, '.cache', server.corpus), pkg);
      const names = new Set(server.tools.map((x) => x.name));
      const known = new Set((server.knownFalse ?? []).map((x) => x.name));
      const misses = [...names].filter((n) => !found.has(n));
      expected += names.size;
      hit += names.size - misses.length;
      const extra = [...found].filter((n) => !names.has(n) && !known.has(n));
      falseTools.push(...extra.map((n) => `${pkg}: ${n}`));
      const tags = [server.generated ? 'generated' : '', server.proxy ? 'proxy' : ''].filter(Boolean).join(', ');
      t.diagnostic(
        `${pkg}${tags ? ` (${tags})` : ''}: ${names.size - misses.length}/${names.size} found` +
          (misses.length ? `; missed ${misses.join(', ')}` : '') +
          (extra.length ? `; FALSE ${extra.join(', ')}` : ''),
      );
    }
    const recall = expected === 0 ? 1 : hit / expected;
    t.diagnostic(`overall: ${hit}/${expected} hand-counted tools found (recall ${(recall * 100).toFixed(1)}%)`);
    assert.deepEqual(falseTools, [], 'names found that the hand count does not list as tools');
    assert.ok(
      recall >= RECALL_FLOOR,
      `recall ${(recall * 100).toFixed(1)}% fell below the floor ${(RECALL_FLOOR * 100).toFixed(1)}%`,
    );
  });
});
