// Brook's error base: every part raises a BrookError with a stable code and a message that says
// what to do. Parts define their own codes; the protocol layer maps to Kafka's numeric codes.

export class BrookError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrookError';
    this.code = code;
  }
}

/** Malformed bytes on the wire: a truncated body, a lying length, an impossible value. */
export class ProtocolError extends BrookError {
  constructor(message: string) {
    super('PROTOCOL', message);
    this.name = 'ProtocolError';
  }
}
