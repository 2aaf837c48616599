// Distinguished names and subject alternative names as people type them: `CN=alice,O=Brook`
// (RFC 4514, most specific first, as Kafka prints principals) or OpenSSL's `/O=Brook/CN=alice`;
// `DNS:host`, `IP:10.0.0.1`, `email:a@b`, `URI:...` (a bare host or address is guessed).
import { isIP } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { certsError } from './errors.ts';

const ATTRIBUTES: [short: string, oid: string][] = [
  ['CN', '2.5.4.3'],
  ['SN', '2.5.4.4'],
  ['serialNumber', '2.5.4.5'],
  ['C', '2.5.4.6'],
  ['L', '2.5.4.7'],
  ['ST', '2.5.4.8'],
  ['street', '2.5.4.9'],
  ['O', '2.5.4.10'],
  ['OU', '2.5.4.11'],
  ['title', '2.5.4.12'],
  ['GN', '2.5.4.42'],
  ['DC', '0.9.2342.19200300.100.1.25'],
  ['UID', '0.9.2342.19200300.100.1.1'],
  ['emailAddress', '1.2.840.113549.1.9.1'],
];
const OID_BY_NAME = new Map(ATTRIBUTES.map(([n, o]) => [n.toLowerCase(), o]));
OID_BY_NAME.set('e', '1.2.840.113549.1.9.1');
OID_BY_NAME.set('s', '2.5.4.8');
const NAME_BY_OID = new Map(ATTRIBUTES.map(([n, o]) => [o, n]));
const IA5_TYPES = new Set(['0.9.2342.19200300.100.1.25', '1.2.840.113549.1.9.1']);

/** Splits on `sep` where it is not escaped with a backslash. */
function splitUnescaped(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + (s[++i] as string);
    } else if (c === sep) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

/** RFC 4514 escapes: a backslash before a special character, or before two hex digits (a UTF-8 byte). */
function unescapeDnValue(v: string): string {
  const chars = Array.from(v);
  const bytes: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const pair = `${chars[i + 1] ?? ''}${chars[i + 2] ?? ''}`;
    if (c === '\\' && /^[0-9a-fA-F]{2}$/.test(pair)) {
      bytes.push(Number.parseInt(pair, 16));
      i += 2;
    } else if (c === '\\' && i + 1 < chars.length) {
      bytes.push(...Buffer.from(chars[++i] as string));
    } else bytes.push(...Buffer.from(c));
  }
  return Buffer.from(bytes).toString('utf8');
}

function attribute(pair: string, whole: string): pkijs.AttributeTypeAndValue {
  const at = pair.indexOf('=');
  const name = pair.slice(0, at).trim();
  const value = unescapeDnValue(pair.slice(at + 1).trim());
  if (at <= 0 || value === '')
    throw certsError(`'${whole}' is not a distinguished name: '${pair}' must be TYPE=value, e.g. CN=alice,O=Example`);
  const oid = /^\d+(\.\d+)+$/.test(name) ? name : OID_BY_NAME.get(name.toLowerCase());
  if (!oid) throw certsError(`'${whole}': unknown attribute '${name}'; use ${ATTRIBUTES.map(([n]) => n).join(', ')} or a dotted OID`);
  if (oid === '2.5.4.6' && !/^[A-Za-z]{2}$/.test(value))
    throw certsError(`'${whole}': C (country) must be a two-letter code, got '${value}'`);
  const typed =
    oid === '2.5.4.6'
      ? new asn1js.PrintableString({ value })
      : IA5_TYPES.has(oid)
        ? new asn1js.IA5String({ value })
        : new asn1js.Utf8String({ value });
  return new pkijs.AttributeTypeAndValue({ type: oid, value: typed });
}

/** `CN=alice,OU=eng,O=Example` (RFC 4514) or `/O=Example/OU=eng/CN=alice` (OpenSSL) as a Name. */
export function parseDn(text: string): pkijs.RelativeDistinguishedNames {
  const s = text.trim();
  if (s === '') throw certsError('the distinguished name is empty; give one like CN=alice,O=Example');
  // RFC 4514 lists the most specific attribute first; the certificate stores it last.
  const pairs = s.startsWith('/') ? splitUnescaped(s.slice(1), '/') : splitUnescaped(s, ',').reverse();
  return nameOf(
    pairs.map((p) => {
      if (splitUnescaped(p, '+').length > 1)
        throw certsError(`'${text}': multi-valued names (with '+') are not supported; escape a literal plus as \\+`);
      return attribute(p, text);
    }),
  );
}

/** One attribute per RDN (pkijs alone would put them all in one multi-valued RDN). */
function nameOf(attributes: pkijs.AttributeTypeAndValue[]): pkijs.RelativeDistinguishedNames {
  const seq = new asn1js.Sequence({ value: attributes.map((a) => new asn1js.Set({ value: [a.toSchema()] })) });
  return pkijs.RelativeDistinguishedNames.fromBER(seq.toBER(false));
}

