/**
 * A stand-in for the vetting engine, for the protocol tests only: with `MCP_SENTINEL_TEST_HOOKS=1` and
 * `MCP_SENTINEL_TEST_VET=<file>`, the server answers `mcpSentinel/vetServers` from the canned `ServerVet` results in
 * that JSON file instead of fetching anything, so the request, its progress, cancellation, the lenses and the hover
 * are tested over stdio independently of the network and of the engine. Inert in normal use.
 */
import { readFileSync } from 'node:fs';
import { VetError, type ServerVet, type VetOptions } from '../cli/vet';
import { testHooksEnabled } from '../workers/testHooks';
import type { VetServersFn } from './vet';

/** The canned answer: results, and whether to wait for cancellation instead of answering. */
interface CannedVet {
  /** The results, filtered by the requested configs and servers. */
  servers: ServerVet[];
  /** When true, the stand-in reports progress and then waits until the request is cancelled. */
  hang?: boolean;
}

/** The stand-in vetting function when the test hooks ask for it, else undefined. */
export function testVetServers(): VetServersFn | undefined {
  const file = process.env.MCP_SENTINEL_TEST_VET;
  if (!testHooksEnabled() || !file) return undefined;
  return async (configs: readonly string[] | undefined, options: VetOptions): Promise<ServerVet[]> => {
    const canned = JSON.parse(readFileSync(file, 'utf8')) as CannedVet;
    options.onProgress?.(`resolving ${configs ? configs.join(', ') : 'every config'} in ${options.cwd}`);
    if (canned.hang) {
      await new Promise<void>((resolve) => {
        if (options.signal?.aborted) resolve();
        else options.signal?.addEventListener('abort', () => resolve(), { once: true });
      });
      throw new VetError('cancelled', 'vetting cancelled');
    }
    return canned.servers.filter(
      (s) => (!configs || configs.includes(s.config)) && (!options.servers || options.servers.includes(s.server)),
    );
  };
}
