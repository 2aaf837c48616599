// PEM armour for DER bytes (certificates, keys, CSRs), and the byte conversions WebCrypto and
// pkijs want (a fresh ArrayBuffer, not a view into Node's shared Buffer pool).

export function pemEncode(label: string, der: Uint8Array | ArrayBuffer): string {
  const b64 = Buffer.from(der instanceof ArrayBuffer ? new Uint8Array(der) : der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/** Every block with one of `labels`, in file order, as DER. */
export function pemDecodeAll(text: string, labels: readonly string[]): { label: string; der: Uint8Array }[] {
  const out: { label: string; der: Uint8Array }[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const label = m[1] as string;
    if (labels.includes(label)) out.push({ label, der: new Uint8Array(Buffer.from((m[2] as string).replace(/\s+/g, ''), 'base64')) });
  }
  return out;
}

/** A copy of the bytes in an ArrayBuffer of their own. */
export function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

export const hex = (bytes: Uint8Array | ArrayBuffer): string =>
  Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).toString('hex');
