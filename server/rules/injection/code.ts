import { sinkRule } from './sinkRule';

const docs = 'Finds code evaluated from non-literal input: `eval`, `new Function`, the `vm` module, `setTimeout` with a string in JavaScript; `eval`, `exec` and `compile` in Python. Whoever controls the string runs code inside the server process with all its privileges. Parse data with `JSON.parse` / `ast.literal_eval`, or map names to functions with an explicit table.';

/** Dynamic code evaluation in JavaScript and TypeScript. */
export const jsCodeInjection = sinkRule({
  id: 'js-code-injection',
  lang: 'js',
  family: 'code',
  title: 'Code evaluated from input',
  description: 'Evaluating a string built from non-literal input as code lets an attacker run arbitrary code in the server.',
  category: 'code-injection',
  severity: 'high',
  taintedSeverity: 'critical',
  cwe: ['CWE-94', 'CWE-95'],
  owasp: ['A03:2021'],
  keywords: ['eval', 'Function', 'vm', 'setTimeout', 'setInterval', 'runIn'],
  noun: 'code',
  docs,
  positive: [
    { path: 'calc.ts', code: 'server.tool("calc", { expression: z.string() }, async ({ expression }) => {\n  const result = eval(«expression»);\n  return { content: [{ type: "text", text: String(result) }] };\n});\n' },
    { path: 'fn.js', code: 'const vm = require("node:vm");\nfunction make(body, src) {\n  const f = new Function("a", «body»);\n  vm.runInNewContext(«src», {});\n  new vm.Script(«`(${src})`»);\n  setTimeout(«"tick(" + body + ")"», 10);\n}\n' },
  ],
  negative: [
    { path: 'safe.ts', code: 'const data = JSON.parse(text);\nconst v = eval("1 + 2");\nredis.eval(script, 0);\npage.evaluate(fn);\nsetTimeout(() => tick(body), 10);\nconst f = new Function("a", "return a + 1");\n// eval(userInput)\nconst doc = "never eval(x)";\n' },
  ],
});

/** Dynamic code evaluation in Python. */
export const pyCodeInjection = sinkRule({
  id: 'py-code-injection',
  lang: 'python',
  family: 'code',
  title: 'Code evaluated from input',
  description: 'Evaluating a string built from non-literal input as code lets an attacker run arbitrary code in the server.',
  category: 'code-injection',
  severity: 'high',
  taintedSeverity: 'critical',
  cwe: ['CWE-94', 'CWE-95'],
  owasp: ['A03:2021'],
  keywords: ['eval', 'exec', 'compile'],
  noun: 'code',
  docs,
  positive: [
    { path: 'calc.py', code: 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("calc")\n\n@mcp.tool()\nasync def calculate(expression: str) -> str:\n    return str(eval(«expression»))\n' },
    { path: 'run.py', code: 'def run(snippet, name):\n    exec(«f"result = {snippet}"»)\n    code = compile(«snippet», "<tool>", "exec")\n' },
  ],
  negative: [
    { path: 'safe.py', code: 'import ast, re\nvalue = ast.literal_eval(text)\npattern = re.compile(expr)\nx = eval("1 + 2")\ncursor.execute(sql, (a,))\n# eval(user_input)\ns = "exec(code)"\n' },
  ],
});
