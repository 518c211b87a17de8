'use strict';
/**
 * The JSON Web Key Set (RFC 7517) that lets other services verify tokens.
 * @module schemas/jwks
 */
const { z } = require('zod');

/** One RSA public key. */
const jwk = z.object({
  kty: z.string(),
  use: z.string(),
  alg: z.string(),
  kid: z.string(),
  n: z.string(),
  e: z.string(),
});

/** Every key a valid token may be signed with: the current one first. */
const jwks = z.object({ keys: z.array(jwk) });

module.exports = { jwk, jwks };
