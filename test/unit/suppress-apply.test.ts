// The suppression passes (server/engine/suppress/apply.ts) through scanDocument: inline directives where they count
// (comments only, in each language's syntax) and what they cover (their line, or the next line when alone), the
// meta findings about suppressions themselves, and the one detector context shared by the rules and the pass.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Finding } from '../../shared/types';
import { treeOf } from '../../server/analysis/parse';
import { createDetectContext } from '../../server/core/context';
import type { DetectContext } from '../../server/core/rule';
import { openProject, scanDocument, type Project } from '../../server/engine/project';
import { INVALID_SUPPRESSION, SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION } from '../../server/rules/meta';
import { dangerRule } from '../fixtures/suppression/testRule';

let project: Project;
before(async () => {
  project = await openProject(mkdtempSync(join(tmpdir(), 'sup-')), { extraRules: [dangerRule()] });
});

/** Findings of the test rule and the meta rules only (built-in rules may also fire on some samples). */
function scan(file: string, text: string, p = project): Finding[] {
  return scanDocument(p, file, text).findings.filter(
    (f) => f.ruleId === 'test-danger' || f.ruleId.startsWith('mcp-sentinel-'),
  );
}

function danger(fs: Finding[]): Finding[] {
  return fs.filter((f) => f.ruleId === 'test-danger');
}

/** The text a finding's range covers (single-line ranges). */
function textOf(text: string, f: Finding): string {
  const line = text.split('\n')[f.range.start.line]!;
  assert.equal(f.range.start.line, f.range.end.line);
  return line.slice(f.range.start.character, f.range.end.character);
}

