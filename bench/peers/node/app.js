'use strict';
// The Node peer of two Lectern endpoints, over Lectern's own tables, for bench/compare.sh:
//   GET /api/v1/books/{book}/chapters/{chapter}   a chapter with its sections (ETag, If-None-Match -> 304)
//   PUT /api/v1/me/progress/chapters/{id}         the reading-progress upsert, authenticated by X-Api-Key
// Each sends the statements Lectern sends (copied from what PostgreSQL logs for Lectern with log_statement=all, and
// from dev.lectern.progress.reading.ReadingProgressStore) as named prepared statements, and answers the same bytes
// (lectern-json.js). Not covered: JWT bearer tokens (answered 401), X-On-Behalf-Of (ignored), metrics.
const fastify = require('fastify');
const pg = require('pg');
const { ApiKeys } = require('./api-keys');
const { str, instant, double } = require('./lectern-json');

// timestamptz as PostgreSQL's text (the session runs in UTC), reshaped by lectern-json.instant without losing the
// microseconds a Date would drop. bigint stays a string (pg's default): written as it is.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (text) => text);

// Hibernate's statement for ChapterRepository.findVisible(bookSlug, chapterSlug, drafts), as PostgreSQL receives it.
const CHAPTER_COLUMNS =
  'select c1_0.id,c1_0.author,c1_0.body,c1_0.book_id,c1_0.content_hash,c1_0.created_at,c1_0.deleted_at,' +
  'c1_0.difficulty,c1_0.estimated_reading_minutes,c1_0.number,o1_0.chapter_id,o1_1.id,o1_1.code,o1_1.created_at,' +
  'o1_1.description,o1_1.framework_id,o1_1.stage,o1_1.subject_id,o1_1.updated_at,c1_0.published,c1_0.published_at,' +
  'c1_0.slug,c1_0.source_path,c1_0.summary,c1_0.title,c1_0.updated_at,c1_0.version from chapters c1_0 ' +
  'left join chapter_outcomes o1_0 on c1_0.id=o1_0.chapter_id left join outcomes o1_1 on o1_1.id=o1_0.outcome_id ' +
  'where c1_0.slug=$1 and c1_0.deleted_at is null and c1_0.book_id=(select b1_0.id from books b1_0 ' +
  'where b1_0.slug=$2 and b1_0.deleted_at is null';
const CHAPTER_SQL = {
  false: CHAPTER_COLUMNS + ' and c1_0.published=true and b1_0.published=true)',
  true: CHAPTER_COLUMNS + ')',
};
// Column positions in a row of CHAPTER_SQL (rowMode 'array': the select names several columns "id").
const C = {
  id: 0, author: 1, contentHash: 4, createdAt: 5, difficulty: 7, minutes: 8, number: 9, outcomeId: 11, outcomeCode: 12,
  published: 19, publishedAt: 20, slug: 21, sourcePath: 22, summary: 23, title: 24, updatedAt: 25, version: 26,
};
const SECTIONS_SQL =
  'select s1_0.id,s1_0.anchor,s1_0.body,s1_0.chapter_id,s1_0.created_at,s1_0.number,s1_0.title,s1_0.updated_at ' +
  'from sections s1_0 where s1_0.chapter_id=$1 order by s1_0.number';
const S = { anchor: 1, body: 2, number: 5, title: 6 };

// ReadingProgressStore.upsert(drafts), with VisibleContent.chapters(drafts) in place.
const upsertSql = (chapters) => `WITH target AS (
    SELECT c.id FROM ${chapters} c
    WHERE c.id = $3
), ev AS (
    INSERT INTO progress_events (user_id, event_id, chapter_id, time_spent_seconds)
    SELECT $1, $2::uuid, id, $4::int FROM target WHERE $2::uuid IS NOT NULL
    ON CONFLICT (user_id, event_id) DO NOTHING
    RETURNING time_spent_seconds
), up AS (
    INSERT INTO reading_progress AS p (user_id, chapter_id, percent, section_number, section_offset,
                                       time_spent_seconds, completed_at)
    SELECT $1, id, $5::float8, $6::int, $7::int, COALESCE((SELECT time_spent_seconds FROM ev), 0),
           CASE WHEN $5::float8 >= 100 THEN now() END
    FROM target
    ON CONFLICT (user_id, chapter_id) DO UPDATE SET
        percent = CASE WHEN $8::bool THEN EXCLUDED.percent ELSE GREATEST(p.percent, EXCLUDED.percent) END,
        section_number = CASE WHEN $8::bool OR EXCLUDED.percent >= p.percent
                              THEN EXCLUDED.section_number ELSE p.section_number END,
        section_offset = CASE WHEN $8::bool OR EXCLUDED.percent >= p.percent
                              THEN EXCLUDED.section_offset ELSE p.section_offset END,
        time_spent_seconds = p.time_spent_seconds + EXCLUDED.time_spent_seconds,
        completed_at = CASE WHEN $8::bool THEN EXCLUDED.completed_at
                            ELSE COALESCE(p.completed_at, EXCLUDED.completed_at) END,
        updated_at = now()
    RETURNING p.chapter_id, p.percent, p.section_number, p.section_offset, p.time_spent_seconds,
              p.completed_at, p.updated_at
)
SELECT * FROM up`;
const UPSERT_SQL = { false: upsertSql('published_chapters'), true: upsertSql('live_chapters') };

