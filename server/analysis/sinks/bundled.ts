import type { DetectContext, Span } from '../../core/rule';

/**
 * Published MCP servers are often single-file bundles (esbuild, rollup, tsdown, rolldown) that inline their
 * dependencies. The bundlers mark where each inlined module starts with a comment at the start of a line naming
 * its source path: esbuild writes `// node_modules/ajv/dist/compile/index.js`, rollup-family tools write
 * `//#region ../node_modules/…/index.mjs` … `//#endregion`. Code between such a marker and the next one is the
 * dependency's, not the server's: the scanner leaves `node_modules/` folders alone, and a bundled copy of the same
 * module is no different. Generic findings (a non-literal string reaching a sink with no tool parameter involved)
 * are therefore not reported inside these spans; a tool parameter that reaches a sink there still is.
 */

// A whole-line comment that names a module path ending in a script extension, or a rollup `//#endregion`.
// Group 1 is the path (absent for an end-of-region line).
const MARKER =
  '^//(?:#region)?[ \\t]+((?:\\.\\.?/)*[A-Za-z0-9_@.+-]+(?:/[A-Za-z0-9_@.+-]+)+\\.[cm]?[jt]sx?)[ \\t]*\\r?$|^//#endregion\\b';

/**
 * The spans of the document that hold code a bundler inlined from `node_modules/`, in document order (empty for
 * ordinary sources).
 */
export function bundledDependencySpans(ctx: DetectContext): Span[] {
  return ctx.memo('sinks:bundled', () => {
    // Cheap exit for the common case: a source file that names no node_modules path is not a bundle of them.
    if (!ctx.text.includes('node_modules/')) return [];
    const spans: Span[] = [];
    let open: number | undefined;
    for (const m of ctx.re(MARKER, 'm').matchAll(ctx.doc)) {
      if (open !== undefined) spans.push({ start: open, end: m.start });
      const path = m.groups[1]?.text;
      open = path && /(?:^|\/)node_modules\//.test(path) ? m.end : undefined;
    }
    if (open !== undefined) spans.push({ start: open, end: ctx.text.length });
    return spans;
  });
}

/** True when [start, end) lies inside one of the spans. */
export function insideSpans(spans: readonly Span[], start: number, end: number): boolean {
  return spans.some((s) => s.start <= start && end <= s.end);
}
