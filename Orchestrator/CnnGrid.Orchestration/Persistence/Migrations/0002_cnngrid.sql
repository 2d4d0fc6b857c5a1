-- CnnGrid's sweeps, trials, per-epoch metrics and checkpoints.
--
-- Sized for sweeps of 100,000 trials: every query the orchestrator runs per trial (claim the next queued
-- trial, renew or expire a lease, record an outcome, upsert an epoch) touches a bounded number of rows
-- through an index, and per-configuration aggregation (mean ± std over folds) reads only `trials`, which
-- carries each trial's final/best accuracies, never `epoch_metrics`.

CREATE TABLE sweeps (
    id text PRIMARY KEY,
    name text NOT NULL,
    -- The sweep as submitted (search space, dataset, folds, ...).
    spec jsonb NOT NULL,
    state text NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    total_trials integer NOT NULL CHECK (total_trials >= 0),
    -- Why the sweep failed or was cancelled.
    reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz
);

CREATE INDEX sweeps_created_at ON sweeps (created_at DESC);

-- Lease renewals only touch lease_expires_at, which no index covers, so with free space on each page
-- (fillfactor) they are HOT updates that do not grow the indexes.
CREATE TABLE trials (
    -- Deterministic id of the trial, so re-submitting the same work addresses the same row.
    id text PRIMARY KEY,
    sweep_id text NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    -- Position in the sweep's enumeration order; queued trials are handed out in this order.
    ordinal integer NOT NULL CHECK (ordinal >= 0),
    -- Hash of the hyperparameter configuration without the fold: the folds of one configuration share it.
    config_id text NOT NULL,
    -- The full trial specification (configuration and fold).
    config jsonb NOT NULL,
    fold integer NOT NULL CHECK (fold >= 0),
    seed integer NOT NULL,
    state text NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'completed', 'failed', 'diverged', 'cancelled')),
    -- The worker running (or that last ran) the trial.
    worker text,
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- A running trial whose lease has expired is considered abandoned by its worker.
    lease_expires_at timestamptz,
    outcome text CHECK (outcome IN ('completed', 'diverged', 'cancelled', 'failed')),
    reason text,
    epochs_trained integer CHECK (epochs_trained >= 0),
    final_val_accuracy double precision,
    final_val_loss double precision,
    best_val_accuracy double precision,
    -- 1-based; 0 when no epoch finished.
    best_epoch integer CHECK (best_epoch >= 0),
    test_accuracy double precision,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    -- Sum of the epochs' training and validation time.
    train_seconds double precision
) WITH (fillfactor = 90);

-- The scheduler's "next queued trials of this sweep" (ORDER BY ordinal LIMIT n FOR UPDATE SKIP LOCKED):
-- the partial index holds only queued trials, so it shrinks as the sweep progresses.
CREATE INDEX trials_queued ON trials (sweep_id, ordinal) WHERE state = 'queued';

-- Running trials are few (one per worker slot): find a worker's trials and expired leases without
-- scanning the sweep.
CREATE INDEX trials_running ON trials (worker) WHERE state = 'running';

-- Progress: trials per state of a sweep.
CREATE INDEX trials_sweep_state ON trials (sweep_id, state);

-- Aggregation per configuration (GROUP BY config_id) and all folds of one configuration.
CREATE INDEX trials_sweep_config ON trials (sweep_id, config_id);

CREATE TABLE epoch_metrics (
    trial_id text NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
    -- 1-based.
    epoch integer NOT NULL CHECK (epoch >= 1),
    train_loss double precision NOT NULL,
    train_accuracy double precision NOT NULL,
    val_loss double precision NOT NULL,
    val_accuracy double precision NOT NULL,
    -- Validation accuracy of each class, by class index.
    per_class_accuracy double precision[] NOT NULL,
    -- Validation counts as [true class][predicted class].
    confusion_matrix jsonb NOT NULL,
    duration_seconds double precision NOT NULL,
    images_per_second double precision NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    -- A retried or re-reported epoch overwrites its row (INSERT ... ON CONFLICT (trial_id, epoch) DO UPDATE).
    PRIMARY KEY (trial_id, epoch)
);

-- The best epoch's weights of a trial (TorchSharp state-dict bytes).
CREATE TABLE checkpoints (
    trial_id text PRIMARY KEY REFERENCES trials (id) ON DELETE CASCADE,
    epoch integer NOT NULL CHECK (epoch >= 1),
    bytes bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Float weights barely compress: store them out of line without spending CPU on compression.
ALTER TABLE checkpoints ALTER COLUMN bytes SET STORAGE EXTERNAL;
