// The findings tree model and the node discovery, tested without VS Code.
import assert from 'node:assert/strict';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { FindingsModel, describeFinding, describeSuppression, type TreeNode } from '../../client/findings/model';
import { findNode, nodeMajor, planLaunch, type NodeProbe } from '../../client/nodeRuntime';
import type { Category, Finding, Severity } from '../../shared/types';
import { controlMessage, registrationMessage } from '../../shared/capabilities';

function finding(ruleId: string, line: number, severity: Severity, category: Category, suppressed = false): Finding {
  return {
    ruleId,
    category,
    severity,
    message: `${ruleId} at ${line}`,
    file: 'x',
    range: { start: { line, character: 2 }, end: { line, character: 5 } },
    fingerprint: `${ruleId}:${line}`,
    cwe: [],
    ...(suppressed ? { suppressed: { kind: 'inline' as const, reason: 'test' } } : {}),
  };
}

function model(): FindingsModel {
  const m = new FindingsModel();
  m.update({
    uri: 'file:///w/b.ts',
    version: 1,
    findings: [finding('cmd', 9, 'high', 'command-injection'), finding('sec', 2, 'critical', 'secret')],
  });
  m.update({
    uri: 'file:///w/a.json',
    version: null,
    findings: [finding('sec', 1, 'medium', 'secret'), finding('sec', 3, 'low', 'secret', true)],
  });
  m.update({ uri: 'file:///w/big.js', version: null, findings: [], skipped: 'larger than the 1024 KB size limit' });
  return m;
}

const label = (uri: string): string => uri.replace('file:///w/', '');

function shape(nodes: TreeNode[]): unknown[] {
  return nodes.map((n) => {
    switch (n.kind) {
      case 'finding':
        return n.item.finding.fingerprint;
      case 'skipped':
        return `skipped ${n.label}`;
      case 'tools':
        return { [`Tools: ${n.server}`]: n.count, children: shape(n.children) };
      case 'tool':
        return { [`${n.tool} (${n.summary})`]: n.range.start.line, children: shape(n.children) };
      case 'vetConfig':
      case 'vetServer':
      case 'vetTool':
      case 'vetFinding':
        return n.kind;
      default:
        return { [n.kind === 'file' ? n.label : n.category]: n.count, children: shape(n.children) };
    }
  });
}

