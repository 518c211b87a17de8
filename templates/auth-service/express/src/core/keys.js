'use strict';
/**
 * The RSA keys that sign and verify tokens (RS256), and the JWKS that publishes them.
 *
 * The signing key is the PEM in JWT_PRIVATE_KEY, else the file JWT_PRIVATE_KEY_FILE
 * (made with the project, git-ignored). Every token names its key in the `kid` header:
 * the key's RFC 7638 thumbprint. `npm run keys rotate` writes a new key file and moves
 * the old public key to JWT_PREVIOUS_KEYS_FILE with the time its last token expires;
 * until then it stays in the JWKS and its tokens keep verifying. Workers reread a file
 * when it changes, so a rotation needs no restart.
 * @module core/keys
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { AppError } = require('./errors');

const ALGORITHM = 'RS256';
const KEY_SIZE = 2048;
// Tokens signed just before a rotation, by a worker that had not seen it yet.
const RETIREMENT_LEEWAY_SECONDS = 60;

/**
 * The signing key is missing or unusable: a deployment error, not the client's. A
 * request that needs the key answers 503 with the generic detail; the message says
 * what is wrong (which file, what to run), for the logs and the command line.
 */
class SigningKeyError extends AppError {
  /** @param {string} reason */
  constructor(reason) {
    super();
    this.message = reason;
  }
}
SigningKeyError.status = 503;
SigningKeyError.defaultDetail = 'Tokens cannot be issued or verified right now; try again later';

/**
 * @typedef {object} PublicKey
 * @property {string} kid the RFC 7638 thumbprint
 * @property {crypto.KeyObject} key
 * @property {{kty: string, n: string, e: string}} members the key's JWK members
 */

/**
 * The RFC 7638 thumbprint of a public key: a stable id derived from the key itself.
 * @param {{n: string, e: string}} jwk
 */
function thumbprint(jwk) {
  const canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return crypto.createHash('sha256').update(canonical).digest('base64url');
}

/**
 * A public key object with its id.
 * @param {crypto.KeyObject} key
 * @returns {PublicKey}
 */
function describe(key) {
  const jwk = /** @type {{kty: string, n: string, e: string}} */ (key.export({ format: 'jwk' }));
  const members = { kty: 'RSA', n: jwk.n, e: jwk.e };
  return { kid: thumbprint(members), key, members };
}

/**
 * A key as a JSON Web Key (RFC 7517), for signature checks only.
 * @param {PublicKey} publicKey
 */
function toJwk(publicKey) {
  return { ...publicKey.members, use: 'sig', alg: ALGORITHM, kid: publicKey.kid };
}

// -- reading keys -----------------------------------------------------------------------

/** @type {Map<string, {stamp: string, content: Buffer}>} */
const fileCache = new Map();

/**
 * The content of a file (null if there is none), read again only when it changed
 * (rotations). A file that is there but cannot be read (permissions, a folder in its
 * place) is a SigningKeyError, like a missing signing key.
 * @param {string} file
 * @returns {Buffer | null}
 */
function fileBytes(file) {
  const absolute = path.resolve(file);
  try {
    const stat = fs.statSync(absolute);
    const stamp = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    const cached = fileCache.get(absolute);
    if (cached && cached.stamp === stamp) return cached.content;
    const content = fs.readFileSync(absolute);
    fileCache.set(absolute, { stamp, content });
    return content;
  } catch (error) {
    fileCache.delete(absolute);
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code === 'ENOENT') return null;
    throw new SigningKeyError(`cannot read ${file}: ${code || error}`);
  }
}

/** @type {Map<string, {privateKey: crypto.KeyObject, publicKey: PublicKey}>} */
const parsedPrivate = new Map();

/**
 * @param {string} pem
 * @returns {{privateKey: crypto.KeyObject, publicKey: PublicKey}}
 */
