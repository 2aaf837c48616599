// Who a connection is, as Kafka names it: `User:<name>` from SASL or a client certificate,
// `User:ANONYMOUS` otherwise. The authorizer (a later step) matches ACLs against this.

export interface KafkaPrincipal {
  readonly type: 'User';
  readonly name: string;
}

export const ANONYMOUS: KafkaPrincipal = { type: 'User', name: 'ANONYMOUS' };

export function userPrincipal(name: string): KafkaPrincipal {
  return { type: 'User', name };
}

/** `User:alice`, the form ACLs and `super.users` use. */
export function principalToString(p: KafkaPrincipal): string {
  return `${p.type}:${p.name}`;
}

/** Parses `User:alice`; throws on any other principal type. */
export function parsePrincipal(s: string): KafkaPrincipal {
  const i = s.indexOf(':');
  if (i <= 0 || s.slice(0, i) !== 'User' || i === s.length - 1) {
    throw new Error(`principal '${s}' must look like User:<name>`);
  }
  return userPrincipal(s.slice(i + 1));
}
