// Partial module summaries (engine/partialFacts.ts): the batch scan's facts pass keeps only the edges of tool
// handlers and completes the summaries its merge reads. The merge it ends with must equal the merge of full
// summaries, on the cross-file fixtures and the examples (the corpus test scans the benign corpus through the batch).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { initParsers } from '../../server/analysis/parse';
import { regexBackend } from '../../server/core/regex';
import { DEFAULT_SKIP_DIRS, discover } from '../../server/discovery/discover';
import { readDiscovered } from '../../server/discovery/read';
import { factsOfFile, mergeFacts, type FileFacts } from '../../server/engine/facts';
import { summariesToComplete } from '../../server/engine/partialFacts';
import { ROOT } from '../cli/helpers';

/** Full and partial facts of every file under `dir`, in discovery order. */
function factsOf(dir: string): { full: Map<string, FileFacts>; partial: Map<string, FileFacts> } {
  const backend = regexBackend();
  const discovery = { skipDirs: DEFAULT_SKIP_DIRS.filter((d) => d !== 'dist' && d !== 'build'), gitignore: false };
  const full = new Map<string, FileFacts>();
  const partial = new Map<string, FileFacts>();
  for (const f of discover(dir, [dir], discovery).files) {
    const read = readDiscovered(f);
    if (!read.ok) continue;
    const a = factsOfFile(backend, f.file, read.text, f.kind);
    const b = factsOfFile(backend, f.file, read.text, f.kind, undefined, true);
    assert.equal(!!a, !!b, `${f.file}: a partial summary holds facts exactly when the full one does`);
    if (a) full.set(f.file, a);
    if (b) partial.set(f.file, b);
  }
  return { full, partial };
}

/** The batch's completion loop, on this thread: full facts for every file the merge read a partial summary of. */
function complete(partial: Map<string, FileFacts>, full: Map<string, FileFacts>): { rounds: number; left: number } {
  let rounds = 0;
  for (let files = summariesToComplete(partial).files; files.length; files = summariesToComplete(partial).files) {
    rounds++;
    for (const f of files) partial.set(f, full.get(f)!);
  }
  return { rounds, left: [...partial.values()].filter((f) => f.summary?.partial).length };
}

describe('partial module summaries', () => {
  before(() => initParsers());

  it('a partial summary is the full one without the edges of functions', () => {
    const { full, partial } = factsOf(join(ROOT, 'test/fixtures/cross-file'));
    assert.ok(full.size > 0);
    for (const [file, f] of full) {
      const p = partial.get(file)!;
      if (!f.summary) continue;
      const { calls, ...rest } = f.summary;
      const { calls: pCalls, partial: flag, ...pRest } = p.summary!;
      assert.equal(flag, true);
      assert.deepEqual(pRest, rest, file);
      assert.deepEqual(
        pCalls,
        calls.filter((e) => e.caller === ''),
        file,
      );
    }
  });

  for (const dir of ['test/fixtures/cross-file', 'examples']) {
    it(`completing what the merge reads gives the merge of full summaries: ${dir}`, () => {
      const { full, partial } = factsOf(join(ROOT, dir));
      complete(partial, full);
      assert.deepEqual(mergeFacts(partial), mergeFacts(full));
    });
  }

  it('a workspace with cross-file flows completes only the files a tool reaches', () => {
    const { full, partial } = factsOf(join(ROOT, 'test/fixtures/cross-file'));
    const merged = mergeFacts(full);
    assert.ok(merged.entryTaints?.size, 'the fixture has cross-file flows');
    const { rounds, left } = complete(partial, full);
    assert.ok(rounds > 0, 'some summaries were completed');
    assert.ok(left > 0, 'some stayed partial');
  });
});
