// The facts merge skips the cross-file analyses when fewer than two files have a module summary (engine/facts.ts):
// a call only resolves to a function of a summarised file, so one file alone reaches no other. Checked here on every
// file of the cross-file fixtures, whose files together hold flows of every kind: alone, each yields nothing.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { initParsers } from '../../server/analysis/parse';
import { classifyPath } from '../../server/core/fileKinds';
import { createBackend } from '../../server/core/regex';
import { entryTaintsOf } from '../../server/engine/crossFile';
import { factsOfFile, type FileFacts } from '../../server/engine/facts';
import { toolReachOf } from '../../server/engine/toolReach';
import { ROOT } from '../cli/helpers';

before(async () => {
  await initParsers();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

test('alone, no file of the cross-file fixtures is reached from another, and together they are', () => {
  const dir = join(ROOT, 'test/fixtures/cross-file');
  const backend = createBackend('js');
  const summaries = new Map<string, NonNullable<FileFacts['summary']>>();
  for (const path of filesUnder(dir)) {
    const file = relative(dir, path).split('\\').join('/');
    const kind = classifyPath(file);
    if (kind !== 'js' && kind !== 'python') continue;
    const summary = factsOfFile(backend, file, readFileSync(path, 'utf8'), kind)?.summary;
    if (summary) summaries.set(file, summary);
  }
  assert.ok(summaries.size > 10, `the fixtures have summaries: ${summaries.size}`);
  assert.ok(entryTaintsOf(summaries, []).size > 0, 'together, tool inputs reach other files');
  assert.ok(toolReachOf(summaries, []).size > 0, 'together, tools reach other files');
  for (const [file, summary] of summaries) {
    const alone = new Map([[file, summary]]);
    assert.equal(entryTaintsOf(alone, []).size, 0, `${file} alone has entry taints`);
    assert.equal(toolReachOf(alone, []).size, 0, `${file} alone is reached`);
  }
});
