'use strict';
/**
 * A migration of indexes that only PostgreSQL gets (docs/list-indexes.md): expression
 * and trigram (pg_trgm) indexes as the services spell their queries there. On the other
 * databases it does nothing, and those lists are served as before.
 */

/** @param {import('knex').Knex} knex */
function postgresql(knex) {
  return knex.client.config.client === 'pg';
}

/**
 * The up and down of a migration that makes `indexes` on `table` (PostgreSQL only),
 * with the extension pg_trgm first where one of them needs it.
 * @param {string} table
 * @param {Record<string, string>} indexes each index's name and what follows `ON table`
 */
function postgresqlIndexes(table, indexes) {
  return {
    /** @param {import('knex').Knex} knex */
    async up(knex) {
      if (!postgresql(knex)) return;
      if (Object.values(indexes).some((how) => how.includes('gin_trgm_ops'))) {
        await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      }
      for (const [name, how] of Object.entries(indexes)) {
        await knex.raw(`CREATE INDEX ${name} ON ${table} ${how}`);
      }
    },
    /** @param {import('knex').Knex} knex */
    async down(knex) {
      if (!postgresql(knex)) return;
      for (const name of Object.keys(indexes)) await knex.raw(`DROP INDEX ${name}`);
    },
  };
}

module.exports = { postgresqlIndexes };
