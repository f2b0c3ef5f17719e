// The scan routes: `POST /api/v1/scan` (JSON body or a multipart upload) answers the report; `POST
// /api/v1/scan/stream` answers Server-Sent Events while the scan runs and cancels it when the client goes away;
// `GET /api/v1/scans/:id/events` follows a scan started elsewhere; `DELETE /api/v1/scans/:id` cancels one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import type { Format } from '../cli/args';
import { isTarballRequest } from '../cli/vetPackage';
import { ArchiveRefused, archiveKind, extractTar, extractZip } from './archive';
import { PathRefused, resolveInRoots, resolveUnder } from './paths';
import { BadRequest, listField, SCAN_BODY_SCHEMA, selectionOverrides, type ScanBody } from './request';
import { ScanFailure, type Scan, type ScanEvent, type ScanRunner, type ScanTarget } from './scans';

/** What the routes need from the service. */
export interface RouteContext {
  runner: ScanRunner;
  /** Allowed roots (real paths). */
  roots: string[];
  /** Largest upload and most bytes it may unpack to. */
  maxUploadBytes: number;
  maxBytes: number;
  maxFiles: number;
}

/** Turns a JSON body into a scan target, or throws BadRequest / PathRefused. */
function targetOf(body: ScanBody, roots: readonly string[]): ScanTarget {
  if (body.package !== undefined) {
    if (body.rules || body.categories || body.config)
      throw new BadRequest('rules, categories and config apply to path and upload scans, not to package requests');
    // The vetting entry point also reads local tarballs (`file:` specs, names ending in .tgz): a client must not
    // make the service read a file from its disk that way, so only registry packages pass.
    if (isTarballRequest(body.package.slice('npm:'.length)) || isTarballRequest(body.package))
      throw new BadRequest('package takes a registry package, npm:name@version (not a file or tarball)');
    return { source: 'package', request: body.package };
  }
  const path = resolveInRoots(body.path!, roots);
  const overrides = selectionOverrides(body.rules, body.categories);
  return {
    source: 'path',
    path,
    ...(body.config ? { config: resolveUnder(body.config, path, roots) } : {}),
    ...(overrides ? { overrides } : {}),
  };
}

/** Sends a failure as JSON with its status (and Retry-After on 429/503). */
function sendFailure(reply: FastifyReply, e: unknown): FastifyReply {
  if (e instanceof BadRequest || e instanceof PathRefused) return reply.code(400).send({ error: e.message });
  if (e instanceof ArchiveRefused) return reply.code(e.tooLarge ? 413 : 400).send({ error: e.message });
  if (e instanceof ScanFailure) {
    if (e.retryAfter !== undefined) void reply.header('retry-after', String(e.retryAfter));
    return reply.code(e.status).send({ error: e.message });
  }
  const status = (e as { statusCode?: number }).statusCode;
  if (status && status >= 400 && status < 500) return reply.code(status).send({ error: (e as Error).message });
  throw e;
}

/** Reads the one uploaded archive and the form fields of a multipart request into a temp folder. */
async function receiveUpload(
  req: FastifyRequest,
  ctx: RouteContext,
): Promise<{ dir: string; format: Format; rules?: string[]; categories?: string[]; config?: string }> {
  const fields: Record<string, string> = {};
  let data: Buffer | undefined;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (data) throw new BadRequest('send one archive per request');
      data = await part.toBuffer();
    } else fields[part.fieldname] = String(part.value);
  }
  if (!data) throw new BadRequest('the upload holds no file (send a .tgz or .zip as the form field "file")');
  const format = (fields.format ?? 'json') as Format;
  if (!['json', 'sarif', 'html', 'text'].includes(format))
    throw new BadRequest(`unknown format "${format}" (expected json, sarif, html or text)`);
  const kind = archiveKind(data);
  if (!kind) throw new BadRequest('the upload is neither a gzipped tar (.tgz) nor a zip archive');
  const dir = mkdtempSync(join(tmpdir(), 'mcp-sentinel-upload-'));
  try {
    const limits = { maxEntries: ctx.maxFiles, maxBytes: ctx.maxBytes };
    await (kind === 'zip' ? extractZip(data, dir, limits) : extractTar(data, dir, limits));
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const rules = listField(fields.rules);
  const categories = listField(fields.categories);
  return {
    dir,
    format,
    ...(rules ? { rules } : {}),
    ...(categories ? { categories } : {}),
    ...(fields.config ? { config: fields.config } : {}),
  };
}

