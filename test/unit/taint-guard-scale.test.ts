// Issue 16 (the taint side of items 4 and 12): a tool handler dispatching on a 10,000-branch else-if chain made the
// guard lookup quadratic: every sink weighed every guard before it, and reading each guard's parent made
// tree-sitter descend from the root through the chain (27 s of a 42 s scan). The work is now counted, and this
// checks it grows with the handler, not with its square; and that the index finds exactly the guards a scan of
// every guard finds.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { nodesOfType } from '../../server/analysis/ast';
import { initParsers, parse, type Grammar, type TSNode } from '../../server/analysis/parse';
import { GuardIndex, guardLookupWork, parentSpans } from '../../server/analysis/taint/guardIndex';
import { guardShape } from '../../server/analysis/taint/guards';
import { createBackend } from '../../server/core/regex';
import { Engine } from '../../server/engine/engine';
import { injectionRules } from '../../server/rules/injection';
import { scanText } from './helpers';

before(() => initParsers());

/** A tool handler that runs a command in each of `n` else-if branches, as a padded dispatcher would. */
function elseIfChain(n: number): string {
  const out = [
    'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";',
    'import { z } from "zod";',
    'import { exec } from "node:child_process";',
    'const server = new McpServer({ name: "big", version: "1.0.0" });',
    'server.tool("run", "Runs an action.", { action: z.string(), arg: z.string() }, async ({ action, arg }) => {',
  ];
  for (let i = 0; i < n; i++) out.push(`  ${i ? '} else ' : ''}if (action === "a${i}") {`, `    exec("c${i} " + arg);`);
  out.push('  }', '  return { content: [] };', '});');
  return out.join('\n') + '\n';
}

describe('guard lookup in a handler with thousands of branches', () => {
  test('a 10,000-branch else-if chain costs about ten times a 1,000-branch one, not a hundred', () => {
    const engine = new Engine(injectionRules, {}, createBackend('js'));
    const work = (n: number) => {
      const before = guardLookupWork.visited;
      const found = scanText(engine, 'server.ts', elseIfChain(n)).findings;
      assert.equal(found.filter((f) => f.ruleId === 'js-command-injection').length, n, 'every branch is a finding');
      return guardLookupWork.visited - before;
    };
    const small = work(1000);
    const large = work(10_000);
    // One block interval per sink, plus the few around it: linear. The scan of every guard before each sink
    // visited n²/2 guards (50 million at 10,000).
    assert.ok(small >= 1000, `the lookup ran (${small} visits)`);
    assert.ok(large <= small * 12, `10x the branches took ${(large / small).toFixed(1)}x the visits`);
  });
});

/** Every guard of the first function in `code`, as HandlerFlow reads them. */
function guardsOf(code: string, grammar: Grammar): { body: TSNode; guards: TSNode[] } {
  const root = parse(code, grammar).rootNode;
  const fn = nodesOfType(root, ['arrow_function', 'function_declaration', 'function_definition'])[0]!;
  const body = fn.childForFieldName('body')!;
  return { body, guards: nodesOfType(body, ['if_statement', 'elif_clause', 'assert_statement']) };
}

const JS = `async function h({ p, q }) {
  if (!p.startsWith(ROOT)) throw new Error("x");
  if (q === "a") { run(p); } else if (q === "b") { if (!ok(p)) return; run(p); } else { run(q); }
  for (const x of xs) { if (x === "c") continue; run(x); }
  label: if (p) run(p);
  run(p, q);
}`;
const PY = `def h(p, q):
    if not p.startswith(ROOT):
        raise ValueError("x")
    if q == "a":
        run(p)
    elif q == "b":
        if not ok(p):
            return
        run(p)
    elif q == "c":
        return
    else:
        run(q)
    assert q in ALLOWED
    run(p, q)
`;

describe('the guard index agrees with weighing every guard', () => {
  for (const [name, code, grammar] of [
    ['JavaScript', JS, 'javascript'],
    ['Python', PY, 'python'],
  ] as const)
    test(`${name}: parents from one cursor walk, and the guards applying at every call`, () => {
      const { body, guards } = guardsOf(code, grammar);
      const parents = parentSpans(body, guards);
      for (const g of guards) {
        const p = g.parent!;
        assert.deepEqual(parents.get(g.id), { startIndex: p.startIndex, endIndex: p.endIndex }, g.text);
      }
      const shapes = guards.map((g) => guardShape(g, () => new Set(), parents.get(g.id)));
      const index = new GuardIndex(shapes);
      const calls = nodesOfType(body, ['call_expression', 'call']);
      assert.ok(calls.length >= 6);
      for (const c of calls) {
        const at = { startIndex: c.startIndex, endIndex: c.endIndex };
        const expected = shapes.filter(
          (g) =>
            g.startIndex < at.startIndex &&
            !!g.cond &&
            ((!!g.body && g.body.startIndex <= at.startIndex && at.endIndex <= g.body.endIndex) ||
              (g.endIndex <= at.startIndex &&
                g.leaves() &&
                !!g.parent &&
                g.parent.startIndex <= at.startIndex &&
                at.endIndex <= g.parent.endIndex)),
        );
        assert.deepEqual(index.applying(at), expected, c.text);
      }
    });
});