describe('inline directives by language', () => {
  test('TypeScript: on the line (trailing //) and on the line before', () => {
    const text = [
      'const a = DANGER_1; // mcp-sentinel-ignore test-danger: fixture value, never deployed',
      '// mcp-sentinel-ignore test-danger: reviewed in #42',
      'const b = DANGER_2;',
      'const c = DANGER_3;',
    ].join('\n');
    const fs = danger(scan('src/server.ts', text));
    assert.equal(fs.length, 3);
    assert.deepEqual(fs[0]!.suppressed, { kind: 'inline', reason: 'fixture value, never deployed' });
    assert.deepEqual(fs[1]!.suppressed, { kind: 'inline', reason: 'reviewed in #42' });
    assert.equal(fs[2]!.suppressed, undefined, 'a directive covers one line, not the rest of the file');
  });

  test('TypeScript: a block comment directive, and JSDoc style', () => {
    const text =
      '/* mcp-sentinel-ignore test-danger: block form */\nrun(DANGER_A);\n/**\n * mcp-sentinel-ignore test-danger: jsdoc\n */\nrun(DANGER_B);\n';
    const fs = danger(scan('a.js', text));
    assert.deepEqual(
      fs.map((f) => f.suppressed?.reason),
      ['block form', 'jsdoc'],
    );
  });

  test('TypeScript: a directive inside a string or template literal does not count', () => {
    const text = [
      'const s = "// mcp-sentinel-ignore test-danger: not a comment"; run(DANGER_1);',
      'const t = `',
      '// mcp-sentinel-ignore test-danger: still inside the template',
      '`; run(DANGER_2);',
    ].join('\n');
    const fs = scan('src/x.ts', text);
    assert.equal(danger(fs).length, 2);
    assert.ok(danger(fs).every((f) => !f.suppressed));
    assert.deepEqual(
      fs.filter((f) => f.ruleId !== 'test-danger'),
      [],
      'text in strings is not a directive, so no meta finding either',
    );
  });

  test('Python: # on the line and on the line before; not inside a string', () => {
    const text = [
      'x = DANGER_1  # mcp-sentinel-ignore test-danger: test data',
      '# mcp-sentinel-ignore test-danger: documented in SECURITY.md',
      'y = DANGER_2',
      's = "# mcp-sentinel-ignore test-danger: in a string"; z = DANGER_3',
      '"""',
      '# mcp-sentinel-ignore test-danger: in a docstring',
      '"""',
      'w = DANGER_4',
    ].join('\n');
    const fs = danger(scan('tools/server.py', text));
    assert.deepEqual(
      fs.map((f) => f.suppressed?.reason ?? null),
      ['test data', 'documented in SECURITY.md', null, null],
    );
  });

  test('JSONC: // and /* */ comments in an MCP config; a string value is not a comment', () => {
    const text = [
      '{',
      '  "servers": {',
      '    // mcp-sentinel-ignore test-danger: local dev server only',
      '    "a": { "command": "DANGER_1" },',
      '    "b": { "command": "DANGER_2", "note": "// mcp-sentinel-ignore test-danger: nope" }, /* mcp-sentinel-ignore test-danger: same line */',
      '    "c": { "note": "// mcp-sentinel-ignore test-danger: nope" },',
      '    "d": { "command": "DANGER_3" }',
      '  }',
      '}',
    ].join('\n');
    const fs = danger(scan('.vscode/mcp.json', text));
    assert.deepEqual(
      fs.map((f) => f.suppressed?.reason ?? null),
      ['local dev server only', 'same line', null],
    );
  });

  test('YAML: # comments; a # inside a quoted scalar or a block scalar is content', () => {
    const text = [
      'a: DANGER_1 # mcp-sentinel-ignore test-danger: yaml trailing',
      '# mcp-sentinel-ignore test-danger: yaml before',
      'b: DANGER_2',
      'c: "# mcp-sentinel-ignore test-danger: quoted"',
      'd: DANGER_3',
      'e: |',
      '  # mcp-sentinel-ignore test-danger: block scalar',
      '  DANGER_4',
    ].join('\n');
    const fs = danger(scan('ci/deploy.yaml', text));
    assert.deepEqual(
      fs.map((f) => f.suppressed?.reason ?? null),
      ['yaml trailing', 'yaml before', null, null],
    );
  });

  test('dotenv and Dockerfile: # comments', () => {
    const env = '# mcp-sentinel-ignore test-danger: dummy key for tests\nKEY=DANGER_1\nURL=http://x/#DANGER_2\n';
    assert.deepEqual(
      danger(scan('.env', env)).map((f) => f.suppressed?.kind ?? null),
      ['inline', null],
    );
    const docker =
      'FROM node:20\n# mcp-sentinel-ignore test-danger: base image pinned elsewhere\nRUN echo DANGER_1\nRUN echo "#" DANGER_2 # mcp-sentinel-ignore test-danger: not a comment in a Dockerfile\n';
    assert.deepEqual(
      danger(scan('Dockerfile', docker)).map((f) => f.suppressed?.kind ?? null),
      ['inline', null],
    );
  });

  test('other text files: # for shell and TOML, // for Go, both for Terraform', () => {
    const sh =
      'export KEY=DANGER_1 # mcp-sentinel-ignore test-danger: local only\necho "# mcp-sentinel-ignore test-danger: quoted" DANGER_2\n';
    assert.deepEqual(
      danger(scan('run.sh', sh)).map((f) => f.suppressed?.kind ?? null),
      ['inline', null],
    );
    const go = 'key := "DANGER_1" // mcp-sentinel-ignore test-danger: test key\nurl := "http://x/#DANGER_2"\n';
    assert.deepEqual(
      danger(scan('main.go', go)).map((f) => f.suppressed?.kind ?? null),
      ['inline', null],
    );
    const tf =
      '# mcp-sentinel-ignore test-danger: a\nx = "DANGER_1"\n// mcp-sentinel-ignore test-danger: b\ny = "DANGER_2"\n';
    assert.deepEqual(
      danger(scan('main.tf', tf)).map((f) => f.suppressed?.reason ?? null),
      ['a', 'b'],
    );
  });
});

describe('directive scope', () => {
  test('a file-level directive suppresses the rule everywhere in the file', () => {
    const text =
      'run(DANGER_1);\n// mcp-sentinel-ignore-file test-danger: generated fixture file\nrun(DANGER_2);\n\n\nrun(DANGER_3);\n';
    const fs = danger(scan('gen/fixture.ts', text));
    assert.equal(fs.length, 3);
    for (const f of fs) assert.deepEqual(f.suppressed, { kind: 'file', reason: 'generated fixture file' });
  });

  test('a trailing directive covers only its own line; stacked directives cover the next code line', () => {
    const text = [
      'run(DANGER_1); // mcp-sentinel-ignore test-danger: trailing',
      'run(DANGER_2);',
      '// mcp-sentinel-ignore test-danger: first of two',
      '// mcp-sentinel-ignore other-danger: second of two',
      'run(DANGER_3);',
    ].join('\n');
    const p = scan('a.ts', text);
    assert.deepEqual(
      danger(p).map((f) => f.suppressed?.reason ?? null),
      ['trailing', null, 'first of two'],
    );
  });
});

