/**
 * The hash of an MCP tool's definition: what `mcp-sentinel pin` records in the lock file and what the drift rule
 * compares against on later scans. Both sides must hash the same canonical text, so it is defined once here, next
 * to the metadata it reads; the lock file's format lives in server/project/pins.ts.
 */
import { createHash } from 'node:crypto';
import type { McpEntity, McpMetadata } from './types';

/** Collapses whitespace so re-indenting a schema is not a change of definition. */
function normaliseSource(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The canonical JSON text hashed for a tool: its name, its description texts (decoded, in order), its parameters
 * with their descriptions, and the whitespace-normalised source of its input schema. Keys are in a fixed order.
 */
export function canonicalDefinition(e: McpEntity, text: string): string {
  return JSON.stringify({
    name: e.name?.value ?? '',
    description: e.descriptions.map((d) => d.value),
    params: e.params.map((p) => [p.name, p.description?.value ?? null]),
    inputSchema: e.schemaSpan ? normaliseSource(text.slice(e.schemaSpan.start, e.schemaSpan.end)) : null,
  });
}

/** The SHA-256 (hex) of a tool's canonical definition. */
export function toolHash(e: McpEntity, text: string): string {
  return createHash('sha256').update(canonicalDefinition(e, text)).digest('hex');
}

/** The key a file's tools are pinned under: its first declared server name, else its path. */
export function serverKey(meta: McpMetadata, file: string): string {
  return meta.serverNames[0]?.value || file;
}
