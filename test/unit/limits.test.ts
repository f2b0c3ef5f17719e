// The limits of a scan come from one place with one precedence, so the CLI and the editor scan a project alike:
// the project config wins, then the editor's setting, then the default, and the editor's default size limit is the
// CLI's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSettings } from '../../shared/settings';
import { DEFAULT_MAX_FILE_BYTES } from '../../server/discovery/discover';
import { DEFAULT_TIMEOUT_MS, discoveryOptionsOf, scanLimits } from '../../server/engine/limits';

test('the editor default size limit and time budget are the CLI defaults', () => {
  const s = defaultSettings();
  assert.equal(s.maxFileSizeKB * 1024, DEFAULT_MAX_FILE_BYTES);
  assert.equal(s.timeoutMs, DEFAULT_TIMEOUT_MS);
  assert.deepEqual(scanLimits({}), scanLimits({}, s), 'an editor with default settings scans like the CLI');
});

test('the project config wins over the editor setting, which wins over the default', () => {
  const editor = { maxFileSizeKB: 64, timeoutMs: 900, workers: 3 };
  assert.deepEqual(scanLimits({}, editor), { maxFileBytes: 64 * 1024, timeoutMs: 900, workers: 3 });
  assert.deepEqual(scanLimits({ limits: { maxFileSizeKB: 2, timeoutMs: 20000 }, workers: 1 }, editor), {
    maxFileBytes: 2 * 1024,
    timeoutMs: 20000,
    workers: 1,
  });
  assert.deepEqual(scanLimits({ limits: { timeoutMs: 7000 } }, editor), {
    maxFileBytes: 64 * 1024,
    timeoutMs: 7000,
    workers: 3,
  });
});

test('discovery options carry the config globs and the size limit in force', () => {
  const config = { include: ['src/**'], exclude: ['src/generated/**'], limits: { maxFileSizeKB: 2 } };
  assert.deepEqual(discoveryOptionsOf(config, scanLimits(config, { maxFileSizeKB: 64 })), {
    maxFileBytes: 2048,
    include: ['src/**'],
    exclude: ['src/generated/**'],
  });
});