const JSON_TYPE = 'application/json;charset=UTF-8';
const PROBLEM_TYPE = 'application/problem+json';
const CHALLENGE = 'Bearer, ApiKey header="X-Api-Key"';
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** An RFC 9457 problem as Lectern's dev.lectern.platform.Problem writes it. */
class Problem extends Error {
  constructor(status, slug, title, detail, errors = null, headers = {}) {
    super(detail);
    Object.assign(this, { status, slug, title, detail, errors, headers });
  }

  static invalid(errors, slug = 'validation', title = 'Invalid request') {
    errors.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
    return new Problem(400, slug, title, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }

  body(instance) {
    let json =
      `{"type":"https://lectern.dev/problems/${this.slug}","title":${str(this.title)},"status":${this.status},` +
      `"detail":${str(this.detail)},"instance":${str(instance)}`;
    if (this.errors) {
      json += `,"errors":[${this.errors.map((e) => `{"field":${str(e.field)},"message":${str(e.message)}}`).join(',')}]`;
      json += `,"errorCount":${this.errors.length}`;
    }
    return json + '}';
  }
}

const unauthorized = (detail) => new Problem(401, 'unauthorized', 'Unauthorized', detail, null, { 'WWW-Authenticate': CHALLENGE });

function buildApp({ pool, apiKeys }) {
  const app = fastify({ logger: false, routerOptions: { maxParamLength: 4096 } });

  // The body is parsed and checked by the handler, which answers Lectern's problems.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => done(null, body));

  app.setErrorHandler((error, req, reply) => {
    const problem =
      error instanceof Problem
        ? error
        : error.statusCode === 415
          ? new Problem(415, 'unsupported-media-type', 'Unsupported media type', error.message)
          : error.statusCode === 413
            ? new Problem(413, 'payload-too-large', 'Payload too large', error.message)
            : error.statusCode >= 400 && error.statusCode < 500
              ? new Problem(error.statusCode, 'bad-request', 'Bad request', error.message)
              : new Problem(503, 'unavailable', 'Service unavailable', 'the database did not answer');
    if (!(error instanceof Problem) && problem.status >= 500) {
      console.error(error);
    }
    sendProblem(reply, problem, req);
  });
  app.setNotFoundHandler((req, reply) => {
    sendProblem(reply, new Problem(404, 'not-found', 'Not found', 'no such resource'), req);
  });

  /** The caller from X-Api-Key: null when anonymous; a 401 problem for credentials that do not verify. */
  async function caller(req) {
    const key = req.headers['x-api-key'];
    if (key !== undefined) {
      const verified = await apiKeys.verify(key);
      if (!verified) {
        throw unauthorized('the credentials are invalid, expired or revoked');
      }
      return verified;
    }
    if (req.headers.authorization !== undefined) {
      throw unauthorized('the credentials are invalid, expired or revoked'); // the peer does not verify JWTs
    }
    return null;
  }
  const canSeeDrafts = (who) => who !== null && (who.roles.has('author') || who.roles.has('admin'));

  app.get('/api/v1/books/:book/chapters/:chapter', async (req, reply) => {
    const { book, chapter } = req.params;
    const drafts = canSeeDrafts(await caller(req));
    const client = await pool.connect();
    let rows;
    let sections;
    try {
      rows = (await client.query({ name: `chapter-${drafts}`, text: CHAPTER_SQL[drafts], values: [chapter, book], rowMode: 'array' })).rows;
      if (rows.length > 0) {
        sections = (await client.query({ name: 'sections', text: SECTIONS_SQL, values: [rows[0][C.id]], rowMode: 'array' })).rows;
      }
    } finally {
      client.release();
    }
    if (rows.length === 0) {
      throw new Problem(404, 'not-found', 'Not found', `no chapter '${chapter}' in book '${book}'`);
    }
    const c = rows[0];
    const etag = `"${c[C.version]}-${c[C.contentHash].slice(0, 16)}"`;
    if (matches(req.headers['if-none-match'], etag)) {
      return reply.code(304).header('ETag', etag).send();
    }
    return reply.header('ETag', etag).header('content-type', JSON_TYPE).send(chapterJson(book, rows, sections));
  });

  app.put('/api/v1/me/progress/chapters/:chapterId', async (req, reply) => {
    const who = await caller(req);
    if (who === null) {
      throw unauthorized('credentials are required: send Authorization: Bearer <JWT> or X-Api-Key');
    }
    const { chapterId } = req.params;
    if (!UUID.test(chapterId)) {
      throw new Problem(400, 'validation', 'Invalid request',
        `a query or path parameter has the wrong type: Invalid UUID string: ${chapterId}`);
    }
    const request = progressRequest(req.body);
    if (who.userId === null) {
      throw new Problem(403, 'no-user', 'No user',
        'the bootstrap admin key is not a user; create a user with POST /api/v1/admin/users and use its key for /api/v1/me');
    }
    const seconds = request.timeSpentSeconds ?? 0;
    if (seconds > 0 && request.eventId === null) {
      throw Problem.invalid([{ field: 'eventId', message: 'is required when timeSpentSeconds is given, so a retry cannot count the time twice' }]);
    }
    const position = request.position;
    const drafts = canSeeDrafts(who);
    const { rows } = await pool.query({
      name: `upsert-${drafts}`,
      text: UPSERT_SQL[drafts],
      values: [who.userId, request.eventId, chapterId, seconds, request.percent,
        position?.sectionNumber ?? null, position?.offset ?? null, request.reset === true],
    });
    if (rows.length === 0) {
      throw new Problem(404, 'not-found', 'Not found', `no chapter ${chapterId.toLowerCase()}`);
    }
    return reply.header('content-type', JSON_TYPE).send(progressJson(rows[0]));
  });

  return app;
}

// A Buffer, because Fastify appends "; charset=utf-8" to a string's content type unless it names a charset, and
// Lectern's problems carry none.
function sendProblem(reply, problem, req) {
  reply.code(problem.status).headers(problem.headers).header('content-type', PROBLEM_TYPE)
    .send(Buffer.from(problem.body(req.url.split('?')[0])));
}

/** RFC 9110 §13.1.2 as ChapterResource.matches: weak comparison, a list of tags, or "*". */
function matches(ifNoneMatch, etag) {
  if (ifNoneMatch === undefined) {
    return false;
  }
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

/** ChapterViews.ChapterView, field by field in the record's order. */
function chapterJson(book, rows, sections) {
  const c = rows[0];
  const outcomes = new Map();
  for (const row of rows) {
    if (row[C.outcomeId] !== null) {
      outcomes.set(row[C.outcomeId], row[C.outcomeCode]);
    }
  }
  const codes = [...outcomes.values()].sort(); // UTF-16 code unit order, as Java's String.compareTo
  let json =
    `{"id":"${c[C.id]}","book":${str(book)},"slug":${str(c[C.slug])},"number":${c[C.number]},` +
    `"title":${str(c[C.title])},"summary":${str(c[C.summary])},"difficulty":${str(c[C.difficulty])},` +
    `"estimatedReadingMinutes":${c[C.minutes]},"author":${str(c[C.author])},"published":${c[C.published]},` +
    `"publishedAt":${instant(c[C.publishedAt])},"outcomes":[${codes.map(str).join(',')}],` +
    `"contentHash":${str(c[C.contentHash])},"sourcePath":${str(c[C.sourcePath])},"version":${c[C.version]},` +
    `"createdAt":${instant(c[C.createdAt])},"updatedAt":${instant(c[C.updatedAt])},"sections":[`;
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i];
    json += (i > 0 ? ',' : '') +
      `{"number":${s[S.number]},"title":${str(s[S.title])},"anchor":${str(s[S.anchor])},"body":${str(s[S.body])}}`;
  }
  return json + ']}';
}

