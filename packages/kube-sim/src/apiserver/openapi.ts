/**
 * A minimal OpenAPI v2 document. kubectl fetches /openapi/v2 as protobuf before client-side validation and
 * apply; a document without definitions makes it skip schema validation of kinds it cannot look up and
 * compute strategic merge patches from its built-in types, which is what it does against servers with
 * partial schemas. The protobuf is gnostic's openapi_v2.Document with swagger and info set.
 */
import { SERVER_VERSION } from './discovery';

function field(no: number, bytes: Buffer): Buffer {
  if (bytes.length > 127) throw new Error('minimal encoder: field too long');
  return Buffer.concat([Buffer.from([(no << 3) | 2, bytes.length]), bytes]);
}

export const OPENAPI_V2_JSON = {
  swagger: '2.0',
  info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
  paths: {},
  definitions: {},
};

export const OPENAPI_V2_PROTOBUF = Buffer.concat([
  field(1, Buffer.from('2.0')),
  field(
    2,
    Buffer.concat([
      field(1, Buffer.from('Kubernetes')),
      field(2, Buffer.from(SERVER_VERSION.gitVersion)),
    ]),
  ),
]);

// What the real server answers with (Go's mime parser rejects the '@' form clients ask for).
export const PROTOBUF_MIME =
  'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
