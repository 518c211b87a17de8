'use strict';
/**
 * Registration, login and token shapes.
 * @module schemas/auth
 */
const { z } = require('zod');

const { email } = require('./common');

const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 128;

/** An email and a password (registration). */
const credentials = z.strictObject({
  email,
  password: z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH),
});

/** Login takes any password length, so a policy change never locks anyone out. */
const loginIn = z.strictObject({
  email,
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

/** A refresh token to exchange for a new pair. */
const refreshIn = z.strictObject({ refresh_token: z.string().min(1) });

/** What a login or refresh returns; send the access token as Bearer. */
const tokenPair = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('bearer'),
});

module.exports = { credentials, loginIn, refreshIn, tokenPair, MIN_PASSWORD_LENGTH };
