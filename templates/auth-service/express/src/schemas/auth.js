'use strict';
/**
 * Registration, login, token, logout, password change and password reset shapes.
 * @module schemas/auth
 */
const { z } = require('zod');

const { email } = require('./common');

const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 128;
// A 6-digit TOTP code, or a recovery code such as "3f9a1-c07be".
const MAX_OTP_CODE_LENGTH = 32;

const newPassword = z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH);
const anyPassword = z.string().min(1).max(MAX_PASSWORD_LENGTH);
const otpCode = z.string().min(1).max(MAX_OTP_CODE_LENGTH);

/** An email and a password (registration). */
const credentials = z.strictObject({ email, password: newPassword });

/**
 * Login takes any password length, so a policy change never locks anyone out.
 * With MFA on, otp_code is required: a current TOTP code or an unused recovery code.
 */
const loginIn = z.strictObject({ email, password: anyPassword, otp_code: otpCode.nullish() });

/** A refresh token to exchange for a new pair (it works once). */
const refreshIn = z.strictObject({ refresh_token: z.string().min(1) });

/** The session to end: the one of refresh_token, or every session when it is left out (or null). */
const logoutIn = z.strictObject({ refresh_token: z.string().min(1).nullish() });

/** What a login or refresh returns; send the access token as Bearer. */
const tokenPair = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('bearer'),
});

/** The current password, and the new one. */
const passwordChange = z.strictObject({ current_password: anyPassword, new_password: newPassword });

/** The email of the account whose password was forgotten. */
const passwordResetRequest = z.strictObject({ email });

/** A reset token from the message, and the new password. */
const passwordResetConfirm = z.strictObject({
  token: z.string().min(1).max(200),
  new_password: newPassword,
});

/** A message for the client, e.g. of a 202. */
const message = z.object({ detail: z.string() });

module.exports = {
  MIN_PASSWORD_LENGTH,
  MAX_PASSWORD_LENGTH,
  MAX_OTP_CODE_LENGTH,
  credentials,
  loginIn,
  refreshIn,
  logoutIn,
  tokenPair,
  passwordChange,
  passwordResetRequest,
  passwordResetConfirm,
  message,
  anyPassword,
  otpCode,
};
