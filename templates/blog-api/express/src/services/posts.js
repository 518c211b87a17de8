'use strict';
/**
 * Post rules: who sees and writes what, unique slugs, tags, filters and pages.
 *
 * Published posts are public; a draft is seen only by its author and admins (anyone
 * else gets NotFound, so slugs reveal nothing). Authors and admins write posts; only
 * the post's author or an admin changes or deletes it.
 * @module services/posts
 */
const { Forbidden, NotFound } = require('../core/errors');
const { ADMIN } = require('../core/roles');
const { insert, isoTimestamp, now } = require('../db');
const { MAX_SLUG_LENGTH, MAX_TITLE_LENGTH } = require('../schemas/posts');
const { paginateKeyset, parseBoolean, parseRowId, parseTimestamp } = require('./keyset');
const { transactionWithRetry } = require('./retry');
const { isAdmin } = require('./users');

/** The roles that write posts. */
const WRITERS = new Set(['author', ADMIN]);
const SLUG = new RegExp(`^[a-z0-9-]{1,${MAX_SLUG_LENGTH}}$`);

/** The list's one order, newest first. */
const SORT = '-published_at';
/**
 * Its keys, all descending: posts with a published_at (newest first), then drafts never
 * published (by id). One row value, which the PostgreSQL indexes ix_posts_status_keyset
 * and ix_posts_author_keyset hold (migration 0005); the same keys make the ORDER BY and
 * the cursor.
 * @type {import('./keyset').Key[]}
 */
const SORT_KEYS = [
  {
    sql: 'posts.published_at IS NOT NULL',
    value: (row) => row.published_at !== null && row.published_at !== undefined,
    parse: parseBoolean,
  },
  {
    sql: 'posts.published_at',
    value: (row) => isoTimestamp(row.published_at),
    parse: (value) => (value === null ? null : parseTimestamp(value)),
  },
  { sql: 'posts.id', value: (row) => Number(row.id), parse: parseRowId },
];

/**
 * "Héllo, World!" -> "hello-world"; a title without letters or digits gives "post".
 * @param {string} title
 */
function slugify(title) {
  const ascii = title
    .normalize('NFKD')
    .replace(/[^\p{ASCII}]/gu, '')
    .toLowerCase();
  const slug = ascii
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_TITLE_LENGTH)
    .replace(/-+$/, '');
  return slug || 'post';
}

/**
 * A LIKE pattern matching `value` literally, with "!" as the escape character.
 * @param {string} value
 */
function likeLiteral(value) {
  return value.replace(/[!%_]/g, (character) => `!${character}`);
}

/**
 * `base`, or `base-2`, `base-3`... whichever is free first.
 * @param {import('knex').Knex.Transaction} trx
 * @param {string} base
 */
async function freeSlug(trx, base) {
  const rows = await trx('posts')
    .where('slug', base)
    .orWhereRaw("slug LIKE ? ESCAPE '!'", [`${likeLiteral(base)}-%`])
    .select('slug');
  const taken = new Set(rows.map((row) => row.slug));
  if (!taken.has(base)) return base;
  let number = 2;
  while (taken.has(`${base}-${number}`)) number += 1;
  return `${base}-${number}`;
}

/**
 * Queue behind every other creator of a post whose slug starts from `base`: an update
 * of the post that holds the bare slug (changing nothing) takes its row lock
 * (PostgreSQL, MySQL) or the database's write lock (SQLite) until the commit, so posts
 * of one title get their numbers one after the other, each seeing the last. Only the
 * first posts of a new title race, on the unique constraint, and the losers come back.
 * @param {import('knex').Knex.Transaction} trx
 * @param {string} base
 */
async function claimSlugBase(trx, base) {
  await trx('posts')
    .where('slug', base)
    .update({ slug: trx.ref('slug') });
}

/**
 * The ids of the tags with these names, made first if missing. Tags are only ever
 * added, so they are made outside the post's transaction: two posts that bring the
 * same new tag at once both find it.
 * @param {import('knex').Knex} db
 * @param {string[]} names
 * @returns {Promise<number[]>}
 */
