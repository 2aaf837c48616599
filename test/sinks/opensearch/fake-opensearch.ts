// A local HTTP(S) server that behaves like OpenSearch and OpenSearch Dashboards as their REST
// documentation describes them: it checks every request Brook sends (index bodies against the
// original mappings, _bulk NDJSON, ids, fields, auth, the _import multipart) and answers in the
// documented shapes, including scripted 429s, 5xx and partial bulk failures.
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

type Json = any;

/** The original pipeline's mappings (../shared/reference/clickstream-seed/opensearch), written out by hand. */
const KW = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
export const ORIGINAL_MAPPINGS: Record<string, Json> = {
  departments_count: {
    properties: {
      departmentName: KW,
      departmentCount: { type: 'integer' },
      windowBeginTime: { type: 'date' },
      windowEndTime: { type: 'date' },
    },
  },
  user_session_counts: {
    properties: {
      userSessionCount: { type: 'integer' },
      userSessionCountWithOrderCheckout: { type: 'integer' },
      percentSessionswithBuy: { type: 'double' },
      windowBeginTime: { type: 'date' },
      windowEndTime: { type: 'date' },
    },
  },
  user_session_details: {
    properties: {
      userId: { type: 'long' },
      eventCount: { type: 'integer' },
      orderCheckoutEventCount: { type: 'integer' },
      deptList: KW,
      eventKey: { type: 'integer' },
      windowBeginTime: { type: 'date' },
      windowEndTime: { type: 'date' },
    },
  },
};

/** The deterministic id of a row (spec section 3): `<windowBeginTime>:<key>`. */
export function expectedId(table: string, doc: Json): string {
  if (table === 'departments_count') return `${doc.windowBeginTime}:${doc.departmentName}`;
  if (table === 'user_session_counts') return `${doc.windowBeginTime}:all`;
  return `${doc.windowBeginTime}:${doc.userId}`;
}

export interface StoredDoc {
  doc: Json;
  /** Successful index operations on this id (1 = indexed once). */
  version: number;
}

