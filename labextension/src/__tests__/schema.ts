/**
 * Test helpers: the protocol's JSON Schema (reactive_kernel/protocol/schema.json) and an ajv
 * validator for any of its definitions.
 */
import * as fs from 'fs';
import * as path from 'path';

import Ajv2020 from 'ajv/dist/2020';

export const SCHEMA_PATH = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'reactive_kernel',
  'protocol',
  'schema.json'
);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const schema: any = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8'));

const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema(schema, 'protocol');

/** Validate `data` against `#/$defs/<name>`; returns ajv's error text, or null when valid. */
export function check(name: string, data: unknown): string | null {
  const validate = ajv.getSchema(`protocol#/$defs/${name}`);
  if (validate === undefined) {
    throw new Error(`no $defs/${name} in schema.json`);
  }
  return validate(data) ? null : ajv.errorsText(validate.errors);
}

/** The `$defs` a union (`Request`, `KernelMessage`) lists. */
export function members(union: string): string[] {
  return schema.$defs[union].oneOf.map((ref: { $ref: string }) => ref.$ref.split('/').pop());
}
