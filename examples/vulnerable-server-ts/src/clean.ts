// Clean code that looks a little like the vulnerable server: it must produce no findings.
import { execFile } from 'node:child_process';
import { helper } from './helpers.js';

/** The API endpoint comes from the environment, never from a tool argument. */
export const apiBase = process.env.API_BASE_URL ?? 'https://api.example.com';

/** Runs a fixed program with fixed arguments: no shell, nothing from the caller. */
export function gitVersion(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['--version'], (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

/** Parameterised SQL: the value travels separately from the statement. */
export async function findUser(db: { query(sql: string, params: unknown[]): Promise<unknown> }, name: string) {
  return db.query('SELECT * FROM users WHERE name = $1', [name]);
}

export { helper };
