'use strict';
/**
 * Tags with the number of published posts that carry them.
 * @module services/tags
 */
const { toCount } = require('../db');
const { paginate } = require('./pagination');

/**
 * Tags of published posts, most used first, then by name.
 * @param {import('knex').Knex} db
 * @param {{limit: number, offset: number}} page
 */
function listTags(db, page) {
  const tags = db('tags')
    .join('post_tags', 'post_tags.tag_id', 'tags.id')
    .join('posts', 'posts.id', 'post_tags.post_id')
    .where('posts.status', 'published')
    .groupBy('tags.id', 'tags.name')
    .select('tags.name')
    .count({ post_count: 'posts.id' });
  return paginate(
    db,
    tags,
    page,
    (q) => q.orderBy('post_count', 'desc').orderBy('tags.name'),
    (row) => ({ name: row.name, post_count: toCount(row.post_count) }),
  );
}

module.exports = { listTags };
