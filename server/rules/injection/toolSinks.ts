import { sinkRulePair } from './sinkRule';

/** Tool parameter used as a file path (`js-tool-path-traversal`, `py-tool-path-traversal`). */
export const { js: jsToolPathTraversal, python: pyToolPathTraversal } = sinkRulePair({
  shared: {
    family: 'path',
    title: 'Tool parameter used as a file path',
    description:
      'A tool parameter that reaches a file-system call without a containment check lets a caller read or write any file.',
    category: 'path-traversal',
    severity: 'high',
    taintedSeverity: 'high',
    cwe: ['CWE-22'],
    owasp: ['A01:2021', 'MCP03'],
    noun: 'file path',
    docs: 'Finds file-system operations (`fs.readFile`, `fs.promises.*`, streams, `open()`, `pathlib.Path(...).read_text()`, `shutil.*`, `os.remove`, …), Playwright/Puppeteer files (`page.pdf({ path })`, `screenshot({ path })`, uploads with `setInputFiles`) and FastMCP `Image(path=…)`/`File(path=…)` whose path comes from an MCP tool parameter, or the request of an HTTP route, with no containment check. A caller can pass `../../.ssh/id_rsa` or an absolute path and read or overwrite any file the server can. Resolve the path, then check it stays under the allowed root (`resolved.startsWith(root + path.sep)`, `path.relative` not starting with `..`, `realpath` + prefix check, `Path.is_relative_to`, `os.path.commonpath`) before using it.',
  },
  js: {
    id: 'js-tool-path-traversal',
    keywords: [
      'fs',
      'readFile',
      'writeFile',
      'readdir',
      'unlink',
      'createReadStream',
      'rm',
      'pdf',
      'screenshot',
      'setInputFiles',
      'setFiles',
      'sendFile',
      'download',
    ],
    positive: [
      {
        path: 'static.js',
        code: 'import express from "express";\nimport path from "node:path";\nconst app = express();\napp.get("/logs/:name", (req, res) => {\n  res.sendFile(\u00abpath.join(LOG_DIR, req.params.name)\u00bb);\n});\n',
        note: 'an HTTP route of a server with an HTTP transport sends any file the path names',
      },
      {
        path: 'output.js',
        code: 'import * as path from "path";\nexport class SaveAsPdfTool extends BrowserToolBase {\n  async execute(args, context) {\n    return this.safeExecute(context, async (page) => {\n      const options = { path: «path.resolve(args.outputPath || ".", args.filename)», format: "A4" };\n      await page.pdf(options);\n    });\n  }\n}\nserver.tool("save_pdf", { outputPath: z.string(), filename: z.string() }, async (args) => new SaveAsPdfTool().execute(args));\nserver.tool("upload", { selector: z.string(), filePath: z.string() }, async (args) => {\n  await page.setInputFiles(args.selector, «args.filePath»);\n});\n',
        note: 'Playwright writes the PDF where the caller says; setInputFiles uploads a server file into the page (executeautomation playwright-mcp-server idiom)',
      },
      {
        path: 'upload.ts',
        code: 'import fs from "node:fs";\nimport FormData from "form-data";\nserver.tool("attach", { file: z.string() }, async ({ file }) => {\n  const form = new FormData();\n  form.append("file", fs.createReadStream(«file»));\n  await fetch(UPLOAD_URL, { method: "POST", body: form });\n  fs.copyFileSync("/srv/template.txt", «file»);\n});\n',
        note: 'a read file uploaded in a multipart form; copyFile writes its second path',
      },
      {
        path: 'files.ts',
        code: 'import fs from "node:fs/promises";\nimport path from "node:path";\nconst ROOT = "/srv/data";\nserver.tool("read_file", { path: z.string() }, async (args) => {\n  const text = await fs.readFile(«path.join(ROOT, args.path)», "utf8");\n  return { content: [{ type: "text", text }] };\n});\n',
      },
      {
        path: 'low.js',
        code: 'const fs = require("fs");\nserver.setRequestHandler(CallToolRequestSchema, async (request) => {\n  const { name, arguments: args } = request.params;\n  if (name === "delete") {\n    const target = args.file.trim();\n    fs.unlinkSync(«target»);\n  }\n});\n',
      },
      {
        path: 'helper.ts',
        code: 'import fs from "node:fs";\nclass Notes {\n  read(file: string) {\n    return new Promise((resolve) => resolve(fs.readFileSync(«file», "utf8")));\n  }\n}\nconst notes = new Notes();\nserver.tool("read_note", { file: z.string() }, async ({ file }) => ({ content: [{ type: "text", text: await notes.read(file) }] }));\n',
        note: 'a tool parameter passed to a same-file method (through a callback inside it)',
      },
    ],
    negative: [
      {
        path: 'static.js',
        code: 'import express from "express";\nconst app = express();\napp.get("/assets/:name", (req, res) => {\n  res.sendFile(req.params.name, { root: ASSETS });\n});\napp.get("/health", (req, res) => res.json({ ok: true, app: req.app.locals.name }));\n',
        note: 'with a root option, sendFile refuses paths that leave it',
      },
      {
        path: 'shots.ts',
        code: 'import fs from "node:fs";\nconst OUT = process.env.OUT_DIR ?? "/tmp";\nserver.tool("shot", { name: z.enum(["home", "about"]), url: z.string() }, async ({ name, url }) => {\n  await page.goto(url);\n  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });\n  const obj = {};\n  obj.constructor(url);\n  return { content: [{ type: "text", text: fs.readFileSync(`${OUT}/${name}.png`).toString("base64") }] };\n});\n',
        note: 'a z.enum parameter is validated before the handler runs; method names of Object.prototype are not file methods',
      },
      {
        path: 'safe.ts',
        code: 'import fs from "node:fs/promises";\nimport path from "node:path";\nconst ROOT = path.resolve(process.env.ROOT ?? ".");\nserver.tool("read_file", { path: z.string() }, async ({ path: p }) => {\n  const resolved = path.resolve(ROOT, p);\n  const real = await fs.realpath(resolved);\n  if (!real.startsWith(ROOT + path.sep)) {\n    throw new Error("outside root");\n  }\n  return fs.readFile(real, "utf8");\n});\n',
      },
      {
        path: 'validated.ts',
        code: 'import fs from "node:fs/promises";\nserver.tool("read", { path: z.string() }, async (args) => {\n  const validPath = await validatePath(args.path);\n  const cfg = await fs.readFile(process.env.CONFIG_PATH, "utf8");\n  await import("./util.js");\n  return fs.readFile(validPath, "utf8");\n});\n',
      },
      {
        path: 'helpers.ts',
        code: 'import fs from "node:fs";\nfunction read(p: string) {\n  return fs.readFileSync(p, "utf8");\n}\nfunction load(p: string) {\n  return fs.readFileSync(p, "utf8");\n}\nserver.tool("get", { key: z.string() }, async ({ key }) => {\n  const a = cache.read(key);\n  const b = load("/etc/app/" + "config.json");\n  return { content: [{ type: "text", text: a + b }] };\n});\n',
        note: 'a method call never resolves to a file-level function, and a helper fed only literals is not tainted',
      },
      {
        path: 'rel.ts',
        code: 'import fs from "node:fs";\nimport path from "node:path";\nserver.tool("read", { file: z.string() }, async ({ file }) => {\n  const full = path.resolve(root, file);\n  const rel = path.relative(root, full);\n  if (rel.startsWith("..") || path.isAbsolute(rel)) return { isError: true };\n  return fs.readFileSync(full, "utf8");\n});\n',
      },
    ],
  },
  python: {
    id: 'py-tool-path-traversal',
    keywords: [
      'open',
      'read_text',
      'read_bytes',
      'write_text',
      'shutil',
      'remove',
      'unlink',
      'listdir',
      'mkdir',
      'makedirs',
      'rename',
      'touch',
      'Image',
      'File',
      'Audio',
      'iterdir',
    ],
    positive: [
      {
        path: 'media.py',
        code: 'from pathlib import Path\nfrom fastmcp import FastMCP\nfrom fastmcp.utilities.types import Image\nmcp = FastMCP("media")\n\n@mcp.tool\ndef show(path: str) -> Image:\n    return Image(path=«path»)\n\n@mcp.tool\ndef save(name: str, text: str) -> str:\n    with «Path(name)».open("w") as f:\n        f.write(text)\n    return "ok"\n',
        note: 'FastMCP reads the file named by Image(path=…); Path.open in write mode',
      },
      {
        path: 'server.py',
        code: 'import os\nfrom pathlib import Path\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("files")\nBASE = "/srv/data"\n\n@mcp.tool()\ndef read_file(path: str) -> str:\n    full = os.path.join(BASE, path)\n    with open(«full») as f:\n        return f.read()\n\n@mcp.tool()\ndef cat(name: str) -> str:\n    return «(Path(BASE) / name)».read_text()\n',
      },
      {
        path: 'low.py',
        code: 'import shutil\n\n@server.call_tool()\nasync def handle(name: str, arguments: dict):\n    if name == "remove_dir":\n        shutil.rmtree(«arguments["dir"]»)\n',
      },
      {
        path: 'dispatch.py',
        code: 'import mcp.types as types\nfrom mcp.server import Server\nserver = Server("files")\n\nasync def read_file(arguments: dict) -> list[types.TextContent]:\n    with open(«arguments["path"]») as f:\n        return [types.TextContent(type="text", text=f.read())]\n\nTOOL_HANDLERS = {"read_file": read_file}\n\n@server.call_tool()\nasync def call_tool(name: str, arguments: dict):\n    return await TOOL_HANDLERS[name](arguments)\n',
        note: 'a low-level server dispatching through a dict of handlers',
      },
    ],
    negative: [
      {
        path: 'browser.py',
        code: 'import webbrowser, zipfile\nfrom fastmcp.utilities.types import Image\n\n@mcp.tool\ndef preview(url: str, member: str, png: bytes) -> Image:\n    webbrowser.open(url)\n    with zipfile.ZipFile("/srv/bundle.zip") as z:\n        z.open(member)\n    return Image(data=png, format="png")\n',
        note: 'open() on a browser or archive module is not a file path sink; Image(data=…) reads no file',
      },
      {
        path: 'safe.py',
        code: 'import os\nfrom pathlib import Path\nROOT = Path("/srv/data").resolve()\n\n@mcp.tool()\ndef read_file(path: str) -> str:\n    full = (ROOT / path).resolve()\n    if not full.is_relative_to(ROOT):\n        raise ValueError("outside root")\n    return full.read_text()\n\n@mcp.tool()\ndef get(name: str) -> str:\n    safe = os.path.basename(name)\n    with open(os.path.join("/srv", safe)) as f:\n        return f.read()\n\ndef local(p):\n    return open(p).read()\n',
      },
      {
        path: 'resources.py',
        code: 'from fastmcp import FastMCP\nmcp = FastMCP("docs")\n\n@mcp.resource("docs://{slug}")\ndef doc(slug: str, root: str = "/srv/docs") -> str:\n    return open(root + "/index.md").read()\n\n@mcp.tool(exclude_args=["log_dir"])\ndef tail(lines: int, log_dir: str = "/var/log/app") -> str:\n    return open(log_dir + "/app.log").read()[-lines:]\n',
        note: 'only the parameters a URI template names, and not the server-filled exclude_args, are client input',
      },
    ],
  },
});

