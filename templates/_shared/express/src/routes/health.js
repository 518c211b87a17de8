'use strict';
/**
 * Liveness (`/health`: the process answers) and readiness (`/ready`: the database
 * answers and every migration is applied).
 * @module routes/health
 */
const { z } = require('zod');

/** ok while the process runs; the database is not asked. */
const health = z.object({ status: z.string() });
/** ok three times, or (503) unavailable and what is not: database, migrations. */
const readiness = z.object({ status: z.string(), database: z.string(), migrations: z.string() });

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/health',
      summary: 'Liveness: the process answers',
      auth: 'public',
      response: health,
    },
    async () => ({ status: 'ok' }),
  );
  api.route(
    {
      method: 'GET',
      path: '/ready',
      summary: 'Readiness: the database answers and its migrations are applied',
      auth: 'public',
      response: readiness,
      errors: { 503: { description: 'Not ready: the body says what', body: readiness } },
    },
    async ({ db, res }) => {
      let pending;
      try {
        await db.raw('SELECT 1');
        [, pending] = await db.migrate.list();
      } catch {
        res.status(503).json({ status: 'unavailable', database: 'error', migrations: 'unknown' });
        return undefined;
      }
      if (pending.length) {
        res.status(503).json({ status: 'unavailable', database: 'ok', migrations: 'pending' });
        return undefined;
      }
      return { status: 'ok', database: 'ok', migrations: 'ok' };
    },
  );
};
