import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The OpenAPI Initiative's JSON Schema of OpenAPI 3.1 documents, as the validator package ships it. */
const OAS_31_SCHEMA = require.resolve('@seriousme/openapi-schema-validator/schemas/v3.1/schema.json');

/**
 * The structural errors of `document` against the OpenAPI 3.1 schema (empty when valid), checked
 * with ajv's draft 2020-12 validator, the dialect OpenAPI 3.1 uses.
 */
export function openApi31Errors(document: unknown): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('media-range', true); // a media type pattern, which OpenAPI 3.1's schema names

  const validate = ajv.compile(JSON.parse(readFileSync(OAS_31_SCHEMA, 'utf8')) as object);
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}
