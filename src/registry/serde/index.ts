// The serde library's public surface: encoders and decoders for schema-registry framed Avro, the
// schema sources they use (Confluent REST, AWS Glue, memory), the wire framings and error codes.
export { type AvroType, type SchemaInput, schemaText } from './avro-types.ts';
export { ConfluentErrorCode, ConfluentRestClient, type ConfluentRestClientOptions } from './confluent-rest-client.ts';
export { AvroDecoder, type DecoderOptions } from './decoder.ts';
export { AvroEncoder, DEFAULT_GLUE_REGISTRY, type EncoderOptions } from './encoder.ts';
export { SerdeError, SerdeErrorCode, type SerdeErrorDetails } from './errors.ts';
export {
  type FrameHeader,
  Framing,
  frameConfluent,
  frameGlue,
  GlueCompression,
  hexToUuid,
  readFrameHeader,
  uuidToBytes,
} from './framing.ts';
export { GlueCompatibility, GlueRegistryClient, type GlueRegistryClientOptions } from './glue-client.ts';
export { InMemorySchemaSource } from './in-memory-source.ts';
export { RoutingSchemaSource } from './routing-source.ts';
export type { GlueSchemaName, SchemaSource } from './schema-source.ts';
export { SubjectNameStrategy, subjectName } from './subject-name.ts';
