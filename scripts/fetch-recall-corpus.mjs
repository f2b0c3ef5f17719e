// Fetches the recall corpus: published versions of real MCP servers (and MCP tooling) from npm with publicly
// disclosed vulnerabilities, plus the fixed version of the same package where npm still serves one, packed with
// `npm pack` and extracted into the git-ignored .cache/recall/<name>@<version>/. test/recall/expected.json says
// where each vulnerability is and what the scanner must report there; test/recall/recall.test.ts checks it.
// Same approach as scripts/fetch-corpus.mjs: pinned versions, idempotent (a package already extracted is not
// fetched again), offline-tolerant (a package that cannot be fetched is reported and skipped; the script fails only
// when the cache ends up empty, and the recall test then skips with a message).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillNpmCache } from './lib/npm-cache.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = join(root, '.cache/recall');

/**
 * The package versions to fetch, read from test/recall/expected.json so that the list of packages and the
 * expectations about them cannot drift apart.
 */
const expected = JSON.parse(readFileSync(join(root, 'test/recall/expected.json'), 'utf8'));
export const RECALL = expected.packages.map((p) => [p.name, p.version]);

fillNpmCache(cache, RECALL, 'recall');
