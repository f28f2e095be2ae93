/**
 * Generates src/schema.ts from the protocol's JSON Schema (the source of truth,
 * reactive_kernel/protocol/schema.json). Run `jlpm generate:types` after changing the schema;
 * src/__tests__/protocol.spec.ts fails when the committed file is out of date (it runs this script
 * with --stdout in a child process: prettier, which formats the output, cannot load inside jest).
 */
const fs = require('fs');
const path = require('path');
const { compile } = require('json-schema-to-typescript');

const SCHEMA = path.resolve(__dirname, '..', '..', 'reactive_kernel', 'protocol', 'schema.json');
const OUTPUT = path.resolve(__dirname, '..', 'src', 'schema.ts');

async function generate() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
  return compile(schema, 'ReactiveMessage', {
    bannerComment:
      '/* eslint-disable */\n/**\n * Generated from reactive_kernel/protocol/schema.json by ' +
      'scripts/generate-types.js (jlpm generate:types). Do not edit by hand.\n */',
    unreachableDefinitions: true,
    format: true,
    style: { singleQuote: true, printWidth: 100 }
  });
}

module.exports = { generate, OUTPUT };

if (require.main === module) {
  generate().then(text => {
    if (process.argv.includes('--stdout')) {
      process.stdout.write(text);
    } else {
      fs.writeFileSync(OUTPUT, text);
      console.log(`wrote ${path.relative(process.cwd(), OUTPUT)}`);
    }
  });
}
