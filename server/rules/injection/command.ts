import { sinkRulePair } from './sinkRule';

const docs = (lang: string) =>
  `Finds ${lang} calls that run a shell command assembled from non-literal input (a variable, a template or f-string with substitutions, concatenation, \`.format\`, \`%\`). When the text comes from an MCP tool parameter, the model (and anyone who can steer it through prompt injection) can run arbitrary commands on the host. Pass a fixed program and an argument list without a shell (\`execFile("git", ["log", ref])\`, \`subprocess.run(["git", "log", ref])\`), or quote each value (\`shlex.quote\`) and check it against an allowlist.${
    lang === 'Python'
      ? ''
      : " It also reports programs started for a caller without a visible shell: `new StdioClientTransport({ command })` (an MCP inspector or proxy spawning the server a request names) and the `open` package handed a URL from a request or from a remote server's OAuth metadata (it goes through a shell on Windows)."
  }`;

/** Shell command injection (`js-command-injection`, `py-command-injection`). */
export const { js: jsCommandInjection, python: pyCommandInjection } = sinkRulePair({
  shared: {
    family: 'command',
    title: 'Shell command built from input',
    description: 'A shell command assembled from non-literal input lets an attacker run arbitrary commands.',
    category: 'command-injection',
    severity: 'medium',
    taintedSeverity: 'critical',
    cwe: ['CWE-78'],
    owasp: ['A03:2021', 'MCP05'],
    noun: 'shell command',
    docs: docs('JavaScript/TypeScript'),
  },
  js: {
    id: 'js-command-injection',
    keywords: ['exec', 'spawn', 'execa', 'child_process', 'StdioClientTransport', '"open"', "'open'"],
    positive: [
      {
        path: 'proxy.js',
        code: 'import express from "express";\nimport { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";\nimport { findActualExecutable } from "spawn-rx";\nconst app = express();\nconst createTransport = async (req) => {\n  const query = req.query;\n  const transportType = query.transportType;\n  if (transportType === "stdio") {\n    const { cmd, args } = findActualExecutable(query.command, []);\n    return new StdioClientTransport({ command: «cmd», args, stderr: "pipe" });\n  }\n};\napp.get("/sse", async (req, res) => {\n  const transport = await createTransport(req);\n  await transport.start();\n});\n',
        note: 'an HTTP query parameter chooses the program an MCP inspector spawns (CVE-2025-49596, @modelcontextprotocol/inspector 0.14.0)',
      },
      {
        path: 'auth.ts',
        code: 'import open from "open";\nasync function startAuthorization(metadata: OAuthMetadata, clientId: string) {\n  const url = new URL(metadata.authorization_endpoint);\n  url.searchParams.set("client_id", clientId);\n  await open(«url.toString()»);\n}\n',
        note: "the authorization endpoint comes from the remote server's metadata; the open package hands it to a shell on Windows (CVE-2025-6514 class)",
      },
      {
        path: 'server.ts',
        code: 'import { exec } from "node:child_process";\nserver.tool("run", { cmd: z.string() }, async ({ cmd }) => {\n  exec(«cmd», (err, out) => {});\n  return { content: [] };\n});\n',
        note: 'tool parameter straight into exec',
      },
      {
        path: 'dist/index.js',
        code: '"use strict";\nconst node_child_process_1 = require("node:child_process");\nconst zod_1 = require("zod");\nserver.tool("run_command", { command: zod_1.z.string() }, async ({ command }) => {\n  const out = (0, node_child_process_1.execSync)(«command»).toString();\n  return { content: [{ type: "text", text: out }] };\n});\n',
        note: "TypeScript's CommonJS output calls an imported function as (0, module_1.fn)(…): published packages ship it",
      },
      {
        path: 'git.js',
        code: 'const cp = require("child_process");\nfunction log(branch) {\n  return cp.execSync(«`git log ${branch}`»);\n}\n',
      },
      {
        path: 'run.ts',
        code: 'import { exec } from "child_process";\nimport { promisify } from "util";\nconst run = promisify(exec);\nexport async function list(dir: string) {\n  return run(«"ls -la " + dir»);\n}\n',
      },
      {
        path: 'helper.js',
        code: 'const { exec } = require("child_process");\nfunction run(command) {\n  exec(«command»);\n}\nrun("git status");\nrun(`ls ${dir}`);\nexport function open(target) {\n  exec(«target»);\n}\nopen("index.html");\nfunction later(cmd) {\n  exec(«cmd»);\n}\nlater("ls");\nqueue.push(later);\n',
        note: 'one caller with input, an exported helper, and a helper handed out as a value are all still reported',
      },
      {
        path: 'config.js',
        code: 'const { execSync } = require("child_process");\nvar config = { port: 9009 };\nconfig.port = readPort();\nfunction kill(port) {\n  execSync(«`kill $(lsof -ti:${port})`»);\n}\nkill(config.port);\nfunction touchAll(names) {\n  names.map((n) => execSync(«`touch ${n}`»));\n}\nfunction outer(x) {\n  let d = "a";\n  d = x;\n  function inner() {\n    execSync(«`ls ${d}`»);\n  }\n  inner();\n}\n',
        note: 'a configuration object written elsewhere, a callback over an unknown list, and a closure over a rebound variable stay dynamic',
      },
      {
        path: 'unchecked.js',
        code: 'const { execSync } = require("child_process");\nexport function checkout(branch, ref) {\n  if (/^[a-z]/.test(branch)) execSync(«`git checkout ${branch}`»);\n  if (!/^[\\w-]+$/.test(ref)) console.warn("odd ref");\n  execSync(«`git log ${ref}`»);\n  let name = branch;\n  if (!/^\\w+$/.test(name)) return;\n  name = ref + "x";\n  execSync(«`git show ${name}`»);\n}\n',
        note: 'an unanchored pattern, a failed check that does not leave, and a name rebound after its check',
      },
      {
        path: 'pick.js',
        code: 'const { execSync } = require("child_process");\nfunction clean(dir, names) {\n  execSync(«process.platform === "win32" ? "rd /s " + dir : "ls"»);\n  for (const n of names) execSync(«`touch ${n}`»);\n  for (const n of ["a", dir]) execSync(«`touch ${n}`»);\n}\n',
        note: 'one branch or one element built from input is enough',
      },
      {
        path: 'shell.ts',
        code: 'import { spawn } from "child_process";\nexport function go(name: string) {\n  spawn(«name», ["--version"], { shell: true });\n  spawn("bash", ["-c", «script»]);\n}\n',
      },
      {
        path: 'low.ts',
        code: 'import { execSync } from "child_process";\nserver.setRequestHandler(CallToolRequestSchema, async (request) => {\n  switch (request.params.name) {\n    case "shell": {\n      const { command } = request.params.arguments;\n      const out = execSync(«command»);\n      return { content: [{ type: "text", text: String(out) }] };\n    }\n  }\n});\n',
      },
    ],
    negative: [
      {
        path: 'routes.ts',
        code: 'import { Hono } from "hono";\nimport { execFile } from "node:child_process";\nimport open from "open";\nconst app = new Hono();\napp.get("/version", (c) => {\n  execFile("git", ["rev-parse", c.req.query("ref") ?? "HEAD"]);\n  return c.text(c.env.VERSION);\n});\nconst DOCS = "https://example.com/docs";\nawait open(DOCS);\n',
        note: 'execFile without a shell takes the request value as one argument; open() of a fixed URL',
      },
      {
        path: 'git.ts',
        code: 'import { execFile, spawn } from "node:child_process";\nexport function log(branch: string, dir: string) {\n  execFile("git", ["log", branch]);\n  spawn("ls", [dir]);\n}\n',
      },
      {
        path: 'lit.js',
        code: 'const { exec, execSync } = require("child_process");\nconst CMD = "npm test";\nexec("git status");\nexecSync(CMD);\nexecSync(process.env.BUILD_CMD);\n// exec(userInput) in a comment\nconst s = "exec(x)";\n',
      },
      { path: 'db.ts', code: 'export function f(db: Db, sql: string) {\n  db.exec(sql);\n  regex.exec(sql);\n}\n' },
      {
        path: 'allow.ts',
        code: 'import { exec } from "child_process";\nconst ALLOWED = ["ls", "pwd"];\nserver.tool("run", { cmd: z.string() }, async ({ cmd }) => {\n  if (!ALLOWED.includes(cmd)) throw new Error("not allowed");\n  exec(cmd);\n});\n',
      },
      {
        path: 'probe.js',
        code: 'const { exec, execSync } = require("child_process");\nconst win = process.platform === "win32";\nfunction probe() {\n  const command = win ? "tasklist /NH" : "ps aux";\n  exec(command);\n  const finder = win ? "where" : "which";\n  execSync(`${finder} rg`);\n  const pythons = win ? ["python", "py"] : ["python3", "python"];\n  for (const py of pythons) execSync(`${py} --version`);\n}\n',
        note: 'commands chosen between literals by platform, and a loop over a fixed list',
      },
      {
        path: 'setup.js',
        code: 'const { exec } = require("child_process");\nfunction run(command) {\n  return new Promise((resolve) => {\n    const line = process.platform === "win32" ? `cmd.exe /c ${command}` : command;\n    exec(line, resolve);\n  });\n}\nasync function restart() {\n  await run(\'killall "Claude"\');\n  await run(`open -a "Claude"`);\n}\n',
        note: 'a file-private helper that every caller hands a literal command',
      },
      {
        path: 'ports.js',
        code: 'const { execSync } = require("child_process");\nvar mcpConfig = { defaultWsPort: 9009 };\nfunction killProcessOnPort(port) {\n  execSync(`lsof -ti:${port} | xargs kill -9`);\n}\nasync function createWebSocketServer(port = mcpConfig.defaultWsPort) {\n  killProcessOnPort(port);\n}\ncreateWebSocketServer();\nfunction killAll(pids) {\n  execSync(`kill ${parseInt(pids[0], 10)} # ${pids.length} processes`);\n}\n',
        note: "a port from the server's own configuration constant (as the default of the only call) and numbers (browsermcp idiom)",
      },
      {
        path: 'vault.ts',
        code: 'import { exec } from "child_process";\nimport { promises as fs } from "fs";\nimport path from "path";\nimport os from "os";\nasync function checkLocalPath(vaultPath: string) {\n  const realPath = await fs.realpath(vaultPath);\n  const drive = realPath[0].toUpperCase();\n  async function viaWmic() {\n    return exec(`wmic logicaldisk where "DeviceID=\'${drive}:\'" get DriveType /value`);\n  }\n  exec(`df -P "${realPath}" | tail -n 1`);\n  return viaWmic();\n}\nexport function waitPort(port: number) {\n  exec(`lsof -i:${port}`);\n}\nconst vaults = process.argv.slice(2);\nawait Promise.all(\n  vaults.map(async (p) => checkLocalPath(path.resolve(p.startsWith("~") ? path.join(os.homedir(), p.slice(1)) : p))),\n);\n',
        note: 'paths the operator gave on the command line at start-up, and a parameter typed number (obsidian-mcp idiom)',
      },
      {
        path: 'checked.js',
        code: 'const { execSync } = require("child_process");\nexport function checkout(branch, pid) {\n  if (/^[a-zA-Z0-9_-]+$/.test(branch)) execSync(`git checkout ${branch}`);\n  if (!/^\\d+$/.test(pid)) return;\n  execSync(`kill ${pid}`);\n}\n',
        note: 'values matched by an anchored pattern of safe characters just before',
      },
    ],
  },
  python: {
    id: 'py-command-injection',
    docs: docs('Python'),
    keywords: ['system', 'popen', 'subprocess', 'shell', 'getoutput'],
    positive: [
      {
        path: 'server.py',
        code: 'import subprocess\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("ops")\n\n@mcp.tool()\ndef run(cmd: str) -> str:\n    """Run a command."""\n    return subprocess.run(\n        «f"ls {cmd}"»,\n        shell=True,\n        capture_output=True,\n    ).stdout\n',
      },
      { path: 'clean.py', code: 'import os\n\ndef wipe(path):\n    os.system(«"rm -rf " + path»)\n' },
      {
        path: 'aio.py',
        code: 'import asyncio\n\nasync def go(command):\n    await asyncio.create_subprocess_shell(«command»)\n    subprocess.run(["bash", "-c", «command»])\n',
      },
      {
        path: 'loop.py',
        code: 'import os\n\ndef touch(names, d):\n    for n in names:\n        os.system(«f"touch {n}"»)\n    os.system(«"ls " + d if d else "ls"»)\n',
      },
      {
        path: 'fmt.py',
        code: 'from subprocess import check_output as co\n\ndef grep(pattern, f):\n    return co(«"grep {} {}".format(pattern, f)», shell=True)\n',
      },
    ],
    negative: [
      {
        path: 'git.py',
        code: 'import subprocess, os, shlex\n\ndef status(branch, d):\n    subprocess.run(["git", "status"])\n    subprocess.run(["git", "log", branch])\n    os.system("ls -la")\n    subprocess.run(f"ls {shlex.quote(d)}", shell=True)\n    subprocess.run(cmd, shell=False)\n',
      },
      { path: 'other.py', code: '# os.system(user_input)\nx = "subprocess.run(cmd, shell=True)"\n' },
      {
        path: 'probe.py',
        code: 'import os\n\ndef probe():\n    for exe in ["python3", "python"]:\n        os.system(f"{exe} --version")\n    cmd = "dir" if os.name == "nt" else "ls"\n    os.system(cmd)\n',
        note: 'a loop over a fixed list and a choice between literals',
      },
    ],
  },
});
