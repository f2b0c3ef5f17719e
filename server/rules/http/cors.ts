import { codeFactsOf, type CodeFacts } from '../../analysis/sinks/facts';
import {
  calleeOf,
  keywordArg,
  keywordArgNode,
  objectPair,
  positionalArgs,
  propertyName,
  stripQuotes,
} from '../../analysis/ast';
import { qualify } from '../../analysis/sinks/facts';
import type { TSNode } from '../../analysis/parse';
import { defineRule, type DetectContext, type RawFinding } from '../../core/rule';

// Why this matters for MCP: an HTTP transport (Streamable HTTP, SSE) or a bridge usually listens on localhost. A
// CORS policy that reflects any origin and allows credentials lets every web page the user opens call the
// server's tools from the browser with the user's cookies, which turns a visit into tool calls.

/** JS middleware factories whose options take `origin` and `credentials` (Express/Koa `cors`, Hono, Fastify). */
const JS_CORS = new Set(['cors', 'hono.cors.cors', '@koa.cors', 'fastify-cors', '@fastify.cors', 'kcors']);

/** The options object of a JS CORS middleware call, when the call is one. */
function jsCorsOptions(call: TSNode, facts: CodeFacts): TSNode | undefined {
  const callee = calleeOf(call);
  if (!callee) return undefined;
  const args = positionalArgs(call);
  const q = qualify(callee, facts.aliases) ?? '';
  if (JS_CORS.has(q)) return args.find((a) => a.type === 'object');
  // Fastify: `app.register(cors, { origin: true, credentials: true })`.
  if (propertyName(callee) === 'register' && args[0] && JS_CORS.has(qualify(args[0], facts.aliases) ?? ''))
    return args[1]?.type === 'object' ? args[1] : undefined;
  return undefined;
}

