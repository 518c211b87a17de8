'use strict';
/**
 * TOTP enrolment, confirmation and turning it off.
 * @module schemas/mfa
 */
const { z } = require('zod');

const { anyPassword, otpCode } = require('./auth');

/** The secret to put in an authenticator app, also as an otpauth:// URI (QR code). */
const mfaEnrollment = z.object({ secret: z.string(), otpauth_uri: z.string() });

/** A code from the authenticator app. */
const mfaCode = z.strictObject({ code: otpCode });

/** Single-use codes that stand in for a TOTP code; they are shown only this once. */
const recoveryCodes = z.object({ recovery_codes: z.array(z.string()) });

/** The password and a TOTP or recovery code, to turn MFA off. */
const mfaDisable = z.strictObject({ password: anyPassword, otp_code: otpCode });

module.exports = { mfaEnrollment, mfaCode, recoveryCodes, mfaDisable };
