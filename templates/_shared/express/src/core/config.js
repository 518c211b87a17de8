'use strict';
/**
 * Settings read from the environment, or from a local .env file (the environment wins).
 * @module core/config
 */
const fs = require('node:fs');
const path = require('node:path');
const { z } = require('zod');

const featureSettings = require('./feature-settings');
const kindSettings = require('./kind-settings');

const PLACEHOLDER_PREFIX = 'change-me';

/**
 * An integer setting of at least `min`, `fallback` when unset.
 * @param {number} min
 * @param {number} fallback
 */
const int = (min, fallback) => z.coerce.number().int().min(min).default(fallback);

const schema = z.object({
  ENVIRONMENT: z.enum(['development', 'test', 'production']).default('development'),
  // Required: there is no default secret, so a missing one fails at start-up.
  SECRET_KEY: z.string().min(32, 'SECRET_KEY needs at least 32 characters'),
  DATABASE_URL: z.string().min(1).default('sqlite:///./app.db'),
  DB_POOL_SIZE: int(1, 10),
  JWT_ALGORITHM: z.enum(['HS256', 'HS384', 'HS512']).default('HS256'),
  ACCESS_TOKEN_EXPIRE_MINUTES: int(1, 30),
  REFRESH_TOKEN_EXPIRE_MINUTES: int(1, 60 * 24 * 7),
  // argon2id cost (RFC 9106 low-memory profile); tests lower it to stay fast.
  PASSWORD_HASH_TIME_COST: int(1, 3),
  PASSWORD_HASH_MEMORY_KIB: int(32, 64 * 1024),
  RATE_LIMIT_PER_MINUTE: int(0, 600),
  FIRST_ADMIN_EMAIL: z.string().optional(),
  FIRST_ADMIN_PASSWORD: z.string().optional(),
  // Comma-separated origins allowed by CORS (http/operations.js); empty: CORS is off.
  CORS_ORIGINS: z.string().default(''),
  // Logs (core/logs.js): the lowest level, JSON or text lines, the line per request.
  LOG_LEVEL: z
    .string()
    .transform((level) => level.toUpperCase())
    .pipe(z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']))
    .default('INFO'),
  LOG_FORMAT: z.enum(['json', 'text']).default('json'),
  ACCESS_LOG: z.enum(['0', '1']).default('1'),
  ...kindSettings.shape,
  ...featureSettings.shape,
});

/**
 * @typedef {object} Settings
 * @property {'development'|'test'|'production'} environment
 * @property {string} secretKey
 * @property {string} databaseUrl
 * @property {number} dbPoolSize connections to PostgreSQL or MySQL per worker process
 * @property {'HS256'|'HS384'|'HS512'} jwtAlgorithm
 * @property {number} accessTokenExpireMinutes
 * @property {number} refreshTokenExpireMinutes
 * @property {number} passwordHashTimeCost
 * @property {number} passwordHashMemoryKib
 * @property {number} rateLimitPerMinute
 * @property {string | undefined} firstAdminEmail
 * @property {string | undefined} firstAdminPassword
 * @property {readonly string[]} corsOrigins origins allowed by CORS (none: CORS is off)
 * @property {'DEBUG'|'INFO'|'WARNING'|'ERROR'|'CRITICAL'} logLevel
 * @property {'json'|'text'} logFormat
 * @property {boolean} accessLog whether each request gets its log line
 * @property {Readonly<ReturnType<typeof kindSettings.map>>} kind what core/kind-settings.js adds
 * @property {Readonly<ReturnType<typeof featureSettings.map>>} features what
 *   core/feature-settings.js adds (the chosen features' settings)
 */

/**
 * Read KEY=VALUE lines of a .env file, without replacing variables already set.
 * @param {string} file
 * @param {Record<string, string | undefined>} env
 */
function loadDotEnv(file, env) {
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const [, key, raw] = match;
    const value = raw.replace(/^(['"])(.*)\1$/, '$2');
    if (env[key] === undefined) env[key] = value;
  }
}

/**
 * Build the settings from an environment (process.env and .env by default).
 * @param {Record<string, string | undefined>} [source]
 * @returns {Settings}
 */
function loadSettings(source) {
  let env = source;
  if (env === undefined) {
    env = { ...process.env };
    loadDotEnv(path.resolve('.env'), env);
  }
  // Empty values count as unset, as in .env.example.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid settings: ${problems.join('; ')}`);
  }
  const s = parsed.data;
  if (s.SECRET_KEY.startsWith(PLACEHOLDER_PREFIX)) {
    const message = 'SECRET_KEY is the placeholder from .env.example; set a random one';
    if (s.ENVIRONMENT !== 'development') throw new Error(message);
    process.emitWarning(message);
  }
  return Object.freeze({
    environment: s.ENVIRONMENT,
    secretKey: s.SECRET_KEY,
    databaseUrl: s.DATABASE_URL,
    dbPoolSize: s.DB_POOL_SIZE,
    jwtAlgorithm: s.JWT_ALGORITHM,
    accessTokenExpireMinutes: s.ACCESS_TOKEN_EXPIRE_MINUTES,
    refreshTokenExpireMinutes: s.REFRESH_TOKEN_EXPIRE_MINUTES,
    passwordHashTimeCost: s.PASSWORD_HASH_TIME_COST,
    passwordHashMemoryKib: s.PASSWORD_HASH_MEMORY_KIB,
    rateLimitPerMinute: s.RATE_LIMIT_PER_MINUTE,
    firstAdminEmail: s.FIRST_ADMIN_EMAIL,
    firstAdminPassword: s.FIRST_ADMIN_PASSWORD,
    corsOrigins: Object.freeze(
      s.CORS_ORIGINS.split(',')
        .map((origin) => origin.trim().replace(/\/$/, ''))
        .filter(Boolean),
    ),
    logLevel: s.LOG_LEVEL,
    logFormat: s.LOG_FORMAT,
    accessLog: s.ACCESS_LOG === '1',
    kind: Object.freeze(kindSettings.map(s)),
    features: Object.freeze(featureSettings.map(s)),
  });
}

module.exports = { loadSettings, PLACEHOLDER_PREFIX };