export function cnName(cn: string): pkijs.RelativeDistinguishedNames {
  if (cn.trim() === '') throw certsError('--cn is empty: give the certificate a name, e.g. --cn alice');
  return nameOf([new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn.trim() }) })]);
}

function escapeValue(v: string): string {
  return v
    .replace(/[\\,+"<>;=]/g, '\\$&')
    .replace(/^[ #]/, '\\$&')
    .replace(/ $/, '\\ ');
}

/** The name the way Kafka prints principals and Brook's ACLs match them: `CN=alice,OU=eng,O=Example`. */
export function formatDn(names: pkijs.RelativeDistinguishedNames): string {
  return names.typesAndValues
    .map((tv) => `${NAME_BY_OID.get(tv.type) ?? tv.type}=${escapeValue(String(tv.value.valueBlock.value ?? ''))}`)
    .reverse()
    .join(',');
}

/** The common name (the last CN), or null. */
export function commonName(names: pkijs.RelativeDistinguishedNames): string | null {
  const cn = names.typesAndValues.filter((tv) => tv.type === '2.5.4.3').pop();
  return cn ? String(cn.value.valueBlock.value) : null;
}

// --- subject alternative names ---------------------------------------------------------------

const GN_DNS = 2;
const GN_EMAIL = 1;
const GN_URI = 6;
const GN_IP = 7;

/** `DNS:x`, `IP:y`, `email:z`, `URI:u`, or a bare host name or address; returns the canonical text form. */
export function normalizeSan(raw: string): string {
  const s = raw.trim();
  const m = /^(DNS|IP|email|URI):(.+)$/i.exec(s);
  const kind = m ? (m[1] as string).toUpperCase() : isIP(s.replace(/^\[(.*)\]$/, '$1')) ? 'IP' : 'DNS';
  const value = (m ? (m[2] as string) : s).trim();
  if (kind === 'IP') {
    const ip = value.replace(/^\[(.*)\]$/, '$1');
    if (!isIP(ip)) throw certsError(`SAN '${raw}': '${ip}' is not an IPv4 or IPv6 address`);
    return `IP:${canonicalIp(ip)}`;
  }
  if (kind === 'DNS') {
    if (!/^(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/.test(value))
      throw certsError(`SAN '${raw}': '${value}' is not a host name; write DNS:name, IP:address, email:addr or URI:uri`);
    return `DNS:${value.toLowerCase()}`;
  }
  if (kind === 'EMAIL') {
    if (!/^[^@\s]+@[^@\s]+$/.test(value)) throw certsError(`SAN '${raw}': '${value}' is not an e-mail address`);
    return `email:${value}`;
  }
  if (!URL.canParse(value)) throw certsError(`SAN '${raw}': '${value}' is not a URI`);
  return `URI:${value}`;
}

/** SANs from repeated or comma-separated flags, normalized, without duplicates, in order. */
export function parseSans(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const item of list.flatMap((l) => l.split(',')).filter((x) => x.trim() !== '')) {
    const san = normalizeSan(item);
    if (!out.includes(san)) out.push(san);
  }
  return out;
}

function canonicalIp(ip: string): string {
  return isIP(ip) === 4 ? ip.split('.').map(Number).join('.') : new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}

function ipBytes(ip: string): Uint8Array {
  if (isIP(ip) === 4) return new Uint8Array(ip.split('.').map(Number));
  // The URL parser expands nothing, so expand `::` by hand from its canonical form.
  const [head, tail] = canonicalIp(ip).split('::') as [string, string | undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  return canonicalIp(groups.join(':'));
}

export function generalNames(sans: readonly string[]): pkijs.GeneralName[] {
  return sans.map((san) => {
    const at = san.indexOf(':');
    const kind = san.slice(0, at);
    const value = san.slice(at + 1);
    if (kind === 'IP') return new pkijs.GeneralName({ type: GN_IP, value: new asn1js.OctetString({ valueHex: ipBytes(value) }) });
    return new pkijs.GeneralName({ type: kind === 'DNS' ? GN_DNS : kind === 'email' ? GN_EMAIL : GN_URI, value });
  });
}

/** GeneralNames back to `DNS:x` form; kinds Brook does not write are shown by their tag. */
export function sanStrings(names: readonly pkijs.GeneralName[]): string[] {
  return names.map((gn) => {
    if (gn.type === GN_DNS) return `DNS:${gn.value}`;
    if (gn.type === GN_EMAIL) return `email:${gn.value}`;
    if (gn.type === GN_URI) return `URI:${gn.value}`;
    if (gn.type === GN_IP) return `IP:${ipText(new Uint8Array((gn.value as asn1js.OctetString).valueBlock.valueHexView))}`;
    return `unsupported:${gn.type}`;
  });
}
