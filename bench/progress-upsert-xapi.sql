-- pgbench: the reading-progress upsert with xAPI on (ReadingProgressStore's UPSERT_XAPI, copied apart from the
-- parameters): the statement of bench/progress-upsert.sql plus the CTEs that queue its xAPI statements in
-- xapi_statements ("experienced" on a new row, "progressed" when the percent changed, "completed"). With xAPI off the
-- service sends bench/progress-upsert.sql's statement unchanged; this file measures what turning xAPI on costs.
-- Variables and parameters as in bench/progress-upsert.sql; the three statement ids ($9..$11, UUIDv7s the service
-- generates) are gen_random_uuid() here. -D reset=true makes nearly every write change the percent and so queue a
-- statement (the worst case); reset=false lets percent only rise, so most writes queue none once it is high.
\set n random(1, :chapters)
\set pct random(0, 100)
\set off random(0, 5000)
WITH target AS (
    SELECT c.id, c.slug, c.title, b.slug AS book_slug FROM published_chapters c JOIN books b ON b.id = c.book_id
    WHERE c.id = (SELECT id FROM bench_chapters WHERE n = :n)
), prev AS (
    SELECT percent FROM reading_progress WHERE user_id = :learner::uuid AND chapter_id = (SELECT id FROM bench_chapters WHERE n = :n)
), ev AS (
    INSERT INTO progress_events (user_id, event_id, chapter_id, time_spent_seconds)
    SELECT :learner::uuid, gen_random_uuid(), id, :secs::int FROM target WHERE gen_random_uuid() IS NOT NULL
    ON CONFLICT (user_id, event_id) DO NOTHING
    RETURNING time_spent_seconds
), up AS (
    INSERT INTO reading_progress AS p (user_id, chapter_id, percent, section_number, section_offset,
                                       time_spent_seconds, completed_at)
    SELECT :learner::uuid, id, :pct::float8, :section::int, :off::int, COALESCE((SELECT time_spent_seconds FROM ev), 0),
           CASE WHEN :pct::float8 >= 100 THEN now() END
    FROM target
    ON CONFLICT (user_id, chapter_id) DO UPDATE SET
        percent = CASE WHEN :reset::bool THEN EXCLUDED.percent ELSE GREATEST(p.percent, EXCLUDED.percent) END,
        section_number = CASE WHEN :reset::bool OR EXCLUDED.percent >= p.percent
                              THEN EXCLUDED.section_number ELSE p.section_number END,
        section_offset = CASE WHEN :reset::bool OR EXCLUDED.percent >= p.percent
                              THEN EXCLUDED.section_offset ELSE p.section_offset END,
        time_spent_seconds = p.time_spent_seconds + EXCLUDED.time_spent_seconds,
        completed_at = CASE WHEN :reset::bool THEN EXCLUDED.completed_at
                            ELSE COALESCE(p.completed_at, EXCLUDED.completed_at) END,
        updated_at = now()
    RETURNING p.chapter_id, p.percent, p.section_number, p.section_offset, p.time_spent_seconds,
              p.completed_at, p.updated_at, (p.xmax = 0) AS inserted
), xapi AS (
    INSERT INTO xapi_statements (id, user_id, verb, object_type, object_id, object_path, object_name, progress,
                                 duration_seconds, occurred_at)
    SELECT s.id, :learner::uuid, s.verb, 'chapter', up.chapter_id, '/books/' || t.book_slug || '/chapters/' || t.slug,
           left(t.title, 200), s.progress, NULL, now()
    FROM up CROSS JOIN target t CROSS JOIN LATERAL (VALUES
        (gen_random_uuid(), 'experienced', NULL::float8, up.inserted),
        (gen_random_uuid(), 'progressed', up.percent, up.completed_at IS DISTINCT FROM now() AND up.percent > 0
                                               AND up.percent IS DISTINCT FROM (SELECT percent FROM prev)),
        (gen_random_uuid(), 'completed', 100::float8, up.completed_at = now())
    ) s (id, verb, progress, wanted)
    WHERE s.wanted
)
SELECT * FROM up;
