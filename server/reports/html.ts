import { createHash } from 'node:crypto';
import { CATEGORIES, SEVERITIES, type Category, type RuleMeta } from '../../shared/types';
import { CAPABILITY_LABEL, groupInventory } from '../../shared/capabilities';
import { TOOL_NAME, type Excerpt, type ReportFinding, type ReportInput } from './model';
import { flowOf } from './flow';
import { docPointer } from './help';
import { summaryLine } from './text';

/** Lines longer than this are cut in excerpts (generated code), after masking. */
const MAX_LINE = 400;

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * The steps of a finding's cross-file flow that lead to it, as an ordered list under its message (the last step,
 * the sink, is the finding itself); empty when it has none. Paths and messages come from the scanned files: escaped.
 */
function flowHtml(f: ReportFinding): string {
  const steps = flowOf(f)?.slice(0, -1);
  if (!steps?.length) return '';
  const items = steps.map(
    (s) =>
      `<li><span class="rule">${escapeHtml(s.file)}:${escapeHtml(String(s.range.start.line))}:${escapeHtml(String(s.range.start.column))}</span> ${escapeHtml(s.message)}</li>`,
  );
  return `<ol class="flow">${items.join('')}</ol>`;
}

/**
 * A finding's fix line and where to read more: a link only to an https page (a relative path would resolve against
 * wherever the report file was saved), else the command that prints the rule page. Every value is escaped.
 */
function fixHtml(f: ReportFinding): string {
  if (!f.fix) return '';
  const more = f.helpUri?.startsWith('https://')
    ? `<a href="${escapeHtml(f.helpUri)}">rule page</a>`
    : `<code>${escapeHtml(docPointer(f))}</code>`;
  return `<div class="fix">Fix: ${escapeHtml(f.fix)} (${more})</div>`;
}

