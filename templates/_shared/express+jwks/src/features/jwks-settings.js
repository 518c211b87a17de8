'use strict';
/**
 * Settings of the feature "jwks" (core/feature-settings.js merges them): where the
 * issuer publishes its keys, and what its tokens must say.
 * @module features/jwks-settings
 */
const { z } = require('zod');

const shape = {
  // Required: a service without its issuer's address cannot check a single token.
  AUTH_JWKS_URL: z.url(),
  AUTH_ISSUER: z.string().min(1),
  AUTH_AUDIENCE: z.string().min(1).default('scaffold-services'),
  AUTH_JWKS_CACHE_SECONDS: z.coerce.number().int().min(0).default(300),
};

/**
 * @param {Record<string, any>} env the parsed environment
 * @returns {{jwks: {url: string, issuer: string, audience: string, cacheSeconds: number}}}
 */
function map(env) {
  return {
    jwks: {
      url: env.AUTH_JWKS_URL,
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      cacheSeconds: env.AUTH_JWKS_CACHE_SECONDS,
    },
  };
}

module.exports = { shape, map };