export interface StoredIndex {
  mappings: Json;
  docs: Map<string, StoredDoc>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A scripted _bulk answer: a whole-request status, or per-item statuses (undefined = handle normally). */
export type BulkReply = { status: number } | { items: (i: number, index: string, id: string) => number | undefined } | { reset: true };

export interface ImportedFile {
  headers: http.IncomingHttpHeaders;
  query: URLSearchParams;
  fileName: string;
  partContentType: string;
  content: string;
  objects: Json[];
}

export interface FakeOptions {
  tls?: { key: string | Buffer; cert: string | Buffer };
  basic?: { username: string; password: string };
  sigv4?: { accessKeyId: string; secretAccessKey: string; region: string; service: string; sessionToken?: string };
  /** Where Dashboards lives, e.g. '/_dashboards'. */
  dashboardsBasePath?: string;
}

export class FakeOpenSearch {
  readonly indices = new Map<string, StoredIndex>();
  /** Everything Brook did that OpenSearch's documentation says it must not. Tests assert it stays empty. */
  readonly violations: string[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Action lines of each _bulk request, in order. */
  readonly bulks: Array<Array<{ index: string; id: string }>> = [];
  readonly bulkPlan: BulkReply[] = [];
  readonly imports: ImportedFile[] = [];
  readonly savedObjects = new Map<string, Json>();
  /** While set, _bulk answers wait for it (to watch flush() wait). */
  bulkGate: Promise<void> | undefined;
  url = '';
  readonly #server: http.Server;
  readonly #opts: FakeOptions;
  readonly #waiters: Array<() => void> = [];
  #seqNo = 0;

  private constructor(opts: FakeOptions) {
    this.#opts = opts;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.#handle(req, Buffer.concat(chunks), res).finally(() => {
          for (const w of this.#waiters.splice(0)) w();
        });
      });
    };
    this.#server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
  }

  static async start(opts: FakeOptions = {}): Promise<FakeOpenSearch> {
    const fake = new FakeOpenSearch(opts);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    const { port } = fake.#server.address() as AddressInfo;
    fake.url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return fake;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Resolves once `predicate` holds, checked after every answered request (no polling, no sleeps). */
  until(predicate: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (predicate() ? resolve() : this.#waiters.push(check));
      check();
    });
  }

  doc(index: string, id: string): StoredDoc | undefined {
    return this.indices.get(index)?.docs.get(id);
  }

  /** Creates an index as someone else might have (no validation). */
  preCreate(index: string, mappings: Json): void {
    this.indices.set(index, { mappings, docs: new Map() });
  }

  #violation(what: string): void {
    this.violations.push(what);
  }

  async #handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const rec: RecordedRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body };
    this.requests.push(rec);
    const send = (status: number, json: Json, headers: Record<string, string> = {}) => {
      const text = typeof json === 'string' ? json : JSON.stringify(json);
      res.writeHead(status, { 'content-type': typeof json === 'string' ? 'text/plain' : 'application/json; charset=UTF-8', ...headers });
      res.end(text);
    };
    if (req.headers['transfer-encoding'] === 'chunked')
      this.#violation(`${rec.method} ${rec.path}: chunked body (OpenSearch wants a Content-Length)`);
    const denied = this.#authenticate(rec);
    if (denied) return send(denied.status, denied.body, denied.headers);

    const dash = this.#opts.dashboardsBasePath ?? '';
    if (rec.path === `${dash}/api/saved_objects/_import`) return this.#import(rec, send);
    if (rec.method === 'POST' && rec.path === '/_bulk') return this.#bulk(rec, send, res);
    const m = /^\/([^/_][^/]*)(\/_mapping)?$/.exec(rec.path);
    if (m) {
      const index = decodeURIComponent(m[1]!);
      if (m[2] === undefined && rec.method === 'PUT') return this.#createIndex(index, rec, send);
      if (m[2] !== undefined && rec.method === 'GET') {
        const idx = this.indices.get(index);
        if (!idx) return send(404, osError(404, 'index_not_found_exception', `no such index [${index}]`, index));
        return send(200, { [index]: { mappings: idx.mappings } });
      }
      if (m[2] !== undefined && rec.method === 'PUT') {
        const idx = this.indices.get(index);
        if (!idx) return send(404, osError(404, 'index_not_found_exception', `no such index [${index}]`, index));
        const props = JSON.parse(body.toString()).properties as Json;
        for (const [f, def] of Object.entries(props)) {
          if (idx.mappings.properties?.[f] && JSON.stringify(idx.mappings.properties[f]) !== JSON.stringify(def))
            return send(400, osError(400, 'illegal_argument_exception', `mapper [${f}] cannot be changed`));
        }
        idx.mappings.properties = { ...idx.mappings.properties, ...props };
        return send(200, { acknowledged: true });
      }
    }
    this.#violation(`unexpected request ${rec.method} ${rec.path}`);
    return send(405, osError(405, 'unsupported_operation', `no handler for ${rec.method} ${rec.path}`));
  }

  #authenticate(rec: RecordedRequest): { status: number; body: Json; headers?: Record<string, string> } | undefined {
    const { basic, sigv4 } = this.#opts;
    if (basic) {
      const want = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
      // The security plugin answers a bare 401 with a challenge.
      if (rec.headers.authorization !== want)
        return { status: 401, body: 'Unauthorized', headers: { 'www-authenticate': 'Basic realm="OpenSearch Security"' } };
    }
    if (sigv4) {
      const problem = verifySigV4(rec, sigv4);
      if (problem) return { status: 403, body: { message: problem } };
    }
    return undefined;
  }

  #createIndex(index: string, rec: RecordedRequest, send: (s: number, j: Json) => void) {
    if (rec.headers['content-type'] !== 'application/json') this.#violation(`PUT /${index}: content-type ${rec.headers['content-type']}`);
    if (this.indices.has(index))
      return send(400, osError(400, 'resource_already_exists_exception', `index [${index}/abc123] already exists`, index));
    let body: Json;
    try {
      body = JSON.parse(rec.body.toString());
    } catch {
      this.#violation(`PUT /${index}: body is not JSON`);
      return send(400, osError(400, 'parse_exception', 'request body is required'));
    }
    const table = Object.keys(ORIGINAL_MAPPINGS).find((t) => index.endsWith(t));
    if (!table) this.#violation(`PUT /${index}: not one of the three indexes`);
    else if (JSON.stringify(Object.keys(body)) !== '["mappings"]' || !sameJson(body.mappings, ORIGINAL_MAPPINGS[table]))
      this.#violation(`PUT /${index}: body ${JSON.stringify(body)} is not the original mapping of ${table}`);
    this.indices.set(index, { mappings: body.mappings, docs: new Map() });
    send(200, { acknowledged: true, shards_acknowledged: true, index });
  }

  async #bulk(rec: RecordedRequest, send: (s: number, j: Json) => void, res: http.ServerResponse): Promise<void> {
    const ct = String(rec.headers['content-type'] ?? '');
    if (!ct.startsWith('application/x-ndjson')) this.#violation(`_bulk content-type '${ct}', documented: application/x-ndjson`);
    const text = rec.body.toString('utf8');
    if (!text.endsWith('\n')) this.#violation('_bulk body does not end with a newline');
    const lines = text.replace(/\n$/, '').split('\n');
    if (lines.length % 2 !== 0) this.#violation(`_bulk body has ${lines.length} lines: actions and documents must alternate`);
    const actions: Array<{ index: string; id: string; doc: Json }> = [];
    for (let i = 0; i + 1 < lines.length; i += 2) {
      let action: Json;
      let doc: Json;
      try {
        action = JSON.parse(lines[i]!);
        doc = JSON.parse(lines[i + 1]!);
      } catch {
        this.#violation(`_bulk line ${i + 1} or ${i + 2} is not JSON`);
        return send(400, osError(400, 'illegal_argument_exception', 'Malformed action/metadata line'));
      }
      const keys = Object.keys(action);
      const meta = action.index;
      if (keys.length !== 1 || meta === undefined) this.#violation(`_bulk line ${i + 1}: not an index action: ${lines[i]}`);
      else if (JSON.stringify(Object.keys(meta).sort()) !== '["_id","_index"]')
        this.#violation(`_bulk line ${i + 1}: action metadata ${lines[i]}`);
      actions.push({ index: meta?._index, id: meta?._id, doc });
    }
    this.bulks.push(actions.map((a) => ({ index: a.index, id: a.id })));
    if (this.bulkGate) await this.bulkGate;
    const plan = this.bulkPlan.shift();
    if (plan && 'reset' in plan) {
      // No answer at all: the connection drops, as when a node restarts mid-request.
      res.socket?.destroy();
      return;
    }
    if (plan && 'status' in plan) {
      const type = plan.status === 429 ? 'rejected_execution_exception' : 'unavailable_shards_exception';
      return send(plan.status, osError(plan.status, type, `scripted ${plan.status} for ${actions.length} actions`));
    }
    let errors = false;
    const items = actions.map((a, i) => {
      const forced = plan && 'items' in plan ? plan.items(i, a.index, a.id) : undefined;
      if (forced !== undefined && forced >= 400) {
        errors = true;
        const type = forced === 429 ? 'rejected_execution_exception' : 'unavailable_shards_exception';
        return {
          index: { _index: a.index, _id: a.id, status: forced, error: { type, reason: `scripted ${forced}`, index: a.index, shard: '0' } },
        };
      }
      const refusal = this.#checkDoc(a.index, a.id, a.doc);
      if (refusal) {
        errors = true;
        return {
          index: { _index: a.index, _id: a.id, status: 400, error: { ...refusal, index: a.index, shard: '0', index_uuid: 'abc123' } },
        };
      }
      const idx = this.indices.get(a.index)!;
      const prior = idx.docs.get(a.id);
      idx.docs.set(a.id, { doc: a.doc, version: (prior?.version ?? 0) + 1 });
      return {
        index: {
          _index: a.index,
          _id: a.id,
          _version: (prior?.version ?? 0) + 1,
          result: prior ? 'updated' : 'created',
          _shards: { total: 2, successful: 1, failed: 0 },
          _seq_no: this.#seqNo++,
          _primary_term: 1,
          status: prior ? 200 : 201,
        },
      };
    });
    send(200, { took: 3, errors, items });
  }

  /** What OpenSearch's mapping would refuse, as its mapper_parsing_exception; plus protocol checks. */
  #checkDoc(index: string, id: string, doc: Json): Json | undefined {
    const idx = this.indices.get(index);
    if (!idx) {
      // Real OpenSearch would create it with dynamic mapping: exactly what the sink must avoid.
      this.#violation(`_bulk into ${index}, which was not created first`);
      this.indices.set(index, { mappings: { properties: {} }, docs: new Map() });
      return undefined;
    }
    const table = Object.keys(ORIGINAL_MAPPINGS).find((t) => index.endsWith(t))!;
    const props = ORIGINAL_MAPPINGS[table].properties as Record<string, Json>;
    if (JSON.stringify(Object.keys(doc).sort()) !== JSON.stringify(Object.keys(props).sort()))
      this.#violation(`${index}/${id}: fields ${Object.keys(doc).join(',')} are not exactly the mapped ${Object.keys(props).join(',')}`);
    if (id !== expectedId(table, doc)) this.#violation(`${index}: _id '${id}' is not the deterministic id '${expectedId(table, doc)}'`);
    for (const [field, m] of Object.entries(props)) {
      const v = doc[field];
      if (v === undefined) continue;
      const bad = (cause: string, causeType = 'illegal_argument_exception') => ({
        type: 'mapper_parsing_exception',
        reason: `failed to parse field [${field}] of type [${m.type}] in document with id '${id}'. Preview of field's value: '${v}'`,
        caused_by: { type: causeType, reason: cause },
      });
      if (m.type === 'integer' && (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31))
        return bad(`Numeric value (${v}) out of range of int (-2147483648 - 2147483647)`, 'input_coercion_exception');
      if (m.type === 'long' && !Number.isSafeInteger(v)) return bad(`For input string: "${v}"`);
      if (m.type === 'double' && typeof v !== 'number') return bad(`For input string: "${v}"`);
      if (m.type === 'date' && !(Number.isInteger(v) || (typeof v === 'string' && !Number.isNaN(Date.parse(v)))))
        return bad(`failed to parse date field [${v}] with format [strict_date_optional_time||epoch_millis]`);
      if (m.type === 'text' && !(typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string'))))
        return bad(`expected text or array of text, got ${JSON.stringify(v)}`);
    }
    return undefined;
  }

  #import(rec: RecordedRequest, send: (s: number, j: Json, h?: Record<string, string>) => void) {
    if (rec.method !== 'POST') return send(404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });
    // OpenSearch Dashboards' XSRF guard (src/core/server/http/lifecycle_handlers.ts).
    if (!('osd-xsrf' in rec.headers) && !('osd-version' in rec.headers))
      return send(400, { statusCode: 400, error: 'Bad Request', message: 'Request must contain a osd-xsrf header.' });
    const ct = String(rec.headers['content-type'] ?? '');
    const boundary = /^multipart\/form-data;\s*boundary=(.+)$/.exec(ct)?.[1];
    if (!boundary) return send(415, { statusCode: 415, error: 'Unsupported Media Type', message: 'Unsupported Media Type' });
    const part = parseMultipartFile(rec.body, boundary);
    if (!part) return send(400, { statusCode: 400, error: 'Bad Request', message: '[request body.file]: expected value of type [Stream]' });
    if (!part.fileName.toLowerCase().endsWith('.ndjson'))
      return send(400, { statusCode: 400, error: 'Bad Request', message: `Invalid file extension ${part.fileName}` });
    if (rec.query.get('overwrite') === 'true' && rec.query.get('createNewCopies') === 'true')
      return send(400, { statusCode: 400, error: 'Bad Request', message: 'cannot use [overwrite] with [createNewCopies]' });
    const objects = part.content
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Json)
      .filter((o) => !o.exportedCount);
    this.imports.push({
      headers: rec.headers,
      query: rec.query,
      fileName: part.fileName,
      partContentType: part.contentType,
      content: part.content,
      objects,
    });
    const known = new Set([...this.savedObjects.keys(), ...objects.map((o) => `${o.type}:${o.id}`)]);
    const errors: Json[] = [];
    const successResults: Json[] = [];
    for (const o of objects) {
      const missing = (o.references ?? []).filter((r: Json) => !known.has(`${r.type}:${r.id}`));
      if (missing.length > 0) {
        errors.push({ id: o.id, type: o.type, title: o.attributes?.title, error: { type: 'missing_references', references: missing } });
        continue;
      }
      if (this.savedObjects.has(`${o.type}:${o.id}`) && rec.query.get('overwrite') !== 'true') {
        errors.push({ id: o.id, type: o.type, title: o.attributes?.title, error: { type: 'conflict' } });
        continue;
      }
      this.savedObjects.set(`${o.type}:${o.id}`, o);
      successResults.push({ type: o.type, id: o.id, meta: { title: o.attributes?.title } });
    }
    send(200, { success: errors.length === 0, successCount: successResults.length, successResults, ...(errors.length ? { errors } : {}) });
  }
}

