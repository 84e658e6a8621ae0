#!/usr/bin/env node
/*
 * openapi-typescript 7's client types for an OpenAPI document:
 *   node scripts/openapi-client-types.js openapi/openapi.json   # prints openapi/connecto-api.d.ts
 * Plain JavaScript, so it runs without ts-node (openapi-typescript loads ES modules, which Node 20.19+
 * requires natively but jest's module loader cannot: the tests run this file as a process).
 */
const { readFileSync } = require('node:fs');

/** The types for a document's text, as committed. */
async function generateClientTypes(openApiText) {
  const { default: openapiTS, astToString } = require('openapi-typescript');
  const ast = await openapiTS(JSON.parse(openApiText), { alphabetize: false, exportType: false });
  return astToString(ast);
}

module.exports = { generateClientTypes };

if (require.main === module) {
  generateClientTypes(readFileSync(process.argv[2], 'utf8')).then(
    (text) => process.stdout.write(text),
    (err) => {
      console.error('openapi-client-types: failed:', err);
      process.exit(1);
    },
  );
}
