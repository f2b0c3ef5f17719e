// The editor scans a document's new version while its debounce runs and publishes that result when the debounce
// ends (server/lsp/documents.ts): the debounce holds back the diagnostics, not the work. These tests drive Documents
// with a fake scanner and mocked timers, so that what runs before and after the debounce is checked by events, not
// by time: the result is published only when the debounce ends, its facts are recorded only then, a scan whose
// inputs changed meanwhile is redone, an edit drops the early scan of the version it replaces, keys typed in quick
// succession are only re-parsed, and a document whose edits scan slowly is only re-parsed early.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../shared/types';
import { ChangeLog } from '../../server/lsp/changes';
import { Documents, FIRST_SCAN, earlyScanDelay } from '../../server/lsp/documents';
import type { Scanner, ScanStamp, StampedOutcome } from '../../server/lsp/scanner';
import type { Located, Workspaces } from '../../server/lsp/workspace';
import type { PoolOutcome } from '../../server/workers/pool';

const URI = 'file:///w/server.ts';
const DEBOUNCE = 250;

/** A promise and its resolver. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every pending promise callback run (the fake scanner answers through promises). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

function finding(message: string): Finding {
  return {
    ruleId: 'test-marker',
    category: 'secret',
    severity: 'high',
    message,
    file: 'server.ts',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } },
    fingerprint: `test-marker:${message}`,
    cwe: [],
  };
}

function done(message: string, ms = 5): PoolOutcome {
  return {
    kind: 'done',
    result: { type: 'result', id: 1, findings: [finding(message)], errors: [], ms },
  } as unknown as PoolOutcome;
}

/** A scanner that records every call and answers each scan when the test says so. */
class FakeScanner {
  early: { version: number; answer: (o: StampedOutcome) => void }[] = [];
  late: { version: number; answer: (o: PoolOutcome) => void }[] = [];
  prepared: number[] = [];
  recorded: { outcome: PoolOutcome; publishedBefore: number }[] = [];
  current = true;
  constructor(private readonly published: () => number) {}
  scanUnrecorded(_uri: string, _loc: Located, _text: string, _kind: string, doc: { version: number }) {
    const d = deferred<StampedOutcome>();
    this.early.push({ version: doc.version, answer: d.resolve });
    return d.promise;
  }
  scan(_uri: string, _loc: Located, _text: string, _kind: string, _mode: string, doc: { version: number }) {
    const d = deferred<PoolOutcome>();
    this.late.push({ version: doc.version, answer: d.resolve });
    return d.promise;
  }
  stillCurrent(): Promise<boolean> {
    return Promise.resolve(this.current);
  }
  record(_loc: Located, outcome: PoolOutcome): void {
    this.recorded.push({ outcome, publishedBefore: this.published() });
  }
  prepare(_loc: Located, _text: string, _kind: string, doc: { version: number }): void {
    this.prepared.push(doc.version);
  }
  forget(): void {}
}

const stamp = {} as ScanStamp;

interface Harness {
  documents: Documents;
  scanner: FakeScanner;
  published: { version?: number; messages: string[] }[];
  edit(text: string): Promise<void>;
}

function harness(): Harness {
  const published: Harness['published'] = [];
  const connection = {
    sendDiagnostics: (p: { version?: number; diagnostics: Diagnostic[] }) => {
      published.push({
        ...(p.version === undefined ? {} : { version: p.version }),
        messages: p.diagnostics.map((d) => String(d.message)),
      });
      return Promise.resolve();
    },
    sendNotification: () => Promise.resolve(),
    console: { error: () => undefined },
  } as unknown as Connection;
  let doc = TextDocument.create(URI, 'typescript', 1, 'const a = 1;\n');
  const changes = new ChangeLog();
  const open = {
    get: (uri: string) => (uri === URI ? doc : undefined),
    all: () => [doc],
  } as unknown as TextDocuments<TextDocument>;
  const loc = {
    workspace: { facts: new Map(), uriOf: () => URI, root: '/w' },
    file: 'server.ts',
  } as unknown as Located;
  const workspaces = {
    settings: { get: () => Promise.resolve({ enable: true, debounceMs: DEBOUNCE }) },
    scopeOf: () => '',
    locateAny: () => loc,
  } as unknown as Workspaces;
  const scanner = new FakeScanner(() => published.length);
  const documents = new Documents(connection, open, workspaces, scanner as unknown as Scanner, () => []);
  documents.changes = changes;
  return {
    documents,
    scanner,
    published,
    edit: async (text: string) => {
      doc = changes.configuration().update(doc, [{ text }], doc.version + 1);
      await documents.schedule(doc);
    },
  };
}

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

test('a version is scanned as soon as it arrives, and its result is published when the debounce ends', async () => {
  const h = harness();
  await h.edit('const b = 2;\n');
  assert.deepEqual(
    h.scanner.early.map((e) => e.version),
    [2],
    'the scan started before the debounce ended',
  );
  h.scanner.early[0]!.answer({ outcome: done('v2'), stamp });
  await settle();
  assert.equal(h.published.length, 0, 'nothing is published during the debounce');
  assert.equal(h.scanner.recorded.length, 0, 'its facts are not recorded during the debounce');

  mock.timers.tick(DEBOUNCE);
  await settle();
  assert.deepEqual(h.published, [{ version: 2, messages: ['v2'] }]);
  assert.equal(h.scanner.late.length, 0, 'the version was not scanned twice');
  assert.deepEqual(
    h.scanner.recorded.map((r) => r.publishedBefore),
    [0],
    'the facts are recorded once, as the result is published',
  );
});

