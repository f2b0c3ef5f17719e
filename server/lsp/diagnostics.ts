import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { CONFIG_ERROR_CODE, DIAGNOSTIC_SOURCE, SKIPPED_CODE, type DiagnosticData } from '../../shared/protocol';
import type { ConfigError } from '../project';
import { isInventoryFinding } from '../../shared/capabilities';
import type { Finding, Severity } from '../../shared/types';
import { escapeControl } from '../reports/escape';

/**
 * A message as the Problems view shows it: plain text on one line. Line breaks become spaces (messages are one line
 * by contract, and a stray break would still break the view's layout), then every other control character, bidi
 * override included, is written as a visible escape, since names in messages come from the scanned files.
 */
function plainText(message: string): string {
  return escapeControl(message.replace(/\s*[\r\n]+\s*/g, ' '));
}

/** The documented mapping (docs/design.md): critical/high → Error, medium → Warning, low → Information, info → Hint. */
export function lspSeverity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'critical':
    case 'high':
      return DiagnosticSeverity.Error;
    case 'medium':
      return DiagnosticSeverity.Warning;
    case 'low':
      return DiagnosticSeverity.Information;
    case 'info':
      return DiagnosticSeverity.Hint;
  }
}

/**
 * Turns one unsuppressed finding into a diagnostic. `uriOf` maps a root-relative path to a URI (for related
 * locations) and `href` gives the rule's documentation link.
 */
export function toDiagnostic(
  f: Finding,
  uriOf: (file: string) => string,
  href: (ruleId: string) => string,
): Diagnostic {
  const data: DiagnosticData = { fingerprint: f.fingerprint, category: f.category, cwe: f.cwe, severity: f.severity };
  const d: Diagnostic = {
    range: f.range,
    severity: lspSeverity(f.severity),
    source: DIAGNOSTIC_SOURCE,
    code: f.ruleId,
    codeDescription: { href: href(f.ruleId) },
    message: plainText(f.message),
    data,
  };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r): DiagnosticRelatedInformation => ({
      location: { uri: uriOf(r.file), range: r.range },
      message: plainText(r.message),
    }));
  }
  return d;
}

/** The informational diagnostic that says, on the first line, that a file was not scanned and why. */
export function skippedDiagnostic(reason: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    code: SKIPPED_CODE,
    message: plainText(`MCP Sentinel did not scan this file: ${reason}.`),
  };
}

/** The diagnostics to publish for a document's findings: suppressed findings stay out (the tree view shows them). */
export function diagnosticsFor(
  findings: readonly Finding[],
  uriOf: (file: string) => string,
  href: (ruleId: string) => string,
): Diagnostic[] {
  // The capability inventory (info findings that describe what a tool can do, correct code included) is shown as
  // CodeLens above each tool and in the findings view's Tools group, not as squiggles: a diagnostic on every
  // sink of every tool would bury the defects in the Problems panel.
  return findings.filter((f) => !f.suppressed && !isInventoryFinding(f)).map((f) => toDiagnostic(f, uriOf, href));
}

/** The error diagnostic for a problem in a project file (config, ignore file, baseline, pin file), at its range. */
export function configErrorDiagnostic(e: ConfigError): Diagnostic {
  return {
    range: e.range,
    severity: DiagnosticSeverity.Error,
    source: DIAGNOSTIC_SOURCE,
    code: CONFIG_ERROR_CODE,
    message: plainText(e.message),
  };
}
