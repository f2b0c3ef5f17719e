import type { TSNode } from '../parse';
import type { Span } from '../../core/rule';

/**
 * The contract between MCP metadata extraction (server/analysis/mcp/extract.ts) and every MCP-aware detector:
 * poisoning rules read the strings, taint rules read the handlers.
 */

/** A metadata string as the model will see it, with where it stands in the source. */
export interface MetaString extends Span {
  // `start`/`end` cover the exact string content (inside the quotes) for a plain literal; for an assembled value
  // they cover the whole expression. Use `sourceSpan()` from ./strings to map decoded offsets to source offsets.
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
  /**
   * The parameter's other model-visible strings: its title, enum and const values, default and examples. Clients send
   * the whole input schema to the model, so the poisoning rules read these as they read the description.
   */
  texts?: MetaString[];
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
  /** The handler reference when the handler function is not in this file (an imported name or member), for cross-file analysis. */
  handlerRef?: TSNode;
  /** The handler's parameter nodes (identifiers or destructuring patterns) that receive the tool input. */
  handlerParams: TSNode[];
  /**
   * Where the input schema is written (zod shape, JSON Schema, Python signature), when there is one; the pin file
   * hashes its whitespace-normalised text so a changed parameter type counts as a changed definition.
   */
  schemaSpan?: Span;
  /** Which registration form produced the entity (titles and annotation titles are part of `descriptions`). */
  api?: McpApi;
}

/**
 * Which registration form produced an entity: `sdk` (server.tool/registerTool/@mcp.tool…), `list` (an object in a
 * low-level tools/list answer, `Tool(...)` in Python), `json` (a tool list in a JSON file), `fastmcp` (the `fastmcp`
 * package's `addTool`/`addPrompt`/`addResource`/`addResourceTemplate`), `framework` (an `mcp-framework` class such as
 * `class X extends MCPTool`), `object` (a tool object declared on its own, `{ name, description, inputSchema,
 * handler }`, registered elsewhere), `wrapper` (a project or library helper such as `tool({...})`, `defineTool(...)`),
 * `generated` (a registration whose name is computed at run time: a loop over tool objects or tools generated from
 * an OpenAPI or similar spec; such an entity may have no name, but its handler's input is tool input), `dispatch` (a
 * name a Python low-level `call_tool` dispatcher branches on, when no `Tool(...)` of that name is in the file).
 */
export type McpApi =
  'sdk' | 'list' | 'json' | 'fastmcp' | 'framework' | 'object' | 'wrapper' | 'generated' | 'dispatch';

/**
 * A low-level request handler that receives every call of one kind and dispatches on the name:
 * TS `server.setRequestHandler(CallToolRequestSchema, async (request, extra) => …)`, Python
 * `@server.call_tool()` `async def handle(name, arguments)`.
 *
 * How to treat its input as untrusted (for taint rules):
 * - `lang: 'js'`: `handlerParams[0]` is the request (an identifier, or an object pattern such as `{ params }`).
 *   The untrusted values are `<request>.params.arguments` (tool arguments, an object whose every property is
 *   attacker-chosen) and `<request>.params` in general (`.name`, `.uri` for resources, `.arguments` for prompts),
 *   plus whatever is destructured from them (`const { path } = request.params.arguments`).
 * - `lang: 'python'`: every node in `handlerParams` is untrusted as a whole (`name`, `arguments` dict).
 */
export interface McpDispatcher {
  /** What it dispatches. */
  kind: 'tool' | 'prompt' | 'resource';
  /** Source language of the handler. */
  lang: 'js' | 'python';
  /** The handler function. */
  handler: TSNode;
  /** Its parameter nodes that receive client input (see the interface doc for how to read them). */
  handlerParams: TSNode[];
  /** The whole registration (call or decorated definition). */
  span: Span;
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
  /** Low-level call handlers (CallTool, GetPrompt, ReadResource) whose request parameters are untrusted. */
  dispatchers: McpDispatcher[];
}
