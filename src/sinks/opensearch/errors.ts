// The OpenSearch sink's errors: one class with stable codes, a `retriable` flag that the retry
// loops read, and messages that name the index, the document and what to do about it.
import { BrookError } from '../../common/errors.ts';

export type OpenSearchErrorCode =
  /** Network failure or timeout: worth retrying. */
  | 'UNREACHABLE'
  /** The server's certificate is not trusted: --ca fixes it, waiting does not. */
  | 'TLS'
  /** 401/403: wrong credentials or missing permissions. */
  | 'AUTH'
  /** Any other unexpected HTTP status. */
  | 'HTTP'
  /** OpenSearch refused documents for good (mapping errors and other 4xx items). */
  | 'BULK_ITEM'
  /** 429s or 5xx outlasted the retries. */
  | 'BULK_RETRIES'
  /** An answer that does not have the documented shape. */
  | 'PROTOCOL'
  /** An index could not be created or checked. */
  | 'INDEX'
  /** An existing index maps a field differently from what Brook writes. */
  | 'MAPPING_CONFLICT'
  /** OpenSearch Dashboards refused the saved objects. */
  | 'IMPORT'
  /** No AWS credentials in the default chain. */
  | 'AWS_CREDENTIALS'
  /** Bad options (index names, CA file). */
  | 'CONFIG';

export class OpenSearchError extends BrookError {
  readonly retriable: boolean;
  constructor(code: OpenSearchErrorCode, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OpenSearchError';
    this.retriable = options.retriable ?? false;
  }
}

/** `type: reason` of an OpenSearch error body (`{"error":{"type","reason"},"status"}`), else its text. */
export function describeErrorBody(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const e = body.error;
    if (e !== null && typeof e === 'object') {
      const { type, reason } = e as { type?: unknown; reason?: unknown };
      if (typeof type === 'string') return typeof reason === 'string' ? `${type}: ${reason}` : type;
    }
    // Dashboards and proxies answer {"statusCode","error","message"} or {"message"}.
    if (typeof body.message === 'string') return typeof e === 'string' ? `${e}: ${body.message}` : body.message;
    if (typeof e === 'string') return e;
  } catch {
    // not JSON: a proxy's page
  }
  const t = text.trim().replace(/\s+/g, ' ');
  return t === '' ? '(empty body)' : t.slice(0, 300);
}

/** The `error.type` of an OpenSearch error body, if it has one. */
export function errorType(text: string): string | undefined {
  try {
    const e = (JSON.parse(text) as { error?: { type?: unknown } }).error;
    return typeof e?.type === 'string' ? e.type : undefined;
  } catch {
    return undefined;
  }
}
