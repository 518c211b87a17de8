'use strict';
/**
 * The optional signed-in user of public routes.
 *
 * A request without an Authorization header is anonymous; one with a header must carry
 * a valid access token (401 otherwise), as on the routes that need a user.
 * @module http/viewer
 */
const { currentUser } = require('./auth');

/**
 * The user whose token came with the request, or null without an Authorization header.
 * @param {import('express').Request} req
 * @param {import('knex').Knex} db
 * @param {import('../core/config').Settings} settings
 */
async function currentViewer(req, db, settings) {
  if (req.get('authorization') === undefined) return null;
  return currentUser(req, db, settings);
}

module.exports = { currentViewer };
