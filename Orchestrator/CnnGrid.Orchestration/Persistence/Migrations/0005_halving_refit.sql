-- Successive halving (trials paused at a rung until their sweep stops or promotes them) and the refit of a sweep's
-- best configuration on all its training images, evaluated on the held-out test split.

ALTER TABLE trials DROP CONSTRAINT trials_state_check;
ALTER TABLE trials ADD CONSTRAINT trials_state_check
    CHECK (state IN ('queued', 'running', 'paused', 'waiting', 'completed', 'failed', 'diverged', 'cancelled'));

-- The rung (0 for the first) at which successive halving stopped the trial's configuration; NULL when it was not
-- stopped by pruning (it ran to the last rung, or the sweep does not halve).
ALTER TABLE trials ADD COLUMN stopped_at_rung integer CHECK (stopped_at_rung >= 0);

-- The sweep's refit: one trial of its best configuration on every training image, tested on the test split. Not a
-- fold of any configuration: results per configuration leave it out.
ALTER TABLE trials ADD COLUMN refit boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX trials_one_refit ON trials (sweep_id) WHERE refit;

-- The sweeps with something to decide (a paused trial, a waiting refit), found every second by the conductor.
CREATE INDEX trials_paused_or_waiting ON trials (sweep_id) WHERE state IN ('paused', 'waiting');
