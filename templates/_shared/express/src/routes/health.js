'use strict';
/**
 * Liveness: the process answers and the database takes a query.
 * @module routes/health
 */
const { z } = require('zod');

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/health',
      summary: 'Liveness and database check',
      auth: 'public',
      response: z.object({ status: z.string(), database: z.string() }),
      errors: { 503: 'The database does not answer' },
    },
    async ({ db, res }) => {
      try {
        await db.raw('SELECT 1');
      } catch {
        res.status(503).json({ status: 'unavailable', database: 'error' });
        return undefined;
      }
      return { status: 'ok', database: 'ok' };
    },
  );
};
