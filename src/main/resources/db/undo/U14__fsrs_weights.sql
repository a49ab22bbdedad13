-- Inverts V14: the fitting jobs, the platform's default weights and the learners' weights go.
DROP TABLE review_fit_jobs;
DROP TABLE review_defaults;
ALTER TABLE review_logs DROP COLUMN duration_ms;
ALTER TABLE review_settings
    DROP CONSTRAINT review_settings_weights_source_present_check,
    DROP COLUMN weights_source,
    DROP COLUMN weights;
