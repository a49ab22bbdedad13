-- FSRS-6 weights per learner (set by the learner or fitted to their review log) and the platform's default weights,
-- and the fitting jobs (issue 17). A learner without weights is scheduled with the platform's, and without those with
-- the FSRS-6 defaults built into the scheduler. Bounds of each weight are checked by the service (Fsrs.Settings).
ALTER TABLE review_settings
    ADD COLUMN weights double precision[]
        CONSTRAINT review_settings_weights_check CHECK (array_ndims(weights) = 1 AND cardinality(weights) = 21),
    ADD COLUMN weights_source text
        CONSTRAINT review_settings_weights_source_check CHECK (weights_source IN ('learner', 'fitted')),
    ADD CONSTRAINT review_settings_weights_source_present_check CHECK ((weights IS NULL) = (weights_source IS NULL));

-- How long a review took, when the client says (the review_duration of the FSRS optimizer's CSV format).
ALTER TABLE review_logs
    ADD COLUMN duration_ms integer CONSTRAINT review_logs_duration_check CHECK (duration_ms BETWEEN 0 AND 86400000);

CREATE TABLE review_defaults (
    id          smallint PRIMARY KEY DEFAULT 1 CONSTRAINT review_defaults_single_row_check CHECK (id = 1),
    weights     double precision[] NOT NULL
                CONSTRAINT review_defaults_weights_check CHECK (array_ndims(weights) = 1 AND cardinality(weights) = 21),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One fit of a learner's weights: queued, running, then succeeded (weights fitted, or the defaults kept when the log is
-- too short) or failed. Metrics compare the weights in use before with the fitted ones on the same reviews.
CREATE TABLE review_fit_jobs (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status           text NOT NULL CONSTRAINT review_fit_jobs_status_check CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    outcome          text CONSTRAINT review_fit_jobs_outcome_check CHECK (outcome IN ('fitted', 'kept')),
    reviews          integer NOT NULL DEFAULT 0 CONSTRAINT review_fit_jobs_reviews_check CHECK (reviews >= 0),
    progress         double precision NOT NULL DEFAULT 0 CONSTRAINT review_fit_jobs_progress_check CHECK (progress BETWEEN 0 AND 1),
    log_loss_before  double precision,
    log_loss_after   double precision,
    rmse_bins_before double precision,
    rmse_bins_after  double precision,
    weights          double precision[] CONSTRAINT review_fit_jobs_weights_check CHECK (array_ndims(weights) = 1 AND cardinality(weights) = 21),
    message          text CONSTRAINT review_fit_jobs_message_check CHECK (length(message) <= 2000),
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_fit_jobs_user_id_idx ON review_fit_jobs (user_id, created_at DESC);
-- One fit at a time per learner, across replicas; a job whose replica died is failed by the next request (stale
-- heartbeat) before a new one is queued.
CREATE UNIQUE INDEX review_fit_jobs_one_active_idx ON review_fit_jobs (user_id) WHERE status IN ('queued', 'running');