describe('meta findings about suppressions', () => {
  test('a directive without a reason still suppresses, and is itself reported (low) at the directive', () => {
    const text = 'run(DANGER_1); // mcp-sentinel-ignore test-danger\n';
    const fs = scan('a.ts', text);
    assert.deepEqual(danger(fs)[0]!.suppressed, { kind: 'inline', reason: '' });
    const meta = fs.filter((f) => f.ruleId === SUPPRESSION_WITHOUT_REASON);
    assert.equal(meta.length, 1);
    assert.equal(meta[0]!.severity, 'low');
    assert.equal(meta[0]!.category, 'other');
    assert.equal(textOf(text, meta[0]!), 'mcp-sentinel-ignore test-danger');
    // An empty reason after the colon is no reason either.
    assert.equal(
      scan('a.ts', 'run(DANGER_1); // mcp-sentinel-ignore test-danger:   \n').filter(
        (f) => f.ruleId === SUPPRESSION_WITHOUT_REASON,
      ).length,
      1,
    );
  });

  test('a directive that suppresses nothing is reported as unused, at the directive', () => {
    const text = '// mcp-sentinel-ignore test-danger: was needed once\nconst ok = 1;\nrun(DANGER_1);\n';
    const fs = scan('a.ts', text);
    assert.equal(danger(fs)[0]!.suppressed, undefined);
    const unused = fs.filter((f) => f.ruleId === UNUSED_SUPPRESSION);
    assert.equal(unused.length, 1);
    assert.equal(unused[0]!.range.start.line, 0);
    assert.equal(textOf(text, unused[0]!), 'mcp-sentinel-ignore test-danger: was needed once');
    assert.match(unused[0]!.message, /test-danger/);
    // A used directive is not reported.
    assert.deepEqual(
      scan('a.ts', '// mcp-sentinel-ignore test-danger: ok\nrun(DANGER_1);\n').filter(
        (f) => f.ruleId === UNUSED_SUPPRESSION,
      ),
      [],
    );
  });

  test('an unknown rule id or a missing colon is reported as malformed and suppresses nothing', () => {
    const unknown = scan('a.ts', 'run(DANGER_1); // mcp-sentinel-ignore test-dangr: typo\n');
    assert.equal(danger(unknown)[0]!.suppressed, undefined);
    assert.equal(unknown.filter((f) => f.ruleId === INVALID_SUPPRESSION).length, 1);
    assert.match(unknown.find((f) => f.ruleId === INVALID_SUPPRESSION)!.message, /"test-dangr"/);
    const noColon = scan('a.ts', 'run(DANGER_1); // mcp-sentinel-ignore test-danger because tests\n');
    assert.equal(danger(noColon)[0]!.suppressed, undefined);
    assert.equal(noColon.filter((f) => f.ruleId === INVALID_SUPPRESSION).length, 1);
  });

  test('meta findings have stable fingerprints and follow rule overrides', async () => {
    const text = '// mcp-sentinel-ignore test-danger: stale\nconst ok = 1;\n';
    const a = scan('a.ts', text).find((f) => f.ruleId === UNUSED_SUPPRESSION)!;
    const b = scan('a.ts', '\n\n' + text).find((f) => f.ruleId === UNUSED_SUPPRESSION)!;
    assert.equal(a.fingerprint, b.fingerprint);
    const quiet = await openProject(mkdtempSync(join(tmpdir(), 'sup-')), {
      extraRules: [dangerRule()],
      overrides: { rules: { [UNUSED_SUPPRESSION]: 'off' } },
    });
    assert.deepEqual(
      scan('a.ts', text, quiet).filter((f) => f.ruleId === UNUSED_SUPPRESSION),
      [],
    );
  });
});

describe('one detector context per document', () => {
  test('the directives are read from the parse tree the caller already has, and the caller keeps its context', () => {
    const text = 'run(DANGER_1); // mcp-sentinel-ignore test-danger: one parse\n';
    const { ctx, dispose } = createDetectContext(project.engine.backend, 'src/a.ts', text, 'js');
    const computed: string[] = [];
    const counting: DetectContext = {
      ...ctx,
      memo: (key, compute) =>
        ctx.memo(key, () => {
          computed.push(key);
          return compute();
        }),
    };
    try {
      // The worker's facts pass parses the document first; the scan and its suppression pass must reuse that tree.
      const tree = treeOf(counting);
      const fs = scanDocument(project, 'src/a.ts', text, 'js', { context: counting }).findings;
      assert.deepEqual(danger(fs)[0]!.suppressed, { kind: 'inline', reason: 'one parse' });
      assert.deepEqual(
        computed.filter((k) => k.startsWith('tree:')),
        ['tree:typescript'],
      );
      assert.equal(treeOf(counting), tree, 'scanDocument leaves a context it was given to its owner');
    } finally {
      dispose();
    }
  });
});
