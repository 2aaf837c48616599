// Imports a saved-objects NDJSON file into OpenSearch Dashboards: POST /api/saved_objects/_import
// with overwrite, the file as a multipart/form-data part named `file` (its name must end in
// .ndjson), and the osd-xsrf header Dashboards demands on every non-GET API call.
import { randomBytes } from 'node:crypto';
import { describeErrorBody, OpenSearchError } from './errors.ts';
import type { OpenSearchHttp } from './http-client.ts';
import { type RetryPolicy, withRetry } from './retry.ts';

export interface ImportResult {
  successCount: number;
}

interface ImportAnswer {
  success?: unknown;
  successCount?: unknown;
  errors?: Array<{ id?: string; type?: string; title?: string; error?: { type?: string; message?: string } }>;
}

export function multipartFile(fileName: string, content: string): { body: Buffer; contentType: string } {
  const boundary = `----brook-${randomBytes(12).toString('hex')}`;
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="file"; filename="${fileName.replace(/["\r\n]/g, '_')}"\r\n` +
    'Content-Type: application/ndjson\r\n\r\n';
  return {
    body: Buffer.concat([Buffer.from(head), Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

export async function importSavedObjects(
  dashboards: OpenSearchHttp,
  ndjson: string,
  policy: RetryPolicy,
  fileName = 'clickstream-dashboard.ndjson',
): Promise<ImportResult> {
  const { body, contentType } = multipartFile(fileName.endsWith('.ndjson') ? fileName : `${fileName}.ndjson`, ndjson);
  const res = await withRetry('importing the saved objects', policy, () =>
    dashboards.request('POST', '/api/saved_objects/_import', {
      query: { overwrite: 'true' },
      body,
      contentType,
      headers: { 'osd-xsrf': 'true' },
    }),
  );
  const where = `OpenSearch Dashboards at ${dashboards.display}`;
  if (res.status === 404)
    throw new OpenSearchError(
      'IMPORT',
      `${where} has no /api/saved_objects/_import (HTTP 404): is --dashboards-url the Dashboards address? On Amazon OpenSearch Service it ends in /_dashboards.`,
    );
  if (res.status === 401 || res.status === 403)
    throw new OpenSearchError(
      'AUTH',
      `${where} refused the import (HTTP ${res.status}: ${describeErrorBody(res.text)}); check the credentials (${dashboards.authDescription}).`,
    );
  if (res.status < 200 || res.status >= 300)
    throw new OpenSearchError('IMPORT', `${where} refused the import: HTTP ${res.status}, ${describeErrorBody(res.text)}`);
  let answer: ImportAnswer;
  try {
    answer = JSON.parse(res.text) as ImportAnswer;
  } catch {
    throw new OpenSearchError('PROTOCOL', `${where} answered the import with something other than JSON: ${res.text.slice(0, 200)}`);
  }
  if (answer.success !== true) {
    const errors = (answer.errors ?? []).map(
      (e) => `${e.type}/${e.id} (${e.title ?? '?'}): ${e.error?.type ?? 'error'}${e.error?.message ? ` ${e.error.message}` : ''}`,
    );
    throw new OpenSearchError(
      'IMPORT',
      `${where} imported ${Number(answer.successCount ?? 0)} objects and refused ${errors.length}: ${errors.join('; ')}`,
    );
  }
  return { successCount: Number(answer.successCount ?? 0) };
}