/** Tool parameter used as a request URL (`js-tool-ssrf`, `py-tool-ssrf`). */
export const { js: jsToolSsrf, python: pyToolSsrf } = sinkRulePair({
  shared: {
    family: 'ssrf',
    title: 'Tool parameter used as a request URL',
    description:
      'A tool parameter that decides where the server sends an HTTP request lets a caller reach internal services.',
    category: 'ssrf',
    severity: 'high',
    taintedSeverity: 'high',
    cwe: ['CWE-918'],
    owasp: ['A10:2021'],
    noun: 'request URL',
    docs: 'Finds HTTP requests (`fetch`, `axios`, `got`, `http(s).get/request`, `undici`, `requests`, `httpx`, `aiohttp`, `urllib.request.urlopen`) and MCP client transports (`SSEClientTransport`, `StreamableHTTPClientTransport`) whose URL — its scheme and host, not only the path or query — comes from an MCP tool parameter, the request of an HTTP route or OAuth metadata sent by a remote server, with no host allowlist. A caller can make the server reach internal services and cloud metadata endpoints. Parse the URL and check its host against an allowlist before the request; with a client that follows redirects, check every redirect too (or turn redirects off).',
  },
  js: {
    id: 'js-tool-ssrf',
    keywords: ['fetch', 'axios', 'got', 'request', 'http', 'undici', 'ClientTransport'],
    positive: [
      {
        path: 'proxy.ts',
        code: 'import { Hono } from "hono";\nimport express from "express";\nconst app = new Hono();\napp.get("/proxy", async (c) => {\n  const target = c.req.query("url");\n  return fetch(«target»);\n});\nconst web = express();\nweb.post("/fetch", async (req, res) => {\n  const { url } = req.body;\n  res.send(await (await fetch(«url»)).text());\n});\n',
        note: 'the request of an HTTP route is untrusted like a tool argument',
      },
      {
        path: 'fetch.ts',
        code: 'server.tool("fetch_url", { url: z.string().url() }, async ({ url }) => {\n  const res = await fetch(«url»);\n  return { content: [{ type: "text", text: await res.text() }] };\n});\n',
      },
      {
        path: 'ax.ts',
        code: 'import axios from "axios";\nserver.tool("get", { host: z.string() }, async ({ host }) => {\n  const u = new URL(`https://${host}/status`);\n  await axios.get(«u.toString()»);\n});\n',
      },
      {
        path: 'ignored.ts',
        code: 'function validateUrl(url: string): boolean {\n  return new URL(url).protocol === "https:";\n}\nserver.tool("fetch", { url: z.string() }, async ({ url }) => {\n  isSafeUrl(url);\n  validateUrl(url);\n  return fetch(«url»);\n});\n',
        note: 'a check whose result is dropped checks nothing: `isSafeUrl` returns a verdict, and this `validateUrl` never throws',
      },
    ],
    negative: [
      {
        path: 'health.ts',
        code: 'import { Hono } from "hono";\nconst app = new Hono();\napp.get("/health", async (c) => {\n  const res = await fetch(c.env.UPSTREAM_URL);\n  return c.json({ ok: res.ok, id: c.req.param("id") });\n});\nserver.tool("fetch", { region: z.enum(["eu", "us"]) }, async ({ region }) => fetch(`https://${region}.api.example.com/status`));\n',
        note: "c.env is the server's configuration, not request input; a z.enum parameter is validated",
      },
      {
        path: 'api.ts',
        code: 'const API = process.env.API_URL;\nserver.tool("weather", { city: z.string() }, async ({ city }) => {\n  await fetch(`https://api.weather.gov/points/${city}`);\n  await fetch(`${API}/forecast?q=${encodeURIComponent(city)}`);\n  await fetch(process.env.HEALTH_URL);\n});\n',
      },
      {
        path: 'allow.ts',
        code: 'const ALLOWED_HOSTS = ["example.com"];\nserver.tool("fetch", { url: z.string() }, async ({ url }) => {\n  const parsed = new URL(url);\n  if (!ALLOWED_HOSTS.includes(parsed.hostname)) throw new Error("host not allowed");\n  return fetch(parsed);\n});\n',
      },
      {
        path: 'fetcher.js',
        code: 'import dns from "node:dns";\nimport privateIp from "private-ip";\nclass Fetcher {\n  static validateUrl(url) {\n    const { protocol, hostname } = new URL(url);\n    if (protocol !== "http:" && protocol !== "https:") throw new Error("protocol");\n    if (hostname === "localhost" || privateIp(hostname)) throw new Error("private address");\n  }\n  static async validateResolvedIp(url) {\n    const { address } = await dns.promises.lookup(new URL(url).hostname);\n    if (privateIp(address)) throw new Error("resolves to a private address");\n  }\n  static async fetchText({ url }) {\n    this.validateUrl(url);\n    await this.validateResolvedIp(url);\n    return (await fetch(url)).text();\n  }\n}\nserver.tool("fetch", { url: z.string() }, async ({ url }) => {\n  await assertPublicAddress(url);\n  const res = await fetch(url);\n  return { content: [{ type: "text", text: await Fetcher.fetchText({ url }) }] };\n});\n',
        note: 'validators called as statements that throw on a private address (mcp-fetch-server idiom, private-ip package)',
      },
    ],
  },
  python: {
    id: 'py-tool-ssrf',
    keywords: ['requests', 'httpx', 'aiohttp', 'urlopen', 'urllib'],
    positive: [
      {
        path: 'api.py',
        code: 'import httpx\nfrom fastapi import FastAPI, Request\napp = FastAPI()\n\n@app.get("/fetch/{host}")\nasync def fetch(host: str, request: Request):\n    body = await request.json()\n    async with httpx.AsyncClient() as client:\n        await client.get(«body["callback"]»)\n        return (await client.get(«f"http://{host}/status"»)).text\n',
        note: 'a FastAPI path parameter and the JSON body of the request',
      },
      {
        path: 'server.py',
        code: 'import httpx\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("web")\n\n@mcp.tool()\nasync def fetch_url(url: str) -> str:\n    async with httpx.AsyncClient() as client:\n        r = await client.get(«url.strip()»)\n        return r.text\n\n@mcp.tool()\ndef fetch2(host: str) -> str:\n    return requests.get(«f"http://{host}/admin"»).text\n',
      },
      {
        path: 'helper.py',
        code: 'import requests\n\ndef download(link):\n    return requests.get(«link», timeout=10).content\n\n@mcp.tool()\ndef fetch_image(image_url: str) -> bytes:\n    return download(image_url)\n',
        note: 'a tool parameter passed to a same-file helper',
      },
      {
        path: 'fetch.py',
        code: 'import httpx\nfrom fastmcp import FastMCP\nmcp = FastMCP("fetch")\n\nasync def fetch(url: str, max_length: int = 5000) -> str:\n    """Fetches a URL from the internet."""\n    async with httpx.AsyncClient() as client:\n        r = await client.get(«url», follow_redirects=True)\n    return r.text[:max_length]\n\nmcp.add_tool(fetch)\n\n@mcp.resource("page://{host}/index")\ndef page(host: str) -> str:\n    return httpx.get(«f"https://{host}/"»).text\n',
        note: 'a function registered with add_tool, and a resource template parameter',
      },
    ],
    negative: [
      {
        path: 'api.py',
        code: 'import httpx\nfrom fastapi import FastAPI, Request, Depends\napp = FastAPI()\n\n@app.get("/items/{item_id}")\nasync def item(item_id: int, request: Request, settings=Depends(get_settings)):\n    async with httpx.AsyncClient() as client:\n        await client.get(f"http://{item_id}.internal/")\n        await client.get(request.app.state.upstream)\n        return (await client.get(settings.url)).text\n',
        note: "an int path parameter is validated; request.app and dependencies are the server's own",
      },
      {
        path: 'weather.py',
        code: 'import httpx\nNWS = "https://api.weather.gov"\n\n@mcp.tool()\nasync def forecast(lat: float, city: str) -> str:\n    async with httpx.AsyncClient() as client:\n        await client.get(f"{NWS}/points/{lat}")\n        await client.get(f"https://api.example.com/q?city={city}")\n        await client.get(NWS, params={"q": city})\n    return ""\n\n@mcp.tool()\ndef fetch(url: str) -> str:\n    if urlparse(url).hostname not in ALLOWED:\n        raise ValueError("blocked")\n    return requests.get(url).text\n',
      },
      {
        path: 'typed.py',
        code: 'import requests\nfrom typing import Literal\n\ndef probe(port):\n    return requests.get(f"http://127.0.0.1:{port}/health").status_code\n\n@mcp.tool()\ndef health(port: int, scheme: Literal["http", "https"] = "http") -> int:\n    requests.get(f"{scheme}://127.0.0.1:{port}/ready")\n    return probe(port)\n',
        note: 'parameters typed int or Literal are validated by FastMCP before the handler runs',
      },
      {
        path: 'guarded.py',
        code: 'import ipaddress, socket\nimport httpx\n\ndef validate_public_url(url: str) -> None:\n    host = urlparse(url).hostname\n    if ipaddress.ip_address(socket.gethostbyname(host)).is_private:\n        raise ValueError("private address")\n\n@mcp.tool()\nasync def fetch(url: str) -> str:\n    validate_public_url(url)\n    async with httpx.AsyncClient() as client:\n        return (await client.get(url)).text\n',
        note: 'a validator called as a statement that raises on a private address',
      },
    ],
  },
});
