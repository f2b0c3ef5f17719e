// Fetches the benign corpus: real MCP servers from npm, packed with `npm pack` and extracted into the git-ignored
// .cache/corpus/<name>@<version>/. Versions are pinned so the corpus test is reproducible. Idempotent (a package
// already extracted is not fetched again) and offline-tolerant: a package that cannot be fetched is reported and
// skipped; the script fails only when the cache ends up empty, and the corpus test then skips with a message.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillNpmCache } from './lib/npm-cache.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = join(root, '.cache/corpus');

/** The reference MCP servers, pinned to the versions the allowance in test/corpus/allowance.json was made for. */
export const CORPUS = [
  ['@modelcontextprotocol/server-filesystem', '2026.8.31'],
  ['@modelcontextprotocol/server-memory', '2026.8.31'],
  ['@modelcontextprotocol/server-everything', '2026.8.31'],
  ['@modelcontextprotocol/server-github', '2025.4.8'],
  ['@modelcontextprotocol/server-sequential-thinking', '2026.8.31'],
  ['@modelcontextprotocol/server-puppeteer', '2025.5.12'],
  ['@modelcontextprotocol/server-brave-search', '0.6.2'],
  ['@modelcontextprotocol/server-google-maps', '0.6.2'],
  ['@modelcontextprotocol/server-slack', '2025.4.25'],
  ['@modelcontextprotocol/server-postgres', '0.6.2'],
  ['@modelcontextprotocol/server-gitlab', '2025.4.25'],
  ['@modelcontextprotocol/server-redis', '2025.4.25'],
  ['@modelcontextprotocol/server-gdrive', '2025.1.14'],
  ['@modelcontextprotocol/server-aws-kb-retrieval', '0.6.2'],
  ['@modelcontextprotocol/server-everart', '0.6.2'],
  // Popular third-party servers (TypeScript/JavaScript), as published: compiled JS in dist/ or build/, written by
  // people who never saw this scanner. Versions were the current ones on npm when the triage in
  // test/corpus/TRIAGE.md was made; bump a version only together with a new triage.
  ['@playwright/mcp', '0.0.83'],
  ['@upstash/context7-mcp', '4.1.1'],
  ['firecrawl-mcp', '3.26.0'],
  ['@notionhq/notion-mcp-server', '2.5.2'],
  ['@supabase/mcp-server-supabase', '0.13.0'],
  ['mcp-server-kubernetes', '4.1.7'],
  ['@browserbasehq/mcp-server-browserbase', '2.4.3'],
  ['exa-mcp-server', '3.4.1'],
  ['tavily-mcp', '0.2.22'],
  ['@heroku/mcp-server', '1.2.8'],
  ['@cloudflare/mcp-server-cloudflare', '0.2.0'],
  ['@sentry/mcp-server', '0.39.0'],
  ['@stripe/mcp', '0.3.3'],
  ['mongodb-mcp-server', '3.0.4'],
  ['@agentdeskai/browser-tools-mcp', '2.0.2'],
  ['@executeautomation/playwright-mcp-server', '1.0.12'],
  ['@kimtaeyoon83/mcp-server-youtube-transcript', '0.1.1'],
  ['mcp-remote', '0.15.1'],
  ['@wonderwhy-er/desktop-commander', '0.2.52'],
  ['@benborla29/mcp-server-mysql', '2.0.9'],
  ['@hubspot/mcp-server', '0.4.0'],
  ['@translated/lara-mcp', '1.0.6'],
  ['@21st-dev/magic', '0.2.3'],
  ['@gongrzhe/server-gmail-autoauth-mcp', '1.1.11'],
  ['@zereight/mcp-gitlab', '2.1.64'],
  ['@aashari/mcp-server-atlassian-jira', '3.3.0'],
  ['mcp-server-code-runner', '0.1.8'],
  ['figma-developer-mcp', '0.13.2'],
  ['@shopify/dev-mcp', '1.16.0'],
];

/**
 * Twenty-five more real servers, chosen for variety of registration style and of powers: fastmcp
 * (task-master-ai, discogs-mcp-server), the low-level `Server` with switch dispatch, tool objects in their own
 * modules, tools generated at run time from an OpenAPI spec (@ivotoby/openapi-mcp-server), the SDK 2.x packages,
 * and servers that run shells, git, docker, SSH, browsers, databases and file managers, some with past advisories
 * (@cyanheads/git-mcp-server, ios-simulator-mcp). They live in their own folder, .cache/corpus-more/, so that a
 * checkout whose fetch script and allowance predate them neither prunes them nor scans them. Versions are the ones
 * the hand counts in test/corpus/tools.json and the triage in test/corpus/TRIAGE.md were made for.
 */
export const CORPUS_MORE = [
  ['task-master-ai', '0.43.1'],
  ['discogs-mcp-server', '0.5.7'],
  ['@cyanheads/git-mcp-server', '2.15.3'],
  ['ios-simulator-mcp', '2.1.0'],
  ['@executeautomation/database-server', '1.1.0'],
  ['mcp-server-commands', '0.5.0'],
  ['@kazuph/mcp-fetch', '1.6.3'],
  ['mcp-server-docker', '1.0.0'],
  ['airtable-mcp-server', '1.14.0'],
  ['@ivotoby/openapi-mcp-server', '1.16.1'],
  ['@browsermcp/mcp', '0.1.3'],
  ['puppeteer-mcp-server', '0.7.2'],
  ['mcp-mongo-server', '3.0.1'],
  ['@bytebase/dbhub', '0.21.2'],
  ['@elastic/mcp-server-elasticsearch', '0.3.1'],
  ['obsidian-mcp', '1.0.6'],
  ['@mako10k/mcp-shell-server', '2.7.1'],
  ['ssh-mcp', '2.11.0'],
  ['duckduckgo-mcp-server', '0.1.2'],
  ['mcp-fetch-server', '1.1.2'],
  ['docker-mcp', '1.0.0'],
  ['@automatalabs/mcp-server-playwright', '1.2.1'],
  ['@jpisnice/shadcn-ui-mcp-server', '2.0.0'],
  ['@line/line-bot-mcp-server', '0.4.2'],
  ['mcp-searxng', '1.16.0'],
];

fillNpmCache(cache, CORPUS, 'corpus');
fillNpmCache(join(root, '.cache/corpus-more'), CORPUS_MORE, 'corpus-more');
