'use strict';
/**
 * Tags of published posts, with their post counts.
 * @module routes/tags
 */
const { z } = require('zod');

const { pageQuery } = require('../schemas/common');
const { tagPublic } = require('../schemas/tags');
const tags = require('../services/tags');

const tagPage = z.object({
  items: z.array(tagPublic),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** @param {import('../http/registry').Registry} api */
module.exports = function register(api) {
  api.route(
    {
      method: 'GET',
      path: '/tags',
      summary: 'List the tags of published posts with their post counts',
      auth: 'public',
      query: pageQuery,
      response: tagPage,
    },
    ({ db, query }) => tags.listTags(db, query),
  );
};
