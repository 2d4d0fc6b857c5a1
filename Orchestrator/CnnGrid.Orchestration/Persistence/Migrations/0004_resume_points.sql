-- Resuming a trial whose worker was lost from its last completed epoch instead of epoch 1.

-- One row per running trial: its training state after the newest epoch reported (opaque to the orchestrator,
-- written by the trainer). Deleted when the trial ends.
CREATE TABLE resume_points (
    trial_id text PRIMARY KEY REFERENCES trials (id) ON DELETE CASCADE,
    epoch integer NOT NULL CHECK (epoch >= 1),
    state bytea NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now()
);

-- The epoch the trial's current attempt resumed after (its earlier epochs were trained by a lost attempt);
-- NULL when the attempt started at epoch 1.
ALTER TABLE trials ADD COLUMN resumed_from_epoch integer CHECK (resumed_from_epoch >= 1);