async function tagIds(db, names) {
  if (!names.length) return [];
  const sorted = [...new Set(names)].sort();
  await db('tags')
    .insert(sorted.map((name) => ({ name })))
    .onConflict('name')
    .ignore();
  const rows = await db('tags').whereIn('name', sorted).select('id');
  return rows.map((row) => Number(row.id));
}

/**
 * Link a post to exactly these tags.
 * @param {import('knex').Knex.Transaction} trx
 * @param {number} postId
 * @param {number[]} ids
 */
async function setTags(trx, postId, ids) {
  await trx('post_tags').where({ post_id: postId }).delete();
  if (ids.length) {
    await trx('post_tags').insert(ids.map((tagId) => ({ post_id: postId, tag_id: tagId })));
  }
}

/**
 * The posts a viewer sees: published ones, their own drafts, every draft for an admin.
 * @param {import('knex').Knex.QueryBuilder} query
 * @param {import('./users').UserRow | null} viewer
 */
function visibleTo(query, viewer) {
  if (viewer === null) return query.where('posts.status', 'published');
  if (isAdmin(viewer)) return query;
  return query.where((q) =>
    q.where('posts.status', 'published').orWhere('posts.author_id', viewer.id),
  );
}

/**
 * Posts as the API shows them, with their tag names (sorted), in one more query.
 * @param {import('knex').Knex} db
 * @param {any[]} rows
 */
async function withTags(db, rows) {
  /** @type {Map<number, string[]>} */
  const names = new Map(rows.map((row) => [Number(row.id), []]));
  if (rows.length) {
    const links = await db('post_tags')
      .join('tags', 'tags.id', 'post_tags.tag_id')
      .whereIn('post_tags.post_id', [...names.keys()])
      .select('post_tags.post_id', 'tags.name');
    for (const link of links) names.get(Number(link.post_id))?.push(link.name);
  }
  return rows.map((row) => toPublic(row, names.get(Number(row.id)) || []));
}

/**
 * @param {any} row
 * @param {string[]} tags
 */
function toPublic(row, tags) {
  return {
    id: Number(row.id),
    slug: row.slug,
    title: row.title,
    body: row.body,
    status: row.status,
    published_at: isoTimestamp(row.published_at),
    tags: [...tags].sort(),
    author_id: Number(row.author_id),
    created_at: isoTimestamp(row.created_at),
    updated_at: isoTimestamp(row.updated_at),
  };
}

/**
 * One post as the API shows it.
 * @param {import('knex').Knex} db
 * @param {any} row
 */
async function present(db, row) {
  if (!row) throw new NotFound('Post not found');
  const [post] = await withTags(db, [row]);
  return post;
}

/**
 * The posts of a status a viewer may see, without an OR: published ones for everyone;
 * drafts their author's (every draft for an admin), so that the list and its total are
 * one range of an index.
 * @param {import('knex').Knex.QueryBuilder} query
 * @param {import('./users').UserRow | null} viewer
 * @param {string} status
 */
function listed(query, viewer, status) {
  query.where('posts.status', status);
  if (status === 'published' || (viewer !== null && isAdmin(viewer))) return query;
  if (viewer === null) return query.whereRaw('1 = 0');
  return query.where('posts.author_id', viewer.id);
}

/**
 * One page of the posts a viewer may see with `query.status`, newest first, by offset
 * or after a cursor; the total is counted up to 10,000.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow | null} viewer
 * @param {any} query the validated postQuery
 * @param {boolean} [offsetGiven] whether the request named an offset
 */
