#!/usr/bin/env node
'use strict';
/**
 * The signing keys from the command line: node scripts/keys.js COMMAND (npm run keys COMMAND).
 *
 *   generate   make JWT_PRIVATE_KEY_FILE if it is missing (a new deployment)
 *   rotate     replace the key; the old public key stays in the JWKS until its tokens expire
 *   jwks       print the JSON Web Key Set the service publishes
 */
const { loadSettings } = require('../src/core/config');
const keys = require('../src/core/keys');

const USAGE = 'usage: node scripts/keys.js generate|rotate|jwks';

function main() {
  const [command] = process.argv.slice(2);
  if (!['generate', 'rotate', 'jwks'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const settings = loadSettings();
  try {
    if (command === 'generate') {
      const made = keys.generate(settings);
      console.log(made ? `key ${made} written` : 'a key exists; nothing done');
    } else if (command === 'rotate') {
      const { previous, current } = keys.rotate(settings);
      console.log(
        `signing with key ${current}; key ${previous} stays published until its tokens expire`,
      );
    } else {
      console.log(JSON.stringify(keys.jwks(settings), null, 2));
    }
  } catch (error) {
    if (error instanceof keys.SigningKeyError) {
      console.error(`keys ${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  return 0;
}

process.exitCode = main();