/** Writes one event in the Server-Sent Events format. */
function writeEvent(reply: FastifyReply, e: ScanEvent): void {
  reply.raw.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
}

/** Streams a scan's events (replayed, then live) until its final one; `owner` cancels the scan on disconnect. */
function stream(reply: FastifyReply, scan: Scan, owner: boolean): void {
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
    'x-scan-id': scan.id,
  });
  reply.raw.write(`event: scan\ndata: ${JSON.stringify({ id: scan.id })}\n\n`);
  for (const e of scan.events) writeEvent(reply, e);
  if (scan.finished) return void reply.raw.end();
  const onEvent = (e: ScanEvent) => {
    writeEvent(reply, e);
    if (scan.finished) {
      scan.off('event', onEvent);
      reply.raw.end();
    }
  };
  scan.on('event', onEvent);
  reply.raw.on('close', () => {
    scan.off('event', onEvent);
    // The client that started the scan went away before its end: nobody will read the result, so stop the work.
    if (owner && !scan.finished) scan.cancel('disconnect');
  });
}

/** Registers the scan routes. */
export function scanRoutes(app: FastifyInstance, ctx: RouteContext): void {
  // The schema applies to JSON bodies; a multipart upload's form fields are checked by receiveUpload.
  const jsonBody = { body: { content: { 'application/json': { schema: SCAN_BODY_SCHEMA } } } };
  app.post('/api/v1/scan', { schema: jsonBody }, async (req, reply) => {
    let cleanup: string | undefined;
    try {
      let scan: Scan;
      if (req.isMultipart()) {
        const up = await receiveUpload(req, ctx);
        cleanup = up.dir;
        const overrides = selectionOverrides(up.rules, up.categories);
        const config = up.config ? resolveUnder(up.config, up.dir, [up.dir]) : undefined;
        scan = ctx.runner.start(
          { source: 'upload', path: up.dir, ...(config ? { config } : {}), ...(overrides ? { overrides } : {}) },
          up.format,
        );
      } else {
        if (!req.headers['content-type']?.startsWith('application/json'))
          throw new BadRequest('send a JSON body (content-type: application/json) or a multipart upload');
        const body = req.body as ScanBody;
        scan = ctx.runner.start(targetOf(body, ctx.roots), body.format ?? 'json');
      }
      // A client that hangs up before the answer cancels the scan, as the stream's client does.
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) scan.cancel('disconnect');
      });
      const answer = await scan.result;
      return reply.code(200).header('content-type', answer.contentType).header('x-scan-id', scan.id).send(answer.body);
    } catch (e) {
      return sendFailure(reply, e);
    } finally {
      if (cleanup) rmSync(cleanup, { recursive: true, force: true });
    }
  });

  app.post('/api/v1/scan/stream', { schema: { body: SCAN_BODY_SCHEMA } }, async (req, reply) => {
    const body = req.body as ScanBody;
    let target: ScanTarget;
    try {
      if (!req.headers['content-type']?.startsWith('application/json'))
        throw new BadRequest('send a JSON body (content-type: application/json)');
      target = targetOf(body, ctx.roots);
    } catch (e) {
      return sendFailure(reply, e);
    }
    stream(reply, ctx.runner.start(target, body.format ?? 'json'), true);
  });

  app.get<{ Params: { id: string } }>('/api/v1/scans/:id/events', async (req, reply) => {
    const scan = ctx.runner.get(req.params.id);
    if (!scan) return reply.code(404).send({ error: 'no such scan' });
    stream(reply, scan, false);
  });

  app.delete<{ Params: { id: string } }>('/api/v1/scans/:id', async (req, reply) => {
    const scan = ctx.runner.get(req.params.id);
    if (!scan) return reply.code(404).send({ error: 'no such scan' });
    if (scan.finished) return reply.code(409).send({ error: 'the scan has already finished', id: scan.id });
    scan.cancel('cancel');
    return reply.code(202).send({ id: scan.id, status: 'cancelling' });
  });
}
