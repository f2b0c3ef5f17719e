// Untrusted sources besides tool arguments: the request of an HTTP route handler (only its client-controlled
// members) and OAuth metadata from a remote server (only where it is opened or executed).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Finding } from '../../shared/types';
import { initParsers } from '../../server/analysis/parse';
import { Engine } from '../../server/engine/engine';
import { scanText } from './helpers';
import { createBackend } from '../../server/core/regex';
import { injectionRules } from '../../server/rules/injection';

before(() => initParsers());

const scan = (path: string, text: string): Finding[] =>
  scanText(new Engine(injectionRules, {}, createBackend('js')), path, text).findings;
/** Findings as `line ruleId message-start`, for compact assertions. */
const brief = (fs: Finding[]) =>
  fs.map((f) => `${f.range.start.line + 1} ${f.ruleId} ${f.message.split(' reaches ')[0]}`);

describe('HTTP request sources', () => {
  test('Koa, Fastify, node http and Express error middleware; server-side members and responses are not input', () => {
    const text = [
      'const fs = require("fs");',
      'const https = require("https");',
      'router.get("/file", async (ctx) => {',
      '  ctx.body = fs.readFileSync(ctx.query.name);',
      '  fs.readFileSync(ctx.state.root);',
      '});',
      'fastify.post("/w", async (request, reply) => {',
      '  fs.writeFileSync(request.body.path, "x");',
      '  fs.writeFileSync(request.server.config.path, "x");',
      '});',
      'require("http").createServer((req, res) => fs.createReadStream(req.url).pipe(res));',
      'https.get("/status", (res) => fs.readFileSync(res.headers.location));',
      'app.use((err, req, res, next) => { fs.readFileSync(err.path); fs.readFileSync(req.query.p); });',
    ].join('\n');
    assert.deepEqual(brief(scan('a.js', text)), [
      '4 js-tool-path-traversal HTTP request value `name` of route `GET /file`',
      '8 js-tool-path-traversal HTTP request value `path` of route `POST /w`',
      '11 js-tool-path-traversal HTTP request value `url` of route `*`',
      '13 js-tool-path-traversal HTTP request value `p` of route `*`',
    ]);
  });

  test('Flask, FastMCP custom routes and FastAPI parameters', () => {
    const text = [
      'import os',
      'from flask import Flask, request',
      'from starlette.requests import Request',
      '',
      '@app.route("/run")',
      'def run():',
      '    os.system("echo " + request.args.get("cmd"))',
      '    return open(app.config["ROOT"]).read()',
      '',
      '@mcp.custom_route("/files", methods=["GET"])',
      'async def files(request: Request):',
      '    return open(request.query_params["name"]).read()',
      '',
      '@app.get("/items/{name}")',
      'def item(name: str, count: int, request: Request):',
      '    open(request.app.state.root)',
      '    os.system(f"ls {count}")',
      '    return open(name).read()',
    ].join('\n');
    assert.deepEqual(
      brief(scan('a.py', text)).filter((f) => !f.includes('built from')),
      [
        '7 py-command-injection HTTP request value `cmd` of route `/run`',
        '12 py-tool-path-traversal HTTP request value `name` of route `/files`',
        '18 py-tool-path-traversal HTTP request value `name` of route `GET /items/{name}`',
      ],
    );
  });
});

describe('remote OAuth metadata', () => {
  test('opened through the open package or a shell, not when fetched', () => {
    const text = [
      'import open from "open";',
      'import { exec } from "node:child_process";',
      'async function authorize(metadata) {',
      '  await fetch(metadata.token_endpoint, { method: "POST" });',
      '  exec(`open ${metadata.authorization_endpoint}`);',
      '  await open(new URL(metadata.registration_endpoint).href);',
      '}',
    ].join('\n');
    assert.deepEqual(brief(scan('a.js', text)), [
      '5 js-command-injection Remote OAuth metadata `authorization_endpoint`',
      '6 js-command-injection Remote OAuth metadata `registration_endpoint`',
    ]);
  });
});
