-- What TrialStore needs beyond 0002: each attempt's lease id, and each configuration's grid values.

-- Identifies the current attempt of a running trial: reports carrying another attempt's lease are stale.
ALTER TABLE trials ADD COLUMN lease_id uuid;

-- The grid values of each configuration of a sweep (shared by its seeds and folds), for reporting results
-- per configuration. json, not jsonb, because jsonb reorders keys and the grid's order is the one shown.
CREATE TABLE configs (
    sweep_id text NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    config_id text NOT NULL,
    params json NOT NULL,
    PRIMARY KEY (sweep_id, config_id)
);

-- Pages of a sweep's trials in plan order; also makes a plan position unique.
CREATE UNIQUE INDEX trials_sweep_ordinal ON trials (sweep_id, ordinal);
