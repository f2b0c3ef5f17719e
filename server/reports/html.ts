import { CATEGORIES, SEVERITIES, type Category, type RuleMeta } from '../../shared/types';
import { maskSecret } from '../core/mask';
import { TOOL_NAME, type ReportFinding, type ReportInput } from './model';
import { summaryLine } from './text';

/** Lines of code shown before and after a finding. */
const CONTEXT_LINES = 2;

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A 1-based line's span to mask, in UTF-16 columns (1-based start, exclusive end). */
interface MaskSpan {
  line: number;
  from: number;
  to: number;
}

/** Every line span covered by a secret finding, so no code context anywhere in the file can show the secret. */
function secretSpans(findings: readonly ReportFinding[], lines: readonly string[]): MaskSpan[] {
  const spans: MaskSpan[] = [];
  for (const f of findings) {
    if (f.category !== 'secret') continue;
    for (let l = f.range.start.line; l <= f.range.end.line; l++) {
      const text = lines[l - 1] ?? '';
      const from = l === f.range.start.line ? f.range.start.column : 1;
      const to = l === f.range.end.line ? f.range.end.column : text.length + 1;
      if (to > from) spans.push({ line: l, from, to });
    }
  }
  return spans;
}

/** Applies the masks of one line (right to left, so earlier columns stay valid). */
function maskLine(text: string, line: number, spans: readonly MaskSpan[]): string {
  const here = spans.filter((s) => s.line === line).sort((a, b) => b.from - a.from);
  let out = text;
  for (const s of here) {
    const secret = out.slice(s.from - 1, s.to - 1);
    out = out.slice(0, s.from - 1) + maskSecret(secret) + out.slice(s.to - 1);
  }
  return out;
}

function contextHtml(f: ReportFinding, lines: readonly string[], masks: readonly MaskSpan[]): string {
  const first = Math.max(1, f.range.start.line - CONTEXT_LINES);
  const last = Math.min(lines.length, f.range.end.line + CONTEXT_LINES);
  const rows: string[] = [];
  for (let l = first; l <= last; l++) {
    const hit = l >= f.range.start.line && l <= f.range.end.line;
    const text = maskLine(lines[l - 1] ?? '', l, masks);
    // Very long lines (generated code) are cut so the page stays readable; the mask was applied first.
    const shown = text.length > 400 ? text.slice(0, 400) + '…' : text;
    rows.push(
      `<tr${hit ? ' class="hit"' : ''}><td class="ln">${l}</td><td><code>${escapeHtml(shown)}</code></td></tr>`,
    );
  }
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

/**
 * Renders one self-contained HTML page: summary by severity and category, findings grouped by file with a few
 * lines of code context, and filters (severity, category, free text, suppressed) that work offline. Everything
 * that comes from the scanned code is HTML-escaped, and the ranges of secret findings are masked in the context.
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
    (s) => `<div class="card"><span class="sev sev-${s}">${s}</span><b>${report.stats.bySeverity[s]}</b></div>`,
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
    const text = input.source?.(file);
    const lines = text === undefined ? undefined : text.split(/\r\n|\r|\n/);
    const masks = lines ? secretSpans(list, lines) : [];
    const items = list.map((f) => {
      const title = titles.get(f.ruleId)?.title ?? f.ruleId;
      const sup = f.suppressed
        ? ` <span class="rule">[suppressed: ${escapeHtml(f.suppressed.kind)}${f.suppressed.reason ? ' — ' + escapeHtml(f.suppressed.reason) : ''}]</span>`
        : '';
      return (
        `<div class="finding${f.suppressed ? ' suppressed' : ''}" data-severity="${f.severity}" data-category="${escapeHtml(f.category)}" data-suppressed="${f.suppressed ? 'true' : 'false'}">` +
        `<span class="sev sev-${f.severity}">${f.severity}</span> <b>${escapeHtml(title)}</b> ` +
        `<span class="rule">${escapeHtml(f.ruleId)}</span> <span class="cat">${escapeHtml(f.category)}</span> ` +
        `<span class="rule">line ${f.range.start.line}, column ${f.range.start.column}</span>${sup}` +
        `<div>${escapeHtml(f.message)}</div>` +
        (lines ? contextHtml(f, lines, masks) : '') +
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
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
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
<span><span id="shown">${report.findings.length}</span> shown</span></div>
${sections.join('\n') || '<p>No findings.</p>'}
${skipped}
</main><script>${JS}</script></body></html>
`;
}
