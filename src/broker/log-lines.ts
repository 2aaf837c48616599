// One human-readable line per broker event worth an operator's attention (TLS handshake
// failures, refused and authenticated connections), for `brook broker` to print from the
// `brook:broker` diagnostics channel; the core itself writes nothing.

export function brokerLogLine(event: unknown): string | null {
  const e = event as Record<string, unknown>;
  switch (e?.type) {
    case 'tls-handshake-failed':
      return `TLS handshake failed on listener ${e.listener} from ${e.host}: ${e.reason}`;
    case 'connection-refused':
      return `connection ${e.id} from ${e.host} on listener ${e.listener} refused: ${e.reason}`;
    case 'authenticated':
      return `connection ${e.id} from ${e.host} on listener ${e.listener} authenticated as ${e.principal} (${e.mechanism})`;
    case 'handler-error':
      return `${e.api} v${e.version} failed: ${(e.error as Error)?.stack ?? String(e.error)}`;
    default:
      return null;
  }
}
