'use strict';
// X-Api-Key verification as Lectern does it (dev.lectern.identity.ApiKeySecrets, ApiKeyVerifier and
// ApiKeyAuthentication.Provider): the key's format is checked before any lookup; the stored key is found by its
// 12-character prefix (the same statement), cached per prefix for 30 s whether found or not (Lectern: Caffeine,
// expire-after-write lectern.auth.api-key-cache-ttl, at most lectern.auth.cache-size entries, concurrent loads of one
// prefix coalesced); the SHA-256 of the secret is compared in constant time; revoked and expired keys are refused; the
// roles are the key's that its user still has. Last use is kept in memory and written in one UPDATE every 30 s and at
// shutdown. The bootstrap admin key (LECTERN_ADMIN_API_KEY) is an admin that is no user.
const crypto = require('node:crypto');
const { isoInstant } = require('./lectern-json');

const FORMAT = /^lk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

const LOAD_SQL = `SELECT k.id, k.user_id, k.secret_hash, k.roles, k.expires_at, k.revoked_at, u.roles AS user_roles
FROM api_keys k JOIN users u ON u.id = k.user_id
WHERE k.prefix = $1`;

const FLUSH_SQL = `UPDATE api_keys k SET last_used_at = GREATEST(coalesce(k.last_used_at, v.t), v.t)
FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, t)
WHERE k.id = v.id`;

class ApiKeys {
  constructor(pool, { adminKey = '', ttlMs = 30_000, maxEntries = 10_000, flushMs = 30_000 } = {}) {
    this.pool = pool;
    this.adminKey = adminKey ? Buffer.from(adminKey, 'utf8') : null;
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
    this.cache = new Map(); // prefix -> { expires, stored: Promise<stored key | null> }
    this.lastUsed = new Map(); // key id -> ISO instant
    this.flushTimer = setInterval(() => this.flushLastUsed(), flushMs);
    this.flushTimer.unref();
  }

  /**
   * The caller a presented key stands for: { userId, roles } (userId null for the admin key), or null when the key is
   * malformed, unknown, wrong, revoked or expired.
   */
  async verify(presented) {
    const key = presented.trim();
    if (this.adminKey && !key.startsWith('lk_')) {
      const given = Buffer.from(key, 'utf8');
      const admin = given.length === this.adminKey.length && crypto.timingSafeEqual(given, this.adminKey);
      return admin ? { userId: null, roles: new Set(['admin']) } : null;
    }
    const parsed = key.length === 3 + 12 + 1 + 43 ? FORMAT.exec(key) : null;
    if (!parsed) {
      return null;
    }
    const stored = await this.lookup(parsed[1]);
    if (!stored) {
      return null;
    }
    const hash = crypto.createHash('sha256').update(parsed[2], 'ascii').digest();
    if (hash.length !== stored.secretHash.length || !crypto.timingSafeEqual(hash, stored.secretHash)) {
      return null;
    }
    const now = Date.now();
    if (stored.revoked) {
      return null;
    }
    if (stored.expiresAt !== null && stored.expiresAt <= now) {
      return null;
    }
    this.lastUsed.set(stored.keyId, new Date(now).toISOString());
    return { userId: stored.userId, roles: stored.roles };
  }

  lookup(prefix) {
    const now = Date.now();
    const hit = this.cache.get(prefix);
    if (hit && hit.expires > now) {
      return hit.stored;
    }
    const stored = this.load(prefix);
    this.cache.delete(prefix);
    if (this.cache.size >= this.maxEntries) {
      this.cache.delete(this.cache.keys().next().value); // the oldest entry
    }
    const entry = { expires: now + this.ttlMs, stored };
    this.cache.set(prefix, entry);
    // A failed lookup (the database) is not remembered.
    stored.catch(() => this.cache.get(prefix) === entry && this.cache.delete(prefix));
    return stored;
  }

  async load(prefix) {
    const { rows } = await this.pool.query({ name: 'api-key', text: LOAD_SQL, values: [prefix] });
    if (rows.length === 0) {
      return null;
    }
    const row = rows[0];
    const userRoles = new Set(row.user_roles);
    return {
      keyId: row.id,
      userId: row.user_id,
      secretHash: row.secret_hash,
      roles: new Set(row.roles.filter((role) => userRoles.has(role))),
      expiresAt: row.expires_at === null ? null : Date.parse(isoInstant(row.expires_at)),
      revoked: row.revoked_at !== null,
    };
  }

  /** Writes the recorded last-use times in one statement; keeps them for the next round if that fails. */
  async flushLastUsed() {
    if (this.lastUsed.size === 0) {
      return;
    }
    const batch = new Map(this.lastUsed);
    this.lastUsed.clear();
    try {
      await this.pool.query(FLUSH_SQL, [[...batch.keys()], [...batch.values()]]);
    } catch (e) {
      for (const [id, at] of batch) {
        if (!this.lastUsed.has(id)) {
          this.lastUsed.set(id, at);
        }
      }
      console.warn(`could not record API key use: ${e.message}`);
    }
  }

  async close() {
    clearInterval(this.flushTimer);
    await this.flushLastUsed();
  }
}

module.exports = { ApiKeys };
