/**
 * Test hooks for the protocol tests, active only when the server runs with `MCP_SENTINEL_TEST_HOOKS=1`: they make a
 * worker crash or hang on demand (to test recovery) and add one deterministic rule (to test debouncing and quick
 * fixes independently of the real rule packs). They are inert in normal use.
 */
import { defineRule, type Rule } from '../core/rule';

/** True when the test hooks are switched on for this process. */
export function testHooksEnabled(): boolean {
  return process.env.MCP_SENTINEL_TEST_HOOKS === '1';
}

/**
 * Crashes the worker thread (uncaught error), slows the scan down, spins forever, or allocates a given amount of
 * heap (`mcp-sentinel-test:alloc=<MB>`), when the text holds the matching marker. Returns true when the worker is
 * about to crash: the job must then not answer.
 */
export function runTestHooks(text: string): boolean {
  const alloc = /mcp-sentinel-test:alloc=(\d+)/.exec(text);
  if (alloc) allocateMb(Number(alloc[1]));
  if (text.includes('mcp-sentinel-test:crash')) {
    // Thrown outside the job's try/catch so it is an uncaught error, like a native crash or a detector bug.
    setImmediate(() => {
      throw new Error('test hook: worker crash');
    });
    return true;
  }
  if (text.includes('mcp-sentinel-test:slow')) {
    // A slow scan (150 ms), so that edits can overtake it and its late result must be dropped.
    const until = Date.now() + 150;
    while (Date.now() < until) {
      /* busy, like a heavy detector */
    }
  }
  if (text.includes('mcp-sentinel-test:hang')) {
    for (;;) {
      if (Date.now() < 0) break;
    }
  }
  return false;
}

/**
 * Holds about `mb` megabytes of live JavaScript objects at once, then lets them go: what a file whose analysis needs
 * that much heap does to its worker. The pool's heap bound (pool.ts `heapLimitMb`) is tested with it.
 */
function allocateMb(mb: number): void {
  const held: number[][] = [];
  // An array of 128 Ki small integers costs about 1 MB of heap (8 bytes per element on a 64-bit build).
  for (let i = 0; i < mb; i++) held.push(new Array<number>(128 * 1024).fill(i));
  if (held.length !== mb) throw new Error('test hook: allocation went wrong');
}

/** A deterministic rule: `TEST_MARKER_<word>` anywhere in a JS/TS or Python file, with a mechanical fix. */
export function testHookRules(): Rule[] {
  return [
    defineRule({
      id: 'test-marker',
      title: 'Test marker',
      description: 'A test marker is present, which protocol tests use to check publishing.',
      category: 'other',
      severity: 'medium',
      cwe: ['CWE-000'],
      owasp: [],
      kinds: ['js', 'python', 'mcp-config', 'json', 'text'],
      keywords: ['TEST_MARKER_'],
      docs: 'Flags `TEST_MARKER_*` identifiers. Replace them with `FIXED`.',
      fixable: true,
      detect(ctx) {
        return ctx
          .re('TEST_MARKER_[A-Za-z0-9_]+')
          .matchAll(ctx.doc)
          .map((m) => ({
            start: m.start,
            end: m.end,
            message: `Test marker ${m.text} found.`,
            fix: { title: 'Replace the marker with FIXED', edits: [{ start: m.start, end: m.end, newText: 'FIXED' }] },
          }));
      },
      positive: [],
      negative: [],
    }),
  ];
}