/** ReadingProgressViews.ChapterProgressView. */
function progressJson(r) {
  const position = r.section_number === null && r.section_offset === null
    ? 'null'
    : `{"sectionNumber":${r.section_number},"offset":${r.section_offset}}`;
  return `{"chapterId":"${r.chapter_id}","percent":${double(r.percent)},"position":${position},` +
    `"timeSpentSeconds":${r.time_spent_seconds},"completed":${r.completed_at !== null},` +
    `"completedAt":${instant(r.completed_at)},"updatedAt":${instant(r.updated_at)}}`;
}

// ---------------------------------------------------------------- the request body, as StrictJson and Bean Validation
const PROGRESS_FIELDS = new Set(['percent', 'position', 'timeSpentSeconds', 'eventId', 'reset']);
const POSITION_FIELDS = new Set(['sectionNumber', 'offset']);

/** ReadingProgressViews.UpdateProgressRequest, checked: a 400 problem for what Lectern refuses. */
function progressRequest(text) {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new Problem(400, 'validation', 'Invalid request', 'a request body is required', [{ field: 'body', message: 'must not be null' }], {});
  }
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Problem(400, 'malformed-json', 'Malformed JSON', 'request body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw typeError('', 'an object');
  }
  unknownFields(body, PROGRESS_FIELDS, '');
  const percent = typed(body, 'percent', 'number', 'a number', '');
  const position = body.position ?? null;
  if (position !== null && (typeof position !== 'object' || Array.isArray(position))) {
    throw typeError('position', 'an object');
  }
  if (position !== null) {
    unknownFields(position, POSITION_FIELDS, 'position.');
  }
  const request = {
    percent,
    position: position && {
      sectionNumber: integer(position, 'sectionNumber', 'position.'),
      offset: integer(position, 'offset', 'position.'),
    },
    timeSpentSeconds: integer(body, 'timeSpentSeconds', ''),
    eventId: null,
    reset: typed(body, 'reset', 'boolean', 'a boolean', ''),
  };
  const eventId = body.eventId ?? null;
  if (eventId !== null) {
    if (typeof eventId !== 'string' || !UUID.test(eventId)) {
      throw Problem.invalid([{ field: 'eventId', message: 'expected a UUID' }]);
    }
    request.eventId = eventId;
  }
  const errors = [];
  const range = (field, value, min, max) => {
    if (value !== null && min !== null && value < min) errors.push({ field, message: `must be greater than or equal to ${min}` });
    if (value !== null && max !== null && value > max) errors.push({ field, message: `must be less than or equal to ${max}` });
  };
  if (percent === null) {
    errors.push({ field: 'percent', message: 'must not be null' });
  }
  range('percent', percent, 0, 100);
  range('timeSpentSeconds', request.timeSpentSeconds, 0, 86400);
  if (request.position) {
    range('position.sectionNumber', request.position.sectionNumber, 1, null);
    range('position.offset', request.position.offset, 0, null);
  }
  if (errors.length > 0) {
    throw Problem.invalid(errors);
  }
  return request;
}

function unknownFields(object, known, prefix) {
  for (const name of Object.keys(object)) {
    if (!known.has(name)) {
      throw new Problem(400, 'validation', 'Invalid request', `unknown property '${name}'`,
        [{ field: prefix + name, message: 'unknown property' }]);
    }
  }
}

function typed(object, name, type, expected, prefix) {
  const value = object[name] ?? null;
  if (value !== null && typeof value !== type) {
    throw typeError(prefix + name, expected);
  }
  return value;
}

function integer(object, name, prefix) {
  const value = typed(object, name, 'number', 'an integer', prefix);
  if (value !== null && (!Number.isInteger(value) || value > 2147483647 || value < -2147483648)) {
    throw typeError(prefix + name, 'an integer');
  }
  return value;
}

function typeError(field, expected) {
  return field === ''
    ? new Problem(400, 'malformed-json', 'Malformed JSON', `expected ${expected}`)
    : new Problem(400, 'malformed-json', 'Malformed JSON', `${field}: expected ${expected}`, [{ field, message: `expected ${expected}` }]);
}

module.exports = { buildApp, ApiKeys, chapterJson, progressJson, matches, progressRequest, Problem };