/** True when a JS `origin` option lets every origin through with its own name reflected back. */
function reflectsAnyOrigin(value: TSNode): boolean {
  if (value.type === 'true') return true;
  if (value.type === 'regex') return /^\/\.[*+]\/\w*$/.test(value.text);
  if (value.type === 'arrow_function' || value.type === 'function_expression' || value.type === 'function') {
    // A function that answers without looking: `(origin, cb) => cb(null, true)` or `(o) => o`.
    const body = value.childForFieldName('body');
    const params = value.childForFieldName('parameters') ?? value.childForFieldName('parameter');
    const first = params?.type === 'identifier' ? params : params?.namedChildren[0];
    if (!body || /\bif\b|===?|!==?|\bincludes\(|\bindexOf\(|\btest\(|\bhas\(|\?/.test(body.text)) return false;
    return (
      /\(\s*null\s*,\s*true\s*\)/.test(body.text) ||
      (!!first && body.text.replace(/[{}\s;]|return/g, '') === first.text)
    );
  }
  return false;
}

function jsFindings(facts: CodeFacts): RawFinding[] {
  const out: RawFinding[] = [];
  for (const call of facts.calls) {
    const opts = jsCorsOptions(call, facts);
    if (!opts) continue;
    const credentials = objectPair(opts, 'credentials')?.childForFieldName('value');
    const origin = objectPair(opts, 'origin');
    const value = origin?.childForFieldName('value');
    if (credentials?.type !== 'true' || !origin || !value || !reflectsAnyOrigin(value)) continue;
    out.push({
      start: origin.startIndex,
      end: origin.endIndex,
      message:
        'CORS reflects every origin and allows credentials: any web page the user opens can call this server with their cookies; list the allowed origins.',
    });
  }
  // Hand-written headers: the request's Origin copied into Access-Control-Allow-Origin next to Allow-Credentials.
  const headerCalls = facts.calls.filter((c) => {
    const name = propertyName(calleeOf(c) ?? c);
    return name === 'setHeader' || name === 'header' || name === 'set' || name === 'append';
  });
  const header = (c: TSNode) => stripQuotes(positionalArgs(c)[0]?.text ?? '').toLowerCase();
  const allowsCredentials = headerCalls.some(
    (c) => header(c) === 'access-control-allow-credentials' && /true/.test(positionalArgs(c)[1]?.text ?? ''),
  );
  if (!allowsCredentials) return out;
  for (const c of headerCalls) {
    const value = positionalArgs(c)[1];
    if (header(c) !== 'access-control-allow-origin' || !value) continue;
    if (
      !/\.headers\.origin\b|\.headers\[['"]origin['"]\]|\.get\(\s*['"]origin['"]\s*\)|\bheader\(\s*['"]origin['"]\s*\)/i.test(
        value.text,
      )
    )
      continue;
    out.push({
      start: c.startIndex,
      end: c.endIndex,
      message:
        "Access-Control-Allow-Origin copies the request's Origin while credentials are allowed: any web page can call this server with the user's cookies; compare the origin with an allow-list first.",
    });
  }
  return out;
}

/** True for a Python `["*"]` / `("*",)` / `"*"` value. */
function pyAnyOrigin(v: TSNode | undefined): boolean {
  if (!v) return false;
  if (v.type === 'string') return stripQuotes(v.text) === '*';
  if (v.type === 'list' || v.type === 'tuple')
    return v.namedChildren.some((c) => c?.type === 'string' && stripQuotes(c.text) === '*');
  return false;
}

function pyFindings(facts: CodeFacts): RawFinding[] {
  const out: RawFinding[] = [];
  for (const call of facts.calls) {
    const callee = calleeOf(call);
    if (!callee) continue;
    const q = qualify(callee, facts.aliases) ?? '';
    const first = positionalArgs(call)[0];
    const middleware = first && /(?:^|\.)CORSMiddleware$/.test(qualify(first, facts.aliases) ?? first.text);
    if (middleware && (propertyName(callee) === 'add_middleware' || /(?:^|\.)Middleware$/.test(q))) {
      // Starlette/FastAPI answer a credentialed request from any origin with that origin when `*` is allowed.
      const regex = keywordArg(call, 'allow_origin_regex');
      const any =
        pyAnyOrigin(keywordArg(call, 'allow_origins')) || (!!regex && /^\.[*+]$/.test(stripQuotes(regex.text)));
      if (any && keywordArg(call, 'allow_credentials')?.type === 'true') out.push(pyFinding(call, 'allow_credentials'));
    } else if (q === 'flask_cors.CORS' || q === 'flask_cors.cross_origin') {
      // flask-cors reflects the request's origin when credentials are supported and origins are left at `*`.
      const origins = keywordArg(call, 'origins') ?? keywordArg(call, 'resources');
      const any = !origins || pyAnyOrigin(origins);
      if (any && keywordArg(call, 'supports_credentials')?.type === 'true')
        out.push(pyFinding(call, 'supports_credentials'));
    }
  }
  return out;
}

function pyFinding(call: TSNode, keyword: string): RawFinding {
  const kw = keywordArgNode(call, keyword) ?? call;
  return {
    start: kw.startIndex,
    end: kw.endIndex,
    message:
      'CORS allows every origin together with credentials, so the origin of any web page is echoed back: any page the user opens can call this server with their cookies; list the allowed origins.',
  };
}

export const corsAnyOriginWithCredentials = defineRule({
  id: 'cors-any-origin-with-credentials',
  title: 'CORS lets any web page call the server with credentials',
  description:
    'An HTTP MCP server or bridge whose CORS policy reflects any origin while allowing credentials can be called from any web page the user visits, with the user’s cookies, which turns a page visit into tool calls.',
  category: 'insecure-config',
  severity: 'medium',
  cwe: ['CWE-942', 'CWE-346'],
  owasp: ['A05:2021'],
  kinds: ['js', 'python'],
  keywords: ['cors', 'CORS', 'Access-Control-Allow-Origin'],
  docs:
    'Browsers let a page read a cross-origin response only when the server says so. `cors({ origin: true, ' +
    'credentials: true })`, a function that accepts every origin, Starlette/FastAPI `CORSMiddleware(allow_origins=' +
    '["*"], allow_credentials=True)` and flask-cors `supports_credentials=True` with the default origins all echo the ' +
    "caller's origin back and allow cookies: any page the user opens can then call the server's tools as the user. " +
    'MCP servers on localhost are reachable from the browser too. List the origins that may call the server, or ' +
    'drop credentials; for local servers also check the `Host`/`Origin` header against DNS rebinding.',
  detect(ctx: DetectContext) {
    const facts = codeFactsOf(ctx);
    if (!facts) return [];
    return facts.lang === 'python' ? pyFindings(facts) : jsFindings(facts);
  },
  positive: [
    {
      path: 'src/http.ts',
      code: 'import express from "express";\nimport cors from "cors";\nconst app = express();\napp.use(cors({ «origin: true», credentials: true }));\napp.use(cors({ «origin: (origin, cb) => cb(null, true)», credentials: true }));\n',
    },
    {
      path: 'src/bridge.js',
      code: 'const http = require("http");\nhttp.createServer((req, res) => {\n  «res.setHeader("Access-Control-Allow-Origin", req.headers.origin || "*")»;\n  res.setHeader("Access-Control-Allow-Credentials", "true");\n}).listen(3000);\n',
    },
    {
      path: 'server.py',
      code: 'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=["*"], «allow_credentials=True», allow_methods=["*"])\n',
    },
    {
      path: 'app.py',
      code: 'from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\nCORS(app, «supports_credentials=True»)\n',
    },
  ],
  negative: [
    {
      path: 'src/http.ts',
      code: 'import cors from "cors";\napp.use(cors({ origin: ["https://app.example.com"], credentials: true }));\napp.use(cors({ origin: true }));\napp.use(cors({ origin: (o, cb) => cb(null, ALLOWED.includes(o)), credentials: true }));\napp.use(cors());\n',
      note: 'an allow-list, any origin without credentials (no cookies travel), a checking function, the default',
    },
    {
      path: 'src/bridge.js',
      code: 'res.setHeader("Access-Control-Allow-Origin", "https://app.example.com");\nres.setHeader("Access-Control-Allow-Credentials", "true");\n',
      note: 'a fixed origin with credentials',
    },
    {
      path: 'src/public.js',
      code: 'res.setHeader("Access-Control-Allow-Origin", req.headers.origin);\nres.setHeader("Vary", "Origin");\n',
      note: 'a reflected origin without credentials: no cookies travel',
    },
    {
      path: 'server.py',
      code: 'from starlette.middleware import Middleware\nfrom starlette.middleware.cors import CORSMiddleware\nmiddleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])]\nmw = Middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)\n',
    },
  ],
});