function osError(status: number, type: string, reason: string, index?: string): Json {
  const cause = { type, reason, ...(index ? { index, index_uuid: '_na_' } : {}) };
  return { error: { root_cause: [cause], ...cause }, status };
}

function sameJson(a: Json, b: Json): boolean {
  const canon = (v: Json): Json =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon(v[k])]),
          )
        : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

function parseMultipartFile(body: Buffer, boundary: string): { fileName: string; contentType: string; content: string } | undefined {
  const text = body.toString('utf8');
  for (const part of text.split(`--${boundary}`)) {
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const head = part.slice(0, sep);
    const disp = /content-disposition:\s*form-data;\s*name="([^"]+)"(?:;\s*filename="([^"]*)")?/i.exec(head);
    if (disp?.[1] !== 'file' || disp[2] === undefined) continue;
    const contentType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? '';
    return { fileName: disp[2], contentType, content: part.slice(sep + 4).replace(/\r\n$/, '') };
  }
  return undefined;
}

const sha256hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** An independent SigV4 check, as AWS does it: recompute the signature from what arrived. */
export function verifySigV4(rec: RecordedRequest, cfg: NonNullable<FakeOptions['sigv4']>): string | undefined {
  const auth = String(rec.headers.authorization ?? '');
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return `Authorization header is not SigV4: '${auth}'`;
  const [, keyId, date, region, service, signedHeaders, signature] = m as unknown as string[];
  if (keyId !== cfg.accessKeyId) return `unknown access key ${keyId}`;
  if (region !== cfg.region || service !== cfg.service)
    return `credential scope ${region}/${service}, expected ${cfg.region}/${cfg.service}`;
  const amzDate = String(rec.headers['x-amz-date'] ?? '');
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || !amzDate.startsWith(date!)) return `x-amz-date '${amzDate}' does not match the scope date ${date}`;
  const payloadHash = String(rec.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash !== sha256hex(rec.body)) return 'x-amz-content-sha256 is not the SHA-256 of the body';
  const signed = signedHeaders!.split(';');
  for (const h of ['host', 'x-amz-date', 'x-amz-content-sha256']) if (!signed.includes(h)) return `${h} is not signed`;
  if (cfg.sessionToken !== undefined) {
    if (rec.headers['x-amz-security-token'] !== cfg.sessionToken) return 'x-amz-security-token missing or wrong';
    if (!signed.includes('x-amz-security-token')) return 'x-amz-security-token is not signed';
  }
  const canonicalUri = rec.path
    .split('/')
    .map((s) => rfc3986(s))
    .join('/');
  const canonicalQuery = [...rec.query.entries()]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signed
    .map(
      (h) =>
        `${h}:${String(rec.headers[h] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonicalRequest = [rec.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${cfg.secretAccessKey}`, date!), region!), service!), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  if (expected !== signature) return 'The request signature we calculated does not match the signature you provided.';
  return undefined;
}
