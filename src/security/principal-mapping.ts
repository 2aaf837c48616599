// Kafka's `ssl.principal.mapping.rules` (KIP-371): RULE:pattern/replacement/[LU] entries tried in
// order against the certificate's subject DN (RFC 2253 form); DEFAULT keeps the DN as it is.
import { BrookError } from '../common/errors.ts';

export type PrincipalMappingRule =
  | { readonly kind: 'default' }
  | { readonly kind: 'rule'; readonly pattern: RegExp; readonly replacement: string; readonly caseFold: '' | 'L' | 'U' };

// The same grammar Kafka's SslPrincipalMapper parses: rules separated by commas (and spaces), a
// rule's pattern and replacement may contain escaped slashes and commas.
const RULE = /\s*((DEFAULT)|RULE:((\\.|[^\\/])*)\/((\\.|[^\\/])*)\/([LU]?).*?|(.*?))\s*([,\n]\s*|$)/y;

export function parsePrincipalMappingRules(text: string): PrincipalMappingRule[] {
  const rules: PrincipalMappingRule[] = [];
  const src = text.trim();
  if (src === '') return [{ kind: 'default' }];
  RULE.lastIndex = 0;
  while (RULE.lastIndex < src.length) {
    const start = RULE.lastIndex;
    const m = RULE.exec(src);
    if (!m || m[0] === '') throw invalid(src, start);
    if (m[8] !== undefined) throw invalid(src, start);
    if (m[2]) rules.push({ kind: 'default' });
    else {
      let pattern: RegExp;
      try {
        pattern = new RegExp(m[3] as string);
      } catch (err) {
        throw new BrookError('PRINCIPAL_MAPPING', `ssl.principal.mapping.rules: bad pattern '${m[3]}': ${(err as Error).message}`);
      }
      rules.push({ kind: 'rule', pattern, replacement: m[5] as string, caseFold: (m[7] ?? '') as '' | 'L' | 'U' });
    }
  }
  return rules;
}

function invalid(src: string, at: number): BrookError {
  return new BrookError(
    'PRINCIPAL_MAPPING',
    `ssl.principal.mapping.rules: cannot parse '${src.slice(at)}'; use RULE:pattern/replacement/[L|U] or DEFAULT, separated by commas`,
  );
}

/**
 * The principal name for a DN: the first rule whose pattern matches the whole DN wins; with no
 * match Kafka refuses the connection, which the caller does on a thrown error.
 */
export function mapPrincipal(rules: readonly PrincipalMappingRule[], dn: string): string {
  for (const r of rules) {
    if (r.kind === 'default') return dn;
    const whole = new RegExp(`^(?:${r.pattern.source})$`, r.pattern.flags);
    if (!whole.test(dn)) continue;
    // Java's Matcher.replaceAll: $1 back-references, on every match of the pattern in the DN.
    let out = dn.replace(new RegExp(r.pattern.source, 'g'), javaReplacement(r.replacement));
    if (r.caseFold === 'L') out = out.toLowerCase();
    else if (r.caseFold === 'U') out = out.toUpperCase();
    return out;
  }
  throw new BrookError('PRINCIPAL_MAPPING', `no ssl.principal.mapping.rules rule matches the certificate subject '${dn}'`);
}

/** Java replacement syntax ($1, \$ for a literal dollar, \\ for a backslash) in JavaScript's. */
function javaReplacement(r: string): string {
  let out = '';
  for (let i = 0; i < r.length; i++) {
    const c = r[i] as string;
    if (c === '\\' && i + 1 < r.length) {
      const next = r[++i] as string;
      out += next === '$' ? '$$' : next;
    } else out += c;
  }
  return out;
}