describe('findings model', () => {
  it('groups by file, sorted by label, findings by position, skipped files last', () => {
    assert.deepEqual(shape(model().roots(label)), [
      { 'a.json': 1, children: ['sec:1'] },
      { 'b.ts': 2, children: ['sec:2', 'cmd:9'] },
      'skipped big.js',
    ]);
  });

  it('groups by category (worst first) then file', () => {
    const m = model();
    m.grouping = 'category';
    assert.deepEqual(shape(m.roots(label)), [
      {
        secret: 2,
        children: [
          { 'a.json': 1, children: ['sec:1'] },
          { 'b.ts': 1, children: ['sec:2'] },
        ],
      },
      { 'command-injection': 1, children: [{ 'b.ts': 1, children: ['cmd:9'] }] },
      'skipped big.js',
    ]);
  });

  it('filters by severity and category, and shows suppressed on request', () => {
    const m = model();
    m.filters.severities = ['critical', 'high'];
    assert.deepEqual(
      m.findings().map((f) => f.finding.fingerprint),
      ['sec:2', 'cmd:9'],
    );
    m.filters = { severities: [], categories: ['secret'], showSuppressed: true };
    assert.deepEqual(
      m.findings().map((f) => f.finding.fingerprint),
      ['sec:2', 'sec:1', 'sec:3'],
    );
  });

  it('counts unsuppressed findings for the badge regardless of filters', () => {
    const m = model();
    m.filters.severities = ['low'];
    assert.deepEqual(m.counts(), { critical: 1, high: 1, medium: 1, low: 0, info: 0, total: 3, suppressed: 1 });
  });

  it('replaces a file on update and forgets it when it has nothing left', () => {
    const m = model();
    m.update({ uri: 'file:///w/b.ts', version: 2, findings: [] });
    assert.deepEqual(shape(m.roots(label)).slice(0, 1), [{ 'a.json': 1, children: ['sec:1'] }]);
    assert.equal(m.counts().total, 1);
    m.clear();
    assert.deepEqual(m.roots(label), []);
  });

  it('describes a finding with a 1-based position, and a suppressed one with its kind and reason', () => {
    assert.equal(describeFinding(finding('x', 0, 'high', 'other')), '1:3 · high');
    assert.equal(describeFinding(finding('x', 0, 'info', 'other', true)), '1:3 · info · suppressed (inline: test)');
    assert.equal(describeSuppression({ kind: 'baseline', reason: '' }), 'suppressed (baseline)');
  });

  it('lists suppressed findings only with "show suppressed" on, under their file, with their reason', () => {
    const m = model();
    const sup = (ms: FindingsModel) => ms.findings().filter((f) => f.finding.suppressed);
    assert.deepEqual(sup(m), [], 'hidden by default');
    assert.deepEqual(shape(m.roots(label))[0], { 'a.json': 1, children: ['sec:1'] });
    m.filters.showSuppressed = true;
    assert.deepEqual(shape(m.roots(label))[0], { 'a.json': 2, children: ['sec:1', 'sec:3'] });
    const shown = sup(m);
    assert.equal(shown.length, 1);
    assert.deepEqual(shown[0]!.finding.suppressed, { kind: 'inline', reason: 'test' });
    assert.match(describeFinding(shown[0]!.finding), /suppressed \(inline: test\)$/);
    // Under category grouping too.
    m.grouping = 'category';
    const secret = m.roots(label).find((n) => n.kind === 'category' && n.category === 'secret');
    assert.equal(secret?.kind === 'category' ? secret.count : 0, 3);
  });

  it('snapshot: files with visible counts, suppressed only with the filter on, badge from unsuppressed findings', () => {
    const m = model();
    assert.deepEqual(m.snapshot(label), {
      total: 3,
      suppressed: 1,
      byFile: [
        { file: 'a.json', count: 1, suppressed: 0 },
        { file: 'b.ts', count: 2, suppressed: 0 },
      ],
      badge: 3,
      showSuppressed: false,
    });
    m.filters.showSuppressed = true;
    assert.deepEqual(m.snapshot(label).byFile[0], { file: 'a.json', count: 2, suppressed: 1 });
    // Filters narrow the files but never the badge, whatever the grouping.
    m.grouping = 'category';
    m.filters.severities = ['critical'];
    assert.deepEqual(m.snapshot(label).byFile, [{ file: 'b.ts', count: 1, suppressed: 0 }]);
    assert.equal(m.snapshot(label).badge, 3);
    m.clear();
    assert.deepEqual(m.snapshot(label), {
      total: 0,
      suppressed: 0,
      byFile: [],
      badge: undefined,
      showSuppressed: true,
    });
  });

  it('lists capability findings in a Tools group per server, one node per tool, and leaves them out of the counts', () => {
    const m = model();
    const cap = (ruleId: string, line: number, tool: string, regLine: number, controlled: boolean): Finding => ({
      ...finding(ruleId, line, 'info', 'capability'),
      related: [
        {
          file: 'srv.ts',
          range: { start: { line: regLine, character: 12 }, end: { line: regLine, character: 15 } },
          message: registrationMessage(tool, 'files'),
        },
        ...(controlled
          ? [
              {
                file: 'srv.ts',
                range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } },
                message: controlMessage('cmd'),
              },
            ]
          : []),
      ],
    });
    m.update({
      uri: 'file:///w/srv.ts',
      version: 1,
      findings: [
        cap('mcp-capability-file-read', 20, 'read', 10, false),
        cap('mcp-capability-shell', 40, 'run', 30, true),
        cap('mcp-capability-file-write', 41, 'run', 30, false),
      ],
    });
    assert.deepEqual(shape(m.roots(label)), [
      { 'a.json': 1, children: ['sec:1'] },
      { 'b.ts': 2, children: ['sec:2', 'cmd:9'] },
      {
        'Tools: files': 2,
        children: [
          { 'read (reads files)': 10, children: ['mcp-capability-file-read:20'] },
          {
            'run (runs shell · writes files · argument-controlled)': 30,
            children: ['mcp-capability-shell:40', 'mcp-capability-file-write:41'],
          },
        ],
      },
      'skipped big.js',
    ]);
    assert.equal(m.counts().total, 3, 'inventory findings are not problems: the badge does not count them');
    assert.deepEqual(
      m.snapshot(label).byFile.map((f) => f.file),
      ['a.json', 'b.ts'],
    );
    m.filters.categories = ['secret'];
    assert.ok(!m.roots(label).some((n) => n.kind === 'tools'), 'the category filter hides the inventory too');
  });
});

describe('node discovery', () => {
  const fake = (versions: Record<string, string | undefined>): NodeProbe => ({
    exists: (p) => p in versions,
    version: (p) => versions[p],
  });
  const pathEnv = ['/a', '/b', '/c'].join(delimiter);

  it('takes the first node >= 20 on PATH', () => {
    const n = findNode({
      pathEnv,
      platform: 'linux',
      probe: fake({
        [join('/a', 'node')]: 'v18.19.0',
        [join('/b', 'node')]: 'v20.11.1',
        [join('/c', 'node')]: 'v22.1.0',
      }),
    });
    assert.deepEqual(n, { path: join('/b', 'node'), version: '20.11.1' });
  });

  it('skips nodes that fail to run, and finds none when none qualifies', () => {
    assert.equal(
      findNode({
        pathEnv,
        platform: 'linux',
        probe: fake({ [join('/a', 'node')]: undefined, [join('/b', 'node')]: 'v16.0.0' }),
      }),
      undefined,
    );
  });

  it('uses only the configured path when one is set', () => {
    const probe = fake({ '/opt/node': 'v18.0.0', [join('/a', 'node')]: 'v22.0.0' });
    assert.equal(findNode({ configuredPath: '/opt/node', pathEnv, platform: 'linux', probe }), undefined);
  });

  it('looks for node.exe on Windows', () => {
    const n = findNode({ pathEnv, platform: 'win32', probe: fake({ [join('/c', 'node.exe')]: 'v20.0.0' }) });
    assert.equal(n?.path, join('/c', 'node.exe'));
  });

  it('parses versions', () => {
    assert.equal(nodeMajor('v20.11.1\n'), 20);
    assert.equal(nodeMajor('garbage'), undefined);
  });

  it('plans the launch from the setting', () => {
    const node = { path: '/usr/bin/node', version: '20.1.0' };
    assert.equal(planLaunch('auto', node).kind, 'node');
    assert.equal(planLaunch('auto', undefined).kind, 'vscode');
    assert.equal(planLaunch('vscode', node).kind, 'vscode');
    const forced = planLaunch('node', undefined);
    assert.equal(forced.kind, 'vscode');
    assert.match(forced.reason, /no node >= 20 was found/);
  });
});
