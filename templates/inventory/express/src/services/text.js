'use strict';
/**
 * Text search helpers.
 * @module services/text
 */

/**
 * A LIKE pattern matching `value` literally, with "!" as the escape character
 * (write `LIKE ? ESCAPE '!'`: the same on SQLite, PostgreSQL and MySQL).
 * @param {string} value
 */
function likeLiteral(value) {
  return value.replace(/[!%_]/g, (character) => `!${character}`);
}

module.exports = { likeLiteral };
