import { applyEdits, modify, parse } from 'jsonc-parser';
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import {
  ACTION_PREFIX,
  COMMAND_IDS,
  SUPPRESS_LINE_ACTION_KIND,
  type SuppressLineActionData,
} from '../../shared/protocol';
import type { LineCommentToken } from '../../shared/languages';
import type { FileKind, Finding } from '../../shared/types';
import { commentSyntaxOf } from '../core/fileKinds';
import { LineIndex } from '../core/text';
import { formatDirective } from '../engine/suppress/directives';

/** The command the client registers to open a rule's documentation; its single argument is the rule id. */
export const SHOW_DOCS_COMMAND = COMMAND_IDS.openRuleDocumentation;

/**
 * The line-comment token a quick fix writes in a file, from the file-type table (shared/languages.ts), or undefined
 * when the file cannot hold comments (strict JSON, plain text): those findings get an ignore-file entry instead.
 */
export function commentToken(file: string, kind: FileKind | undefined): LineCommentToken | undefined {
  return kind ? commentSyntaxOf(file, kind)?.line[0] : undefined;
}

/** Everything the code-action builder needs about one document. */
export interface ActionContext {
  /** Document URI. */
  uri: string;
  /** Current document text. */
  text: string;
  /** Path relative to the project root, forward slashes. */
  file: string;
  /** File kind the document was scanned as. */
  kind: FileKind | undefined;
  /** URI of the project's ignore file (`<root>/.mcp-sentinel/ignore.json`). */
  ignoreFileUri: string;
  /** Current text of the ignore file, or undefined when it does not exist yet. */
  ignoreFileText: string | undefined;
}

/** A finding paired with the diagnostic the editor shows for it (code actions reference the diagnostic). */
export interface ActionTarget {
  /** The finding. */
  finding: Finding;
  /** Its diagnostic, as the client sent it back in the code-action context (or rebuilt). */
  diagnostic: Diagnostic;
}

/** Placeholder the user replaces with the justification of a suppression. */
export const REASON_PLACEHOLDER = '<reason>';

/** The leading white space of a line. */
function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** Line where a file-level directive goes: after a shebang and a Python encoding declaration, which must stay first. */
function fileDirectiveLine(lines: LineIndex): number {
  let line = 0;
  if (lines.lineText(0).startsWith('#!')) line = 1;
  if (line < lines.lineCount && /^#.*coding[:=]/.test(lines.lineText(line))) line++;
  return Math.min(line, lines.lineCount);
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Edits to the ignore file that add one entry, creating the file when it does not exist. */
export function ignoreFileEdit(ctx: ActionContext, entry: Record<string, string>): WorkspaceEdit {
  if (ctx.ignoreFileText === undefined) {
    const content = JSON.stringify({ ignore: [entry] }, null, 2) + '\n';
    return {
      documentChanges: [
        { kind: 'create', uri: ctx.ignoreFileUri, options: { ignoreIfExists: true } },
        {
          textDocument: { uri: ctx.ignoreFileUri, version: null },
          edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: content }],
        },
      ],
    };
  }
  const current = parse(ctx.ignoreFileText) as { ignore?: unknown } | undefined;
  const n = Array.isArray(current?.ignore) ? current.ignore.length : 0;
  const path = Array.isArray(current?.ignore) ? ['ignore', n] : ['ignore'];
  const value = Array.isArray(current?.ignore) ? entry : [entry];
  const raw = modify(ctx.ignoreFileText, path, value, {
    formattingOptions: { insertSpaces: true, tabSize: 2, eol: eolOf(ctx.ignoreFileText) },
    isArrayInsertion: Array.isArray(current?.ignore),
  });
  const lines = new LineIndex(ctx.ignoreFileText);
  const edits: TextEdit[] = raw.map((e) => ({
    range: lines.rangeOf(e.offset, e.offset + e.length),
    newText: e.content,
  }));
  // Sanity check: the edited file must still parse with the new entry in place.
  applyEdits(ctx.ignoreFileText, raw);
  return { changes: { [ctx.ignoreFileUri]: edits } };
}

/**
 * The code actions for the findings under the cursor: the rule's own mechanical fix when it has one, "Suppress
 * <rule> on this line", "Suppress <rule> in this file" (a directive comment in the file's comment syntax, or an
 * ignore-file entry where the file cannot hold comments) and "Show documentation for <rule>". Fixes are generic:
 * whatever `Fix` a rule attached to its finding becomes a quick fix; nothing here knows individual rules.
 */
export function codeActionsFor(ctx: ActionContext, targets: readonly ActionTarget[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const lines = new LineIndex(ctx.text);
  const token = commentToken(ctx.file, ctx.kind);
  const eol = eolOf(ctx.text);
  const docsShown = new Set<string>();
  const fileSuppressed = new Set<string>();
  for (const { finding: f, diagnostic } of targets) {
    if (f.fix && f.fix.edits.length) {
      actions.push({
        title: ACTION_PREFIX + f.fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: { changes: { [ctx.uri]: f.fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
      });
    }
    const line = f.range.start.line;
    if (token) {
      const at = { line, character: 0 };
      const directive = formatDirective({ scope: 'line', ruleIds: [f.ruleId], reason: REASON_PLACEHOLDER });
      actions.push({
        title: `${ACTION_PREFIX}Suppress ${f.ruleId} on this line`,
        kind: SUPPRESS_LINE_ACTION_KIND,
        data: { ruleId: f.ruleId, fingerprint: f.fingerprint } satisfies SuppressLineActionData,
        diagnostics: [diagnostic],
        edit: {
          changes: {
            [ctx.uri]: [
              {
                range: { start: at, end: at },
                newText: `${indentOf(lines.lineText(line))}${token} ${directive}${eol}`,
              },
            ],
          },
        },
      });
    } else {
      actions.push({
        title: `${ACTION_PREFIX}Suppress ${f.ruleId} on this line`,
        kind: SUPPRESS_LINE_ACTION_KIND,
        data: { ruleId: f.ruleId, fingerprint: f.fingerprint } satisfies SuppressLineActionData,
        diagnostics: [diagnostic],
        edit: ignoreFileEdit(ctx, { rule: f.ruleId, fingerprint: f.fingerprint, reason: REASON_PLACEHOLDER }),
      });
    }
    if (!fileSuppressed.has(f.ruleId)) {
      fileSuppressed.add(f.ruleId);
      if (token) {
        const at = { line: fileDirectiveLine(lines), character: 0 };
        actions.push({
          title: `${ACTION_PREFIX}Suppress ${f.ruleId} in this file`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: {
            changes: {
              [ctx.uri]: [
                {
                  range: { start: at, end: at },
                  newText: `${token} ${formatDirective({ scope: 'file', ruleIds: [f.ruleId], reason: REASON_PLACEHOLDER })}${eol}`,
                },
              ],
            },
          },
        });
      } else {
        actions.push({
          title: `${ACTION_PREFIX}Suppress ${f.ruleId} in this file`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: ignoreFileEdit(ctx, { rule: f.ruleId, path: f.file, reason: REASON_PLACEHOLDER }),
        });
      }
    }
    if (!docsShown.has(f.ruleId)) {
      docsShown.add(f.ruleId);
      actions.push({
        title: `${ACTION_PREFIX}Show documentation for ${f.ruleId}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: `Show documentation for ${f.ruleId}`, command: SHOW_DOCS_COMMAND, arguments: [f.ruleId] },
      });
    }
  }
  return actions;
}
