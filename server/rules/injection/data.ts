import { sinkRulePair } from './sinkRule';

/** SQL built by interpolation (`js-sql-injection`, `py-sql-injection`). */
export const { js: jsSqlInjection, python: pySqlInjection } = sinkRulePair({
  shared: {
    family: 'sql',
    title: 'SQL built by interpolation',
    description: 'SQL text assembled from non-literal values lets an attacker change the query.',
    category: 'sql-injection',
    severity: 'medium',
    taintedSeverity: 'high',
    cwe: ['CWE-89'],
    owasp: ['A03:2021'],
    noun: 'SQL text',
    docs: 'Finds SQL text assembled by interpolation or concatenation (template literals, `+`, f-strings, `.format`, `%`) of non-literal values and passed to `query`/`execute`/`raw`/`$queryRawUnsafe` and similar, and any SQL text a tool parameter reaches when the receiver is a database client, pool, connection, cursor or query builder (known by its import or construction, or named like one: `pool`, `conn`, `cursor`, `this.db`); a method name alone (`tool.execute(args)`) is never SQL. A quote in the value rewrites the query. Use placeholders (`query("… WHERE id = $1", [id])`, `execute("… WHERE id = ?", (id,))`) and allowlist identifiers such as column names. Severity rises when an MCP tool parameter reaches the query.',
  },
  js: {
    id: 'js-sql-injection',
    keywords: ['query', 'execute', 'raw', 'exec', 'prepare', 'all', 'get', 'run', 'unsafe'],
    positive: [
      {
        path: 'pg.ts',
        code: 'import pg from "pg";\nconst pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\nserver.tool("query", { sql: z.string() }, async ({ sql }) => {\n  const client = await pool.connect();\n  const result = await client.query(«sql»);\n  return { content: [{ type: "text", text: JSON.stringify(result.rows) }] };\n});\n',
        note: 'a client obtained from a pg pool (the reference postgres server idiom)',
      },
      {
        path: 'db.ts',
        code: 'server.tool("find_user", { name: z.string() }, async ({ name }) => {\n  const rows = await pool.query(«`SELECT * FROM users WHERE name = \'${name}\'`»);\n  return { content: [] };\n});\n',
      },
      {
        path: 'repo.js',
        code: 'function byId(db, id) {\n  const sql = "DELETE FROM items WHERE id = " + id;\n  return db.prepare(«sql»).run();\n}\nfunction info(db, tableName) {\n  const quoted = quote(tableName);\n  return db.prepare(«`PRAGMA table_info(${quoted})`»).all();\n}\nasync function raw(prisma, t) {\n  await prisma.$queryRawUnsafe(«`SELECT count(*) FROM ${t}`»);\n}\n',
      },
      {
        path: 'arb.ts',
        code: 'server.tool("sql", { query: z.string() }, async ({ query }) => {\n  return db.query(«query»);\n});\n',
        note: 'a tool that runs caller-supplied SQL',
      },
    ],
    negative: [
      {
        path: 'agents.ts',
        code: 'server.tool("run", { name: z.string(), input: z.string() }, async ({ name, input }) => {\n  const tool = registry.get(name);\n  const out = await tool.execute(input);\n  await workflow.run(input);\n  await this.client.query({ query: input });\n  return { content: [{ type: "text", text: out }] };\n});\n',
        note: 'a method name alone is not SQL: the receivers are not database objects',
      },
      {
        path: 'param.ts',
        code: 'const TABLE = "users";\nexport async function f(pool: Pool, id: string, key: string) {\n  await pool.query("SELECT * FROM users WHERE id = $1", [id]);\n  await pool.query(`SELECT * FROM ${TABLE} WHERE id = $1`, [id]);\n  await prisma.$queryRaw`SELECT * FROM users WHERE id = ${id}`;\n  cache.get(`user:${id}`);\n  app.get(`/users/${id}`, handler);\n  map.get(key);\n}\n',
      },
      {
        path: 'num.ts',
        code: 'server.tool("get", { id: z.string() }, async ({ id }) => {\n  const n = parseInt(id, 10);\n  return db.query(`SELECT * FROM t WHERE id = ${n}`);\n});\n',
      },
      {
        path: 'sqlite-schema.js',
        code: 'import { quoteIdentifier } from "./identifier-quoter.js";\nimport { escapeIdentifier } from "pg";\nexport class SQLiteConnector {\n  getIndexes(tableName) {\n    const quoted = quoteIdentifier(tableName, "sqlite");\n    const rows = this.db.prepare(`PRAGMA index_list(${quoted})`).all();\n    return this.db.prepare(`PRAGMA table_info(${quoteIdentifier(tableName, "sqlite")})`).all();\n  }\n  count(client, table) {\n    return client.query(`SELECT count(*) FROM ${escapeIdentifier(table)}`);\n  }\n}\n',
        note: "identifier quoting is the fix where SQL takes no bound parameter (PRAGMA, table names): dbhub's idiom",
      },
    ],
  },
  python: {
    id: 'py-sql-injection',
    keywords: ['execute', 'raw', 'read_sql', 'fetch', 'query', 'sql'],
    positive: [
      {
        path: 'sqlite.py',
        code: 'import sqlite3\nconn = sqlite3.connect("app.db")\n\n@mcp.tool()\ndef run_sql(sql: str) -> list:\n    cur = conn.cursor()\n    cur.execute(«sql»)\n    return cur.fetchall()\n',
      },
      {
        path: 'server.py',
        code: 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("db")\n\n@mcp.tool()\ndef query(sql: str) -> list:\n    cursor = conn.cursor()\n    cursor.execute(«f"SELECT * FROM logs WHERE {sql}"»)\n    return cursor.fetchall()\n',
      },
      {
        path: 'repo.py',
        code: 'def find(cur, name, table):\n    cur.execute(«"SELECT id FROM users WHERE name = \'%s\'" % name»)\n    q = "DELETE FROM {} WHERE id = {}".format(table, name)\n    cur.execute(«q»)\n    conn.execute(text(«"UPDATE t SET a = 1 WHERE b = " + name»))\n',
      },
    ],
    negative: [
      {
        path: 'agents.py',
        code: '@mcp.tool()\ndef run(task: str) -> str:\n    result = agent.execute(task)\n    self.client.execute(task)\n    return executor.run(task)\n',
        note: 'execute on an agent or an API client is not SQL',
      },
      {
        path: 'safe.py',
        code: 'TABLE = "users"\n\ndef find(cur, name):\n    cur.execute("SELECT id FROM users WHERE name = ?", (name,))\n    cur.execute("SELECT id FROM users WHERE name = %s", (name,))\n    cur.execute(f"SELECT id FROM {TABLE} WHERE name = ?", (name,))\n    log.info(f"SELECT from {name}")\n    # cur.execute(f"SELECT * FROM t WHERE a = {name}")\n',
      },
    ],
  },
});

