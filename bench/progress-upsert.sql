-- pgbench: the reading-progress upsert, i.e. the ONE statement the service sends for
-- PUT /api/v1/me/progress/chapters/{chapterId} (ReadingProgressStore.UPSERT, copied verbatim apart from
-- the parameters), for a learner: a caller who does not see drafts writes only to a published chapter of a published
-- book (VisibleContent.chapters(false), the view published_chapters). Used by bench/progress.sh and bench/compare.sh.
-- Variables: -D learner=<user uuid> -D chapters=<N> -D secs=1 -D section=1 -D reset=false; the table bench_chapters(n, id)
-- holds the seeded chapters' ids numbered 1..N (bench/progress.sh and bench/compare.sh create it).
-- Parameters, as the service fills them:
--   $1 user id          -> :learner::uuid (the service sends a typed uuid; pgbench sends untyped text, and an
--                          uncast parameter in an INSERT ... SELECT list would be resolved as text)
--   $2 event id         -> gen_random_uuid() (a fresh event per transaction, as the HTTP load does; it appears
--                          twice in the statement, so the IS NOT NULL test gets its own, equally non-null, value)
--   $3 chapter id       -> (SELECT id FROM bench_chapters WHERE n = :n), a random seeded chapter (primary-key
--                          lookup in a 200-row table, evaluated once as an InitPlan)
--   $4 seconds          -> :secs (1)         $5 percent -> random 0..100, like the wrk script
--   $6 section number   -> :section (1)      $7 offset  -> random 0..5000      $8 reset -> :reset (false)
\set n random(1, :chapters)
\set pct random(0, 100)
\set off random(0, 5000)
WITH target AS (
    SELECT c.id FROM published_chapters c
    WHERE c.id = (SELECT id FROM bench_chapters WHERE n = :n)
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
              p.completed_at, p.updated_at
)
SELECT * FROM up;