function parsePrivate(pem) {
  const cached = parsedPrivate.get(pem);
  if (cached) return cached;
  let privateKey;
  try {
    privateKey = crypto.createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new SigningKeyError(`the signing key is not an unencrypted PEM key: ${error}`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new SigningKeyError('the signing key is not an RSA key');
  }
  const parsed = { privateKey, publicKey: describe(crypto.createPublicKey(privateKey)) };
  if (parsedPrivate.size > 8) parsedPrivate.clear();
  parsedPrivate.set(pem, parsed);
  return parsed;
}

/**
 * The current signing key and its public half, or throw SigningKeyError.
 * @param {import('./config').Settings} settings
 */
function privateKey(settings) {
  const { jwtPrivateKey, jwtPrivateKeyFile } = settings.kind;
  if (jwtPrivateKey) {
    // An environment variable holds one line: accept "\n" for the PEM's newlines.
    return parsePrivate(jwtPrivateKey.replaceAll('\\n', '\n'));
  }
  const pem = fileBytes(jwtPrivateKeyFile);
  if (pem === null) {
    throw new SigningKeyError(
      `no signing key at ${jwtPrivateKeyFile}: run \`npm run keys generate\` or set JWT_PRIVATE_KEY`,
    );
  }
  return parsePrivate(pem.toString('utf8'));
}

/** @type {Map<string, {key: PublicKey, expiresAt: number}[]>} */
const parsedPrevious = new Map();

/**
 * @param {string} data the previous keys file
 * @returns {{key: PublicKey, expiresAt: number}[]}
 */
function parsePrevious(data) {
  const cached = parsedPrevious.get(data);
  if (cached) return cached;
  let entries;
  try {
    entries = JSON.parse(data).keys.map((/** @type {any} */ entry) => {
      const expiresAt = Number(entry.expires_at);
      if (!Number.isFinite(expiresAt)) throw new Error('expires_at is not a number');
      const key = crypto.createPublicKey({
        key: { kty: 'RSA', n: String(entry.n), e: String(entry.e) },
        format: 'jwk',
      });
      return { key: describe(key), expiresAt };
    });
  } catch (error) {
    throw new SigningKeyError(`the previous keys file is not valid: ${error}`);
  }
  if (parsedPrevious.size > 8) parsedPrevious.clear();
  parsedPrevious.set(data, entries);
  return entries;
}

/**
 * Public keys retired by a rotation whose tokens may still be valid.
 * @param {import('./config').Settings} settings
 * @param {number} [now] seconds since the epoch
 * @returns {PublicKey[]}
 */
function previousKeys(settings, now = Date.now() / 1000) {
  const data = fileBytes(settings.kind.jwtPreviousKeysFile);
  if (data === null) return [];
  return parsePrevious(data.toString('utf8'))
    .filter((entry) => entry.expiresAt > now)
    .map((entry) => entry.key);
}

// -- what core/security.js calls ------------------------------------------------------------

/**
 * The private key to sign with, and the `kid` header naming its public key.
 * @param {import('./config').Settings} settings
 * @returns {{key: crypto.KeyObject, algorithm: import('jsonwebtoken').Algorithm, header: Record<string, string>}}
 */
function signingKey(settings) {
  const { privateKey: key, publicKey } = privateKey(settings);
  return { key, algorithm: ALGORITHM, header: { kid: publicKey.kid } };
}

/**
 * The public key named by the token's `kid` (throw if none is valid); RS256 only, so
 * "none" and HMAC tokens keyed with a public key are refused.
 * @param {import('./config').Settings} settings
 * @param {Record<string, unknown>} header
 * @returns {{key: crypto.KeyObject, algorithms: import('jsonwebtoken').Algorithm[]}}
 */
function verificationKey(settings, header) {
  const { publicKey: current } = privateKey(settings);
  for (const candidate of [current, ...previousKeys(settings)]) {
    if (candidate.kid === header.kid) return { key: candidate.key, algorithms: [ALGORITHM] };
  }
  throw new Error('unknown key id');
}

/**
 * The iss (JWT_ISSUER) and aud (JWT_AUDIENCE) of every access token: one audience a
 * string, more a list.
 * @param {import('./config').Settings} settings
 * @returns {{iss: string, aud: string | [string, ...string[]]}}
 */
function accessClaims(settings) {
  const [first, ...more] = settings.kind.jwtAudience;
  return { iss: settings.kind.jwtIssuer, aud: more.length ? [first, ...more] : first };
}

/**
 * The JSON Web Key Set: the current public key, then retired ones still in use.
 * @param {import('./config').Settings} settings
 */
function jwks(settings) {
  const { publicKey: current } = privateKey(settings);
  const retired = previousKeys(settings).filter((key) => key.kid !== current.kid);
  return { keys: [current, ...retired].map(toJwk) };
}

// -- making keys (npm run keys) --------------------------------------------------------------

/** A fresh 2048-bit RSA key as an unencrypted PKCS#8 PEM. */
function newPrivateKey() {
  const { privateKey: key } = crypto.generateKeyPairSync('rsa', {
    modulusLength: KEY_SIZE,
    publicExponent: 0x10001,
  });
  return /** @type {string} */ (key.export({ type: 'pkcs8', format: 'pem' }));
}

/**
 * Replace a file in one step, so a worker never reads half a file.
 * @param {string} file
 * @param {string} content
 * @param {number} mode
 */
function writeAtomically(file, content, mode) {
  const absolute = path.resolve(file);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  const temporary = path.join(
    path.dirname(absolute),
    `.${path.basename(absolute)}.${crypto.randomBytes(6).toString('hex')}`,
  );
  try {
    fs.writeFileSync(temporary, content, { mode, flag: 'wx' });
    fs.chmodSync(temporary, mode);
    fs.renameSync(temporary, absolute);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Write a key to JWT_PRIVATE_KEY_FILE if there is none; return its kid if made.
 * @param {import('./config').Settings} settings
 * @returns {string | null}
 */
function generate(settings) {
  const file = settings.kind.jwtPrivateKeyFile;
  if (fs.existsSync(file)) return null;
  writeAtomically(file, newPrivateKey(), 0o600);
  return privateKey(settings).publicKey.kid;
}

/**
 * Replace the signing key; keep the old public key until its last token expires.
 * @param {import('./config').Settings} settings
 * @param {number} [now] seconds since the epoch
 * @returns {{previous: string, current: string}} the old and the new key id
 */
function rotate(settings, now = Date.now() / 1000) {
  if (settings.kind.jwtPrivateKey) {
    throw new SigningKeyError(
      'JWT_PRIVATE_KEY is set: rotate by unsetting it, or by replacing it where it is set',
    );
  }
  const { publicKey: old } = privateKey(settings);
  const lifetime = Math.max(settings.accessTokenExpireMinutes, settings.refreshTokenExpireMinutes);
  const retired = {
    ...toJwk(old),
    retired_at: new Date(now * 1000).toISOString(),
    expires_at: Math.floor(now + lifetime * 60 + RETIREMENT_LEEWAY_SECONDS),
  };
  const previousFile = settings.kind.jwtPreviousKeysFile;
  let kept = [];
  const existing = fileBytes(previousFile);
  if (existing !== null) {
    parsePrevious(existing.toString('utf8')); // refuse to build on a broken file
    kept = JSON.parse(existing.toString('utf8')).keys.filter(
      (/** @type {any} */ entry) => Number(entry.expires_at) > now && entry.kid !== old.kid,
    );
  }
  // The old key is published as a previous key before the new one signs anything.
  writeAtomically(
    previousFile,
    `${JSON.stringify({ keys: [retired, ...kept] }, null, 2)}\n`,
    0o644,
  );
  // The new key file keeps the old one's permissions (a container may read it as
  // another user than the one rotating it).
  const keyFile = settings.kind.jwtPrivateKeyFile;
  writeAtomically(keyFile, newPrivateKey(), fs.statSync(keyFile).mode & 0o777);
  return { previous: old.kid, current: privateKey(settings).publicKey.kid };
}

module.exports = {
  ALGORITHM,
  SigningKeyError,
  thumbprint,
  privateKey,
  previousKeys,
  signingKey,
  verificationKey,
  accessClaims,
  jwks,
  newPrivateKey,
  generate,
  rotate,
};