async function listPosts(db, viewer, query, offsetGiven = false) {
  const posts = listed(db('posts').select('posts.*'), viewer, query.status);
  if (query.tag) {
    const tagged = db('post_tags')
      .join('tags', 'tags.id', 'post_tags.tag_id')
      .where('tags.name', query.tag.toLowerCase())
      .select('post_tags.post_id');
    posts.whereIn('posts.id', tagged);
  }
  if (query.author !== undefined) posts.where('posts.author_id', query.author);
  if (query.q) {
    // lower() LIKE lower(): a case-insensitive substring on every database.
    const needle = `%${likeLiteral(query.q.toLowerCase())}%`;
    posts.where((q) =>
      q
        .whereRaw("lower(posts.title) LIKE ? ESCAPE '!'", [needle])
        .orWhereRaw("lower(posts.body) LIKE ? ESCAPE '!'", [needle]),
    );
  }
  const page = await paginateKeyset(
    db,
    posts,
    { ...query, sort: SORT },
    offsetGiven,
    SORT_KEYS,
    (row) => row,
  );
  return { ...page, items: await withTags(db, page.items) };
}

/**
 * The post a viewer may see, or NotFound (a draft of someone else too).
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {import('./users').UserRow | null} viewer
 * @param {string} slug
 */
async function getPost(db, viewer, slug) {
  const post = SLUG.test(slug)
    ? await visibleTo(db('posts').select('posts.*'), viewer).where('posts.slug', slug).first()
    : undefined;
  if (!post) throw new NotFound('Post not found');
  return post;
}

/**
 * A post the user may change: their own, or any as an admin.
 * @param {import('knex').Knex | import('knex').Knex.Transaction} db
 * @param {import('./users').UserRow} user
 * @param {string} slug
 */
async function editablePost(db, user, slug) {
  const post = await getPost(db, user, slug);
  if (!(isAdmin(user) || Number(post.author_id) === user.id)) {
    throw new Forbidden("Only the post's author or an admin may change it");
  }
  return post;
}

/**
 * Create a post by an author or admin, with a slug no other post has.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {{title: string, body: string, status: string, tags: string[]}} data
 */
async function createPost(db, user, data) {
  if (!WRITERS.has(user.role)) throw new Forbidden('Author role required');
  const base = slugify(data.title);
  const tags = await tagIds(db, data.tags);
  // The first posts of a new title may take its slug at once: the unique constraint
  // refuses one, which tries again (and then waits its turn).
  const id = await transactionWithRetry(
    db,
    async (trx) => {
      await claimSlugBase(trx, base);
      const time = now();
      const postId = await insert(trx, 'posts', {
        author_id: user.id,
        title: data.title,
        slug: await freeSlug(trx, base),
        body: data.body,
        status: data.status,
        published_at: data.status === 'published' ? time : null,
        created_at: time,
        updated_at: time,
      });
      await setTags(trx, postId, tags);
      return postId;
    },
    'Too many posts with this title at once',
  );
  return present(db, await db('posts').where({ id }).first());
}

/**
 * Change the given fields; the slug stays, so links keep working. published_at
 * records the first publication.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {string} slug
 * @param {{title?: string, body?: string, status?: string, tags?: string[]}} changes
 */
async function updatePost(db, user, slug, changes) {
  const post = await editablePost(db, user, slug);
  const tags = changes.tags === undefined ? undefined : await tagIds(db, changes.tags);
  const { tags: _tags, ...fields } = changes;
  await transactionWithRetry(
    db,
    async (trx) => {
      /** @type {Record<string, unknown>} */
      const values = { ...fields };
      if (Object.keys(changes).length) values.updated_at = now();
      if (changes.status === 'published') {
        await trx('posts')
          .where({ id: post.id })
          .whereNull('published_at')
          .update({ published_at: values.updated_at });
      }
      if (Object.keys(values).length) await trx('posts').where({ id: post.id }).update(values);
      if (tags !== undefined) await setTags(trx, post.id, tags);
    },
    'The post changed meanwhile; try again',
  );
  return present(db, await db('posts').where({ id: post.id }).first());
}

/**
 * Delete a post; its comments and tag links go with it.
 * @param {import('knex').Knex} db
 * @param {import('./users').UserRow} user
 * @param {string} slug
 */
async function deletePost(db, user, slug) {
  const post = await editablePost(db, user, slug);
  await db('posts').where({ id: post.id }).delete();
}

module.exports = {
  slugify,
  listPosts,
  getPost,
  present,
  createPost,
  updatePost,
  deletePost,
};
