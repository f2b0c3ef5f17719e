import type { TSNode } from '../parse';
import type { Span } from '../../engine/rule';

/**
 * The contract between MCP metadata extraction (server/analysis/mcp/extract.ts) and every MCP-aware detector:
 * poisoning rules read the strings, taint rules read the handlers.
 */

/** A metadata string as the model will see it, with where it stands in the source. */
export interface MetaString extends Span {
  /** The decoded value (escapes resolved, constants and template pieces spliced in where known). */
  value: string;
  /**
   * Where each character of `value` came from, when the value was assembled from pieces or escapes: for a plain
   * literal without escapes this is absent and `start + i` is the offset of character i.
   */
  pieces?: (Span & { value: string })[];
}

/** One input parameter of a tool, as declared in its schema (zod, JSON Schema, Python signature). */
export interface McpParam {
  /** Parameter name. */
  name: string;
  /** Where the name is declared. */
  nameSpan: Span;
  /** Its description, if any (zod .describe(), JSON Schema description, Field(description=…)). */
  description?: MetaString;
}

/** A tool, prompt or resource registered by a server. */
export interface McpEntity {
  /** What it is. */
  kind: 'tool' | 'prompt' | 'resource';
  /** Its name (for resources, the name or the URI template). */
  name?: MetaString;
  /** Description texts: the description argument or field, a Python docstring, a title. */
  descriptions: MetaString[];
  /** Declared parameters. */
  params: McpParam[];
  /** The whole registration (call, decorator + function, object literal). */
  span: Span;
  /** The handler function whose parameters hold untrusted tool input, when it is in this file. */
  handler?: TSNode;
  /** The handler's parameter nodes (identifiers or destructuring patterns) that receive the tool input. */
  handlerParams: TSNode[];
}

/** Everything MCP-specific found in one document. */
export interface McpMetadata {
  /** Registered tools, prompts and resources. */
  entities: McpEntity[];
  /** Server instructions (`new McpServer(info, { instructions })`, FastMCP(instructions=…)). */
  instructions: MetaString[];
  /** Server names declared in this document. */
  serverNames: MetaString[];
  /** True when the document imports or requires an MCP SDK (detectors may use it to stay quiet elsewhere). */
  usesMcpSdk: boolean;
}
