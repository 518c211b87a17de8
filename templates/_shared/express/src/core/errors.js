'use strict';
/**
 * Errors the services throw, and the one JSON error body every response uses:
 * {"detail": "..."}, plus "errors": [{"field", "message"}] for 422.
 * @module core/errors
 */

class AppError extends Error {
  /**
   * @param {string} [detail] A message safe to show to clients.
   * @param {Record<string, string>} [headers] Extra response headers.
   */
  constructor(detail, headers = {}) {
    super(detail);
    this.detail = detail || /** @type {typeof AppError} */ (this.constructor).defaultDetail;
    this.headers = headers;
  }

  /** @returns {number} */
  get status() {
    return /** @type {typeof AppError} */ (this.constructor).status;
  }

  /** @returns {Record<string, unknown>} */
  body() {
    return { detail: this.detail };
  }
}
AppError.status = 400;
AppError.defaultDetail = 'Bad request';

class Unauthorized extends AppError {
  /** @param {string} [detail] */
  constructor(detail) {
    super(detail, { 'WWW-Authenticate': 'Bearer' });
  }
}
Unauthorized.status = 401;
Unauthorized.defaultDetail = 'Not authenticated';

class Forbidden extends AppError {}
Forbidden.status = 403;
Forbidden.defaultDetail = 'Not allowed';

class NotFound extends AppError {}
NotFound.status = 404;
NotFound.defaultDetail = 'Not found';

class Conflict extends AppError {}
Conflict.status = 409;
Conflict.defaultDetail = 'Conflict';

/** The database cannot be reached (down, or the connection was lost): try again later. */
class DatabaseUnavailable extends AppError {}
DatabaseUnavailable.status = 503;
DatabaseUnavailable.defaultDetail = 'Service unavailable: the database cannot be reached';

class ValidationFailed extends AppError {
  /**
   * @param {{field: string, message: string}[]} errors One entry per invalid field.
   * @param {string} [detail]
   */
  constructor(errors, detail) {
    super(detail);
    this.errors = errors.map(({ field, message }) => ({ field, message }));
  }

  body() {
    return { detail: this.detail, errors: this.errors };
  }
}
ValidationFailed.status = 422;
ValidationFailed.defaultDetail = 'Validation failed';

/**
 * A one-field validation error, for rules the services check (a foreign key, say).
 * @param {string} field
 * @param {string} message
 */
function invalidField(field, message) {
  return new ValidationFailed([{ field, message }]);
}

module.exports = {
  AppError,
  DatabaseUnavailable,
  Unauthorized,
  Forbidden,
  NotFound,
  Conflict,
  ValidationFailed,
  invalidField,
};
