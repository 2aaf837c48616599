// A refused SASL exchange: the message goes back to the client in SaslAuthenticate (error 58,
// SASL_AUTHENTICATION_FAILED), then the connection is closed.
export class SaslAuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaslAuthenticationError';
  }
}

/** Kafka's wording, the same whether the user is unknown or the password wrong. */
export const invalidCredentials = (mechanism: string) =>
  new SaslAuthenticationError(`Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`);