/** Unsafe deserialization (`js-unsafe-deserialization`, `py-unsafe-deserialization`). */
export const { js: jsUnsafeDeserialization, python: pyUnsafeDeserialization } = sinkRulePair({
  shared: {
    family: 'deser',
    title: 'Unsafe deserialization',
    description: 'Deserializing untrusted data with a library that revives functions lets an attacker run code.',
    category: 'unsafe-deserialization',
    severity: 'medium',
    taintedSeverity: 'high',
    cwe: ['CWE-502'],
    owasp: ['A08:2021'],
    noun: 'serialized data',
    docs: 'Finds deserialization that can construct arbitrary objects — `pickle`/`dill`/`marshal`/`jsonpickle`/`shelve`, `yaml.load` without `SafeLoader`, `yaml.unsafe_load`/`full_load`, `node-serialize` `unserialize` — applied to non-literal data. Loading attacker-controlled bytes this way runs code. Use JSON, `yaml.safe_load`, or sign and verify the payload first. Severity rises when an MCP tool parameter is the payload.',
  },
  js: {
    id: 'js-unsafe-deserialization',
    keywords: ['unserialize'],
    positive: [
      {
        path: 'state.js',
        code: 'const serialize = require("node-serialize");\nserver.tool("restore", { blob: z.string() }, async ({ blob }) => {\n  const state = serialize.unserialize(«blob»);\n});\n',
      },
    ],
    negative: [
      {
        path: 'ok.js',
        code: 'const serialize = require("node-serialize");\nconst s = serialize.unserialize("{}");\nconst data = JSON.parse(text);\nphp.unserialize(x);\n',
      },
    ],
  },
  python: {
    id: 'py-unsafe-deserialization',
    description:
      'Deserializing untrusted data with pickle-like loaders or an unsafe YAML loader lets an attacker run code.',
    fixable: true,
    keywords: ['pickle', 'yaml', 'marshal', 'dill', 'shelve', 'jsonpickle'],
    positive: [
      {
        path: 'server.py',
        code: 'import base64, pickle\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("state")\n\n@mcp.tool()\ndef restore(data: str) -> str:\n    obj = pickle.loads(«base64.b64decode(data)»)\n    return repr(obj)\n',
      },
      {
        path: 'conf.py',
        code: 'import yaml\n\ndef load(text, f):\n    a = yaml.load(«text»)\n    b = yaml.load(«f», Loader=yaml.Loader)\n    c = yaml.unsafe_load(«text»)\n',
      },
    ],
    negative: [
      {
        path: 'ok.py',
        code: 'import yaml, json, pickle\n\ndef load(text):\n    a = yaml.safe_load(text)\n    b = yaml.load(text, Loader=yaml.SafeLoader)\n    c = yaml.load(text, Loader=yaml.CSafeLoader)\n    d = json.loads(text)\n    e = pickle.dumps(text)\n    f = pickle.loads(b"\\x80\\x04N.")\n',
      },
    ],
  },
});
