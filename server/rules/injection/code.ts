import { sinkRulePair } from './sinkRule';

/** Dynamic code evaluation (`js-code-injection`, `py-code-injection`). */
export const { js: jsCodeInjection, python: pyCodeInjection } = sinkRulePair({
  shared: {
    family: 'code',
    title: 'Code evaluated from input',
    description:
      'Evaluating a string built from non-literal input as code lets an attacker run arbitrary code in the server.',
    category: 'code-injection',
    severity: 'medium',
    taintedSeverity: 'critical',
    cwe: ['CWE-94', 'CWE-95'],
    owasp: ['A03:2021'],
    noun: 'code',
    docs: 'Finds code evaluated from non-literal input: `eval`, `new Function`, the `vm` module, `setTimeout` with a string in JavaScript; `eval`, `exec` and `compile` in Python; and template engines compiling a template a tool parameter or request supplies (EJS, Handlebars, lodash `_.template`, Pug, Nunjucks; Jinja2 `Template(x)` / `Environment().from_string(x)`, Mako, Flask `render_template_string`), which run expressions written in the template. Whoever controls the string runs code inside the server process with all its privileges. Parse data with `JSON.parse` / `ast.literal_eval`, or map names to functions with an explicit table; render caller data into a fixed template, or use the sandboxed Jinja2 environment (`SandboxedEnvironment`). In a bundle, modules the bundler marks as inlined from `node_modules/` (schema compilers such as Ajv generate code on purpose) are dependency code and are only reported when a tool parameter reaches them.',
  },
  js: {
    id: 'js-code-injection',
    keywords: ['eval', 'Function', 'vm', 'setTimeout', 'setInterval', 'runIn', 'template', 'render', 'compile'],
    positive: [
      {
        path: 'render.ts',
        code: 'import ejs from "ejs";\nimport _ from "lodash";\nserver.tool("render", { template: z.string(), data: z.string() }, async ({ template, data }) => {\n  const html = ejs.render(«template», { data });\n  const text = _.template(«template»)({ data });\n  return { content: [{ type: "text", text: html + text }] };\n});\n',
        note: 'a caller-supplied template is compiled to code',
      },
      {
        path: 'calc.ts',
        code: 'server.tool("calc", { expression: z.string() }, async ({ expression }) => {\n  const result = eval(«expression»);\n  return { content: [{ type: "text", text: String(result) }] };\n});\n',
      },
      {
        path: 'dist/bundle.js',
        code: '// node_modules/schema-kit/dist/compile.js\nfunction compile(gen) {\n  return new Function("self", gen.toString());\n}\n\n// src/index.ts\nfunction run(body) {\n  return new Function("a", «body»);\n}\n',
        note: "the server's own module after an inlined dependency is scanned as usual",
      },
      {
        path: 'fn.js',
        code: 'const vm = require("node:vm");\nfunction make(body, src) {\n  const f = new Function("a", «body»);\n  vm.runInNewContext(«src», {});\n  new vm.Script(«`(${src})`»);\n  setTimeout(«"tick(" + body + ")"», 10);\n}\n',
      },
    ],
    negative: [
      {
        path: 'view.ts',
        code: 'import ejs from "ejs";\nimport Mustache from "mustache";\nserver.tool("render", { name: z.string() }, async ({ name }) => {\n  const html = ejs.render("<p><%= name %></p>", { name });\n  const page = Mustache.render(name, {});\n  return { content: [{ type: "text", text: html + page }] };\n});\n',
        note: 'values rendered into a fixed template; Mustache templates cannot run code',
      },
      {
        path: 'dist/index.js',
        code: '// node_modules/schema-kit/dist/compile.js\nfunction compile(gen, names) {\n  const source = `${gen.scopeRefs()}return ${gen.toString()}`;\n  return new Function(`${names.self}`, `${names.scope}`, source);\n}\n\n//#region ../node_modules/.pnpm/bind-shim@1.1.2/node_modules/bind-shim/index.mjs\nconst bound = Function("binder", "return function (" + args.join(",") + ") {}");\n//#endregion\n',
        note: 'dependency modules a bundler inlined (esbuild and rollup markers): their code generators are not the server',
      },
      {
        path: 'safe.ts',
        code: 'const data = JSON.parse(text);\nconst v = eval("1 + 2");\nredis.eval(script, 0);\npage.evaluate(fn);\nsetTimeout(() => tick(body), 10);\nconst f = new Function("a", "return a + 1");\n// eval(userInput)\nconst doc = "never eval(x)";\n',
      },
    ],
  },
  python: {
    id: 'py-code-injection',
    keywords: ['eval', 'exec', 'compile', 'Template', 'from_string'],
    positive: [
      {
        path: 'tpl.py',
        code: 'from jinja2 import Environment, Template\nenv = Environment()\n\n@mcp.tool()\ndef render(template: str, name: str) -> str:\n    a = Template(«template»).render(name=name)\n    return a + env.from_string(«template»).render()\n',
        note: 'Jinja2 compiles a caller-supplied template (server-side template injection)',
      },
      {
        path: 'calc.py',
        code: 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("calc")\n\n@mcp.tool()\nasync def calculate(expression: str) -> str:\n    return str(eval(«expression»))\n',
      },
      {
        path: 'run.py',
        code: 'def run(snippet, name):\n    exec(«f"result = {snippet}"»)\n    code = compile(«snippet», "<tool>", "exec")\n',
      },
    ],
    negative: [
      {
        path: 'tpl.py',
        code: 'from jinja2 import Template\nfrom jinja2.sandbox import SandboxedEnvironment\n\n@mcp.tool()\ndef greet(name: str, template: str) -> str:\n    fixed = Template("Hello {{ name }}").render(name=name)\n    return fixed + SandboxedEnvironment().from_string(template).render()\n',
        note: 'values rendered into a fixed template; the sandboxed environment is the fix',
      },
      {
        path: 'safe.py',
        code: 'import ast, re\nvalue = ast.literal_eval(text)\npattern = re.compile(expr)\nx = eval("1 + 2")\ncursor.execute(sql, (a,))\n# eval(user_input)\ns = "exec(code)"\n',
      },
    ],
  },
});
