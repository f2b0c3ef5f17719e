import type { TSNode } from '../parse';
import { stripAwaitAndCasts } from '../ast';
import { qualify, type CodeFacts } from './facts';

/**
 * Which receivers are databases. A method name alone never makes a SQL sink: `tool.execute(args)`,
 * `workflow.run(input)` and `cache.get(key)` are not SQL. A call whose SQL text is not visibly built from SQL
 * pieces is a sink only when its receiver is a database client, pool, connection, cursor, statement or query
 * builder, known by what it was imported or constructed from, or, for code that receives it from elsewhere
 * (`this.db`, a parameter named `conn`), by a name that says so.
 */

/**
 * Database modules, as the first segment(s) of a qualified name (canonical module names: `/` is `.`). A receiver
 * whose qualified name starts with one of them was imported from or constructed by the driver:
 * `new pg.Pool()`, `mysql.createConnection()`, `sqlite3.connect().cursor()`, `new Database(file)`.
 */
export const DB_MODULES = [
  // JavaScript / TypeScript
  'pg',
  'pg-promise',
  'postgres',
  'mysql',
  'mysql2',
  'mysql2.promise',
  'better-sqlite3',
  'sqlite3',
  'sqlite',
  'knex',
  'sequelize',
  '@prisma.client',
  'mssql',
  'oracledb',
  'tedious',
  'duckdb',
  '@duckdb.node-api',
  '@libsql.client',
  '@neondatabase.serverless',
  '@vercel.postgres',
  '@planetscale.database',
  'kysely',
  'typeorm',
  'snowflake-sdk',
  '@google-cloud.bigquery',
  '@clickhouse.client',
  'bun:sqlite',
  // Python
  'psycopg',
  'psycopg2',
  'psycopg_pool',
  'pymysql',
  'MySQLdb',
  'mysql.connector',
  'asyncpg',
  'aiosqlite',
  'aiomysql',
  'sqlalchemy',
  'pyodbc',
  'cx_Oracle',
  'snowflake.connector',
  'clickhouse_connect',
  'databricks.sql',
  'pandas',
  'pd',
];

/**
 * Receiver names that say "database" in code that got the object from elsewhere (`this.db`, `conn`, `cursor`,
 * `pool`, `trx`), tested on the last name of the receiver. `client`, `session` and `engine` are not here: an HTTP,
 * MCP or GraphQL client has `query`/`execute` methods too, so those names count only when the object was
 * constructed from a database module.
 */
export const DB_RECEIVER_NAME =
  /(?:^|[._])(?:db|DB|database|\w*_db|\w*Db|conn|connection|\w*Connection|sqlite|pool|\w*Pool|knex|sequelize|prisma|pg|mysql|tx|trx|cursor|cur)(?:\(\))?$/;

/** Python names of SQLAlchemy sessions and engines that carry `execute` (`session.execute(text(q))`). */
const PY_SQLALCHEMY_NAME = /(?:^|[._])(?:session|db_session|engine)(?:\(\))?$/;

/**
 * True when the receiver of a query call is a database object: constructed or imported from a database module
 * (`DB_MODULES`, through `CodeFacts.aliases`), a `.cursor()` result, or named like one (`DB_RECEIVER_NAME`).
 */
export function isDbReceiver(recv: TSNode, facts: CodeFacts): boolean {
  const r = stripAwaitAndCasts(recv);
  const q = qualify(r, facts.aliases) ?? '';
  // A prepared statement's run/get/all/each take the values bound to its placeholders, never SQL text:
  // `db.prepare("… WHERE name LIKE ?").all(`%${q}%`)` is the safe form.
  if (/\.prepare\(\)$/.test(q) || /^(?:stmt|statement|\w*Stmt|\w*Statement)$/.test(r.text)) return false;
  if (q && DB_MODULES.some((m) => q === m || q.startsWith(`${m}.`) || q.startsWith(`${m}(`))) return true;
  if (/\.cursor\(\)$/.test(q) || /\.cursor\([^()]*\)$/.test(r.text)) return true;
  const text = r.text.replace(/\s+/g, '');
  if (DB_RECEIVER_NAME.test(text)) return true;
  return facts.lang === 'python' && PY_SQLALCHEMY_NAME.test(text);
}
