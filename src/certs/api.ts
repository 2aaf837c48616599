// The certificate authority as a library, for `brook up --secure` and other callers that do not
// go through the CLI: create or load the CA, issue client and server certificates, write them
// (PEM files, PKCS#12 keystores, the index), list them.
export {
  type Ca,
  caExists,
  certsDirOf,
  DEFAULT_CA_VALIDITY_DAYS,
  ensureCa,
  type InitCaOptions,
  initCa,
  loadCa,
} from './ca.ts';
export { DEFAULT_VALIDITY_DAYS, type IssuedCertificate, type IssueOptions, issueCertificate, serverSans } from './issue.ts';
export { DEFAULT_KEY_TYPE, KEY_TYPES, type KeyType } from './key-types.ts';
export { type CertListing, type CertStatus, EXPIRY_WARNING_DAYS, type ListedCertificate, listCertificates } from './list.ts';
export { buildPkcs12, type Pkcs12Options, writePkcs12 } from './pkcs12.ts';
export { type SavedFiles, type SaveOptions, saveIssued } from './save.ts';
