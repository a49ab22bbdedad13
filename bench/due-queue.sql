-- psql script for bench/progress.sh: seeds the review-item due queue, or explains the due query.
-- Usage: psql -v seed=1 -v explain=0 -v learner=<uuid> -v learners=1000 -v per_learner=999 -v learner_items=1000 -f due-queue.sql
--        psql -v seed=0 -v explain=1 -v learner=<uuid> -v page=21 -f due-queue.sql
\set ON_ERROR_STOP on

\if :seed
-- :learners other learners, inserted directly (random v4 ids; the service's own ids are v7, which does not
-- matter to the due index, whose leading column is user_id).
INSERT INTO users (id, display_name, roles)
SELECT gen_random_uuid(), 'due-bench learner ' || g, ARRAY['learner'] FROM generate_series(1, :learners) g;

-- Each other learner gets :per_learner items due anywhere from 30 days ago to 30 days ahead; the benchmark
-- learner gets :learner_items items with due times evenly spread over the same 60 days, so about half of them
-- are due now. Rows are written round-robin over the learners (item g of every learner, then item g + 1, ...),
-- as items created over time would be, so one learner's items are spread over the whole heap, not clustered.
INSERT INTO review_items (id, user_id, front, back, state, step, stability, difficulty, due, last_review, reps, lapses,
                          created_at, updated_at)
SELECT gen_random_uuid(), t.user_id, 'Question ' || t.g || ': what does the index on (user_id, due, id) serve?',
       'Answer ' || t.g || ': the due queue, as a range scan in due order.',
       'review', NULL, 1 + random() * 100, 1 + random() * 9,
       CASE WHEN t.bench THEN now() - interval '30 days' + (t.g - 0.5) / t.quota * interval '60 days'
            ELSE now() + (random() * 60 - 30) * interval '1 day' END,
       now() - interval '31 days' + random() * interval '1 day', 1 + (random() * 10)::int, 0,
       now() - interval '31 days', now() - interval '31 days'
FROM (
    SELECT g, u.user_id, u.quota, u.bench
    FROM (SELECT id AS user_id, :per_learner AS quota, false AS bench FROM users WHERE display_name LIKE 'due-bench learner %'
          UNION ALL
          SELECT :'learner'::uuid, :learner_items, true) u
    CROSS JOIN generate_series(1, greatest(:per_learner, :learner_items)) g
    WHERE g <= u.quota
    ORDER BY g, u.user_id
) t;
VACUUM ANALYZE users;
VACUUM ANALYZE review_items;
\endif

\if :explain
-- The due query exactly as DueQueueStore.page sends it for GET /api/v1/me/reviews/due?limit=20 without a cursor
-- (DueQueueStore.DUE_FIRST): $2 is "now" and $3 limit + 1 (= :page) rows, the extra row telling the service whether
-- there is a next page. The Vert.x client prepares it once per connection, so after five executions PostgreSQL may
-- switch to a generic plan: execute it six times first, then explain the seventh, the plan the service is using.
PREPARE due_page(uuid, timestamptz, int) AS
SELECT id, outcome_id, chapter_id, section_number, front, back, state, step, stability, difficulty, due, last_review,
       reps, lapses, version, created_at, updated_at
  FROM review_items WHERE user_id = $1 AND due <= $2 ORDER BY due, id LIMIT $3;
\o /dev/null
EXECUTE due_page(:'learner', now(), :page);
EXECUTE due_page(:'learner', now(), :page);
EXECUTE due_page(:'learner', now(), :page);
EXECUTE due_page(:'learner', now(), :page);
EXECUTE due_page(:'learner', now(), :page);
EXECUTE due_page(:'learner', now(), :page);
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE due_page(:'learner', now(), :page);
\endif