test('an early result whose inputs changed during the debounce is not published: the version is scanned again', async () => {
  const h = harness();
  await h.edit('const b = 2;\n');
  h.scanner.early[0]!.answer({ outcome: done('stale'), stamp });
  h.scanner.current = false;
  mock.timers.tick(DEBOUNCE);
  await settle();
  assert.deepEqual(
    h.scanner.late.map((l) => l.version),
    [2],
    'the version is scanned again at the end of the debounce',
  );
  h.scanner.late[0]!.answer(done('fresh'));
  await settle();
  assert.deepEqual(h.published, [{ version: 2, messages: ['fresh'] }]);
  assert.equal(h.scanner.recorded.length, 0, 'the early facts were never recorded (the late scan records its own)');
});

test('an edit during the debounce drops the early scan of the version it replaces', async () => {
  const h = harness();
  await h.edit('const b = 2;\n');
  mock.timers.tick(DEBOUNCE - 1);
  await h.edit('const c = 3;\n');
  h.scanner.early[0]!.answer({ outcome: done('v2'), stamp });
  h.scanner.early[1]!.answer({ outcome: done('v3'), stamp });
  mock.timers.tick(DEBOUNCE);
  await settle();
  assert.deepEqual(h.published, [{ version: 3, messages: ['v3'] }], 'only the newest version is published');
  assert.equal(h.scanner.recorded.length, 1, 'only its facts are recorded');
  assert.equal(h.scanner.late.length, 0);
});

test('an early scan that is still running when the debounce ends is waited for, not repeated', async () => {
  const h = harness();
  await h.edit('const b = 2;\n');
  mock.timers.tick(DEBOUNCE);
  await settle();
  assert.equal(h.published.length, 0);
  h.scanner.early[0]!.answer({ outcome: done('v2'), stamp });
  await settle();
  assert.deepEqual(h.published, [{ version: 2, messages: ['v2'] }]);
  assert.equal(h.scanner.late.length, 0);
});

test('once an edit took long to scan, the next versions are only re-parsed early, and scanned when the debounce ends', async () => {
  const h = harness();
  // The document's first scan analyses it whole: its time does not count.
  await h.edit('const b = 2;\n');
  h.scanner.early[0]!.answer({ outcome: done('v2', 900), stamp });
  mock.timers.tick(DEBOUNCE);
  await settle();
  await h.edit('const c = 3;\n');
  mock.timers.tick(earlyScanDelay(FIRST_SCAN, DEBOUNCE)!);
  assert.equal(h.scanner.early.length, 2, 'an edit after the first scan is scanned early');
  h.scanner.early[1]!.answer({ outcome: done('v3', 900), stamp });
  mock.timers.tick(DEBOUNCE);
  await settle();

  await h.edit('const d = 4;\n');
  assert.equal(h.scanner.early.length, 2, 'no early scan after a slow edit');
  assert.deepEqual(h.scanner.prepared, [3, 4], 'the version is re-parsed instead');
  mock.timers.tick(DEBOUNCE);
  await settle();
  assert.deepEqual(
    h.scanner.late.map((l) => l.version),
    [4],
  );
  h.scanner.late[0]!.answer(done('v4', 20));
  await settle();
  assert.deepEqual(h.published.at(-1), { version: 4, messages: ['v4'] });

  await h.edit('const e = 5;\n');
  mock.timers.tick(earlyScanDelay(20, DEBOUNCE)!);
  assert.equal(h.scanner.early.length, 3, 'a fast scan again: the next edit is scanned early');
});

test('keys typed faster than the early scan starts only re-parse; the pause after the last key scans it early', async () => {
  const h = harness();
  // Two edits make the document's scan time known (its first scan's time does not count).
  for (const text of ['const b = 2;\n', 'const c = 3;\n']) {
    await h.edit(text);
    mock.timers.tick(DEBOUNCE);
    h.scanner.early.at(-1)!.answer({ outcome: done(text, 10), stamp });
    await settle();
  }
  const delay = earlyScanDelay(10, DEBOUNCE)!;
  assert.equal(delay, DEBOUNCE - 45, 'the scan starts its own time twice plus 25 ms before the debounce ends');
  const scansBefore = h.scanner.early.length;
  for (let k = 0; k < 5; k++) {
    await h.edit(`const typed = ${'x'.repeat(k)};\n`);
    mock.timers.tick(delay - 1);
  }
  assert.equal(h.scanner.early.length, scansBefore, 'no version was scanned while the keys came');
  assert.deepEqual(h.scanner.prepared, [3, 4, 5, 6, 7, 8], 'each version was re-parsed');
  mock.timers.tick(1);
  assert.deepEqual(
    h.scanner.early.slice(scansBefore).map((e) => e.version),
    [8],
    'the last version is scanned once the pause is long enough',
  );
  h.scanner.early.at(-1)!.answer({ outcome: done('typed', 10), stamp });
  mock.timers.tick(DEBOUNCE - delay);
  await settle();
  assert.deepEqual(h.published.at(-1), { version: 8, messages: ['typed'] });
  assert.equal(h.scanner.late.length, 0);
});