/** A finding's code excerpt as table rows; the lines were masked by `buildReport`, here they are only escaped. */
function contextHtml(f: ReportFinding, excerpt: Excerpt): string {
  const rows = excerpt.lines.map((text, i) => {
    const l = excerpt.firstLine + i;
    const hit = l >= f.range.start.line && l <= f.range.end.line;
    const shown = text.length > MAX_LINE ? text.slice(0, MAX_LINE) + '…' : text;
    return `<tr${hit ? ' class="hit"' : ''}><td class="ln">${l}</td><td><code>${escapeHtml(shown)}</code></td></tr>`;
  });
  return `<table class="ctx">${rows.join('')}</table>`;
}

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:12px 20px}header h1{margin:0;font-size:18px}
main{padding:16px 20px;max-width:1200px}
.cards{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:6px 12px;min-width:80px}
.card b{display:block;font-size:20px}
.filters{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:12px 0;display:flex;gap:16px;flex-wrap:wrap;align-items:center}
.filters label{white-space:nowrap}
.file{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:12px 0}
.file h2{font-size:14px;margin:0;padding:8px 12px;border-bottom:1px solid #d0d7de;background:#f6f8fa;font-family:ui-monospace,monospace}
.finding{padding:8px 12px;border-top:1px solid #eaeef2}
.sev{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;color:#fff}
.sev-critical{background:#8b0000}.sev-high{background:#cf222e}.sev-medium{background:#bf8700}.sev-low{background:#0969da}.sev-info{background:#6e7781}
.fix{color:#1a7f37;font-size:13px;margin-top:2px}
.rule,.cat{font-family:ui-monospace,monospace;font-size:12px;color:#57606a}
.ctx{border-collapse:collapse;margin-top:6px;width:100%;font-size:12px}
.ctx td{padding:0 6px;vertical-align:top}.ctx .ln{color:#8c959f;text-align:right;width:1%;user-select:none}
.ctx code{white-space:pre-wrap;word-break:break-all}.ctx tr.hit{background:#fff8c5}
.suppressed{opacity:.6}
table.summary{border-collapse:collapse;background:#fff}table.summary td,table.summary th{border:1px solid #d0d7de;padding:2px 8px;text-align:left}
[hidden]{display:none!important}
`;

// Filtering runs entirely in the page, so the report works offline and from a file:// URL.
const JS = `
(function(){
  var boxes=[].slice.call(document.querySelectorAll('input[data-filter]'));
  var q=document.getElementById('q');
  var sup=document.getElementById('show-suppressed');
  function apply(){
    var on={severity:{},category:{}};
    boxes.forEach(function(b){on[b.dataset.filter][b.value]=b.checked;});
    var needle=q.value.toLowerCase();
    var shown=0;
    document.querySelectorAll('.finding').forEach(function(f){
      var ok=on.severity[f.dataset.severity]&&on.category[f.dataset.category]&&
        (!needle||f.textContent.toLowerCase().indexOf(needle)>=0)&&(sup.checked||f.dataset.suppressed!=='true');
      f.hidden=!ok; if(ok) shown++;
    });
    document.querySelectorAll('.file').forEach(function(s){
      s.hidden=!s.querySelector('.finding:not([hidden])');
    });
    document.getElementById('shown').textContent=String(shown);
  }
  boxes.concat([q,sup]).forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});
  apply();
})();
`;

/** A CSP source for one inline block: the SHA-256 of exactly its text. */
function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The page's Content-Security-Policy: nothing may load, and only the report's own style and script blocks (by
 * hash) may run, so markup that slipped into a field could neither run script nor send data anywhere.
 */
const CSP = [
  "default-src 'none'",
  `style-src ${cspHash(CSS)}`,
  `script-src ${cspHash(JS)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The Tools section: the capability inventory read back from the capability findings (shared/capabilities.ts),
 * one table per server with each tool, where it is registered and what it can do; a capability that a tool argument
 * controls is marked. Suppressed findings are left out. Every value is escaped.
 */
function toolsHtml(findings: readonly ReportFinding[]): string {
  const servers = groupInventory(findings.filter((f) => !f.suppressed));
  if (servers.length === 0) return '';
  const tables = servers.map((s) => {
    const rows = s.tools.map((t) => {
      const caps = t.capabilities
        .map(
          (c) =>
            `<span class="sev ${c.argumentControlled ? 'sev-high' : 'sev-info'}">${escapeHtml(CAPABILITY_LABEL[c.capability])}${c.argumentControlled ? ' (argument-controlled)' : ''}</span>`,
        )
        .join('');
      const where = `${t.registration.file}:${t.registration.range.start.line}`;
      return `<tr><td><code>${escapeHtml(t.tool)}</code></td><td class="rule">${escapeHtml(where)}</td><td>${caps}</td></tr>`;
    });
    return `<h3>Server <code>${escapeHtml(s.server)}</code></h3><table class="summary"><tr><th>Tool</th><th>Registered</th><th>Can</th></tr>${rows.join('')}</table>`;
  });
  return `<section class="tools"><h2>Tools</h2><p>What each MCP tool's code can do (the capability inventory: info findings, not defects).</p>${tables.join('')}</section>`;
}

/**
 * Renders one self-contained HTML page: summary by severity and category, findings grouped by file with a few
 * lines of code context, and filters (severity, category, free text, suppressed) that work offline. Every value
 * is HTML-escaped, enumerations included; the code context is the masked excerpts of `buildReport`.
 */
export function renderHtml(input: ReportInput): string {
  const { report } = input;
  const titles = new Map<string, RuleMeta>(input.rules.map((r) => [r.id, r]));
  const byFile = new Map<string, ReportFinding[]>();
  for (const f of report.findings) {
    let list = byFile.get(f.file);
    if (!list) byFile.set(f.file, (list = []));
    list.push(f);
  }
  const catCounts = new Map<Category, number>();
  for (const f of report.findings) if (!f.suppressed) catCounts.set(f.category, (catCounts.get(f.category) ?? 0) + 1);
  const usedCats = CATEGORIES.filter((c) => report.findings.some((f) => f.category === c));

  const cards = SEVERITIES.map(
    (s) =>
      `<div class="card"><span class="sev sev-${s}">${s}</span><b>${escapeHtml(String(report.stats.bySeverity[s]))}</b></div>`,
  ).join('');
  const catRows = CATEGORIES.filter((c) => catCounts.has(c))
    .map((c) => `<tr><td>${escapeHtml(c)}</td><td>${catCounts.get(c)}</td></tr>`)
    .join('');
  const sevBoxes = SEVERITIES.map(
    (s) => `<label><input type="checkbox" data-filter="severity" value="${s}" checked> ${s}</label>`,
  ).join(' ');
  const catBoxes = usedCats
    .map(
      (c) =>
        `<label><input type="checkbox" data-filter="category" value="${escapeHtml(c)}" checked> ${escapeHtml(c)}</label>`,
    )
    .join(' ');

  const sections: string[] = [];
  for (const [file, list] of byFile) {
    const items = list.map((f) => {
      const excerpt = input.excerpt?.(f);
      const title = titles.get(f.ruleId)?.title ?? f.ruleId;
      const sup = f.suppressed
        ? ` <span class="rule">[suppressed: ${escapeHtml(f.suppressed.kind)}${f.suppressed.reason ? ' — ' + escapeHtml(f.suppressed.reason) : ''}]</span>`
        : '';
      return (
        `<div class="finding${f.suppressed ? ' suppressed' : ''}" data-severity="${escapeHtml(f.severity)}" data-category="${escapeHtml(f.category)}" data-suppressed="${f.suppressed ? 'true' : 'false'}">` +
        `<span class="sev sev-${escapeHtml(f.severity)}">${escapeHtml(f.severity)}</span> <b>${escapeHtml(title)}</b> ` +
        `<span class="rule">${escapeHtml(f.ruleId)}</span> <span class="cat">${escapeHtml(f.category)}</span> ` +
        `<span class="rule">line ${escapeHtml(String(f.range.start.line))}, column ${escapeHtml(String(f.range.start.column))}</span>${sup}` +
        `<div>${escapeHtml(f.message)}</div>` +
        fixHtml(f) +
        flowHtml(f) +
        (excerpt ? contextHtml(f, excerpt) : '') +
        `</div>`
      );
    });
    sections.push(`<section class="file"><h2>${escapeHtml(file)}</h2>${items.join('')}</section>`);
  }
  const skipped = report.skipped.length
    ? `<details><summary>${report.skipped.length} skipped file(s)</summary><table class="summary">${report.skipped
        .map((s) => `<tr><td>${escapeHtml(s.file)}</td><td>${escapeHtml(s.reason)}</td></tr>`)
        .join('')}</table></details>`
    : '';
  const errors = report.ruleErrors?.length
    ? `<details open><summary>${report.ruleErrors.length} rule error(s): these rules failed on these files, so their findings there are missing</summary><table class="summary">${report.ruleErrors
        .map(
          (e) =>
            `<tr><td>${escapeHtml(e.file)}</td><td>${escapeHtml(e.ruleId)}</td><td>${escapeHtml(e.message)}</td></tr>`,
        )
        .join('')}</table></details>`
    : '';
  const tools = toolsHtml(report.findings);
  const none = report.stats.ruleErrors
    ? '<p>No findings, but the results are incomplete: some rules failed (see the rule errors).</p>'
    : '<p>No findings.</p>';
  const omitted = input.excerptsOmitted ? `<p>${escapeHtml(input.excerptsOmitted)}</p>` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(TOOL_NAME)} report</title><style>${CSS}</style></head>
<body><header><h1>${escapeHtml(TOOL_NAME)} ${escapeHtml(report.tool.version)} — ${escapeHtml(report.root)}</h1></header>
<main>
<p>${escapeHtml(summaryLine(report))}</p>
<div class="cards">${cards}</div>
${catRows ? `<table class="summary"><tr><th>Category</th><th>Findings</th></tr>${catRows}</table>` : ''}
<div class="filters"><span>${sevBoxes}</span><span>${catBoxes}</span>
<label><input type="checkbox" id="show-suppressed"> show suppressed</label>
<input type="search" id="q" placeholder="Filter by text" aria-label="Filter by text">
<span><span id="shown">${escapeHtml(String(report.findings.length))}</span> shown</span></div>
${tools}${errors}${omitted}${sections.join('\n') || none}
${skipped}
</main><script>${JS}</script></body></html>
`;
}
