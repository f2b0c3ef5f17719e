// Test hooks of the scan service, active only with `MCP_SENTINEL_SERVE_TEST_HOOKS=1`: they let the integration tests
// fill the queue and drain on SIGTERM deterministically. `hold` makes every scan that gets a slot wait (and say so
// with a `held` event) until `release`; SIGUSR2 releases too, for the moment the listener is already closed.
import type { Scan } from './scans';

let held = false;
const waiting = new Set<() => void>();

/** True when the hooks are on for this process. */
export function serveTestHooksEnabled(): boolean {
  return process.env.MCP_SENTINEL_SERVE_TEST_HOOKS === '1';
}

/** From now on, scans wait after getting a slot. */
export function holdScans(): void {
  held = true;
}

/** Lets every waiting scan go on, and stops holding new ones. */
export function releaseScans(): void {
  held = false;
  for (const go of [...waiting]) go();
}

/** Waits while scans are held (never in normal use); the scan's signal ends the wait. */
export function testHold(scan: Scan, signal: AbortSignal): Promise<void> {
  if (!held || !serveTestHooksEnabled()) return Promise.resolve();
  return new Promise((resolve) => {
    const go = () => {
      waiting.delete(go);
      signal.removeEventListener('abort', go);
      resolve();
    };
    waiting.add(go);
    signal.addEventListener('abort', go, { once: true });
    scan.emitEvent('held', { id: scan.id });
  });
}
