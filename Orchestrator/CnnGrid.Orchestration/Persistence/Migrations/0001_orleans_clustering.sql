-- Orleans cluster membership for Microsoft.Orleans.Clustering.AdoNet (invariant "Npgsql").
--
-- The provider reads its SQL from the table it queries as `SELECT QueryKey, QueryText FROM OrleansQuery`
-- (unquoted, so PostgreSQL folds it to orleansquery). It binds named parameters (@DeploymentId = the
-- cluster id, @Address/@Port/@Generation = a silo address, @Status = SiloStatus as an integer, @Version =
-- the table version it last read, ...) and reads result columns by name, so every query below aliases
-- our snake_case columns to the names the provider expects ("Address", "Port", "Version", ...).
--
-- Optimistic concurrency: each cluster has one row in orleans_cluster_versions. Every membership change
-- (insert or update of a member row) must name the version it read and bumps it in the same statement;
-- a writer holding a stale version changes nothing and gets false back. I-am-alive heartbeats do not bump
-- the version. Timestamps are timestamptz: the provider writes UTC DateTimes and treats what it reads as UTC.

CREATE TABLE orleans_cluster_versions (
    cluster_id text PRIMARY KEY,
    version integer NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orleans_cluster_members (
    cluster_id text NOT NULL REFERENCES orleans_cluster_versions (cluster_id) ON DELETE CASCADE,
    address text NOT NULL,
    port integer NOT NULL,
    generation integer NOT NULL,
    silo_name text NOT NULL,
    host_name text NOT NULL,
    status integer NOT NULL,
    -- 0 when the silo has no gateway endpoint.
    proxy_port integer NOT NULL,
    -- "silo-address,date|silo-address,date" as the provider formats it; NULL when nobody suspects the silo.
    suspect_times text,
    start_time timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

-- The membership as the provider reads it: one row per member (all members, or the one silo named), each
-- carrying the table version. The LEFT JOIN yields a single row with NULL member columns, which the provider
-- recognises by its NULL "StartTime", when there is no such member, so the version always comes back.
CREATE FUNCTION orleans_membership_rows(
    p_cluster_id text, p_address text, p_port integer, p_generation integer)
RETURNS TABLE (
    "Version" integer, "Address" text, "Port" integer, "Generation" integer, "SiloName" text,
    "HostName" text, "Status" integer, "ProxyPort" integer, "SuspectTimes" text,
    "StartTime" timestamptz, "IAmAliveTime" timestamptz)
LANGUAGE sql STABLE
AS $$
    SELECT v.version, m.address, m.port, m.generation, m.silo_name,
           m.host_name, m.status, m.proxy_port, m.suspect_times,
           m.start_time, m.i_am_alive_time
    FROM orleans_cluster_versions v
    LEFT JOIN orleans_cluster_members m
           ON m.cluster_id = v.cluster_id
          AND (p_address IS NULL
               OR (m.address = p_address AND m.port = p_port AND m.generation = p_generation))
    WHERE v.cluster_id = p_cluster_id
$$;

CREATE TABLE orleansquery (
    querykey text PRIMARY KEY,
    querytext text NOT NULL
);

INSERT INTO orleansquery (querykey, querytext) VALUES

-- Called once per silo start. Returns one boolean: whether this call created the cluster's version row.
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO orleans_cluster_versions (cluster_id)
    VALUES (@DeploymentId)
    ON CONFLICT (cluster_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created);
$sql$),

('MembershipReadAllKey', $sql$
SELECT * FROM orleans_membership_rows(@DeploymentId, NULL, NULL, NULL);
$sql$),

('MembershipReadRowKey', $sql$
SELECT * FROM orleans_membership_rows(@DeploymentId, @Address, @Port, @Generation);
$sql$),

-- Adds a silo if the caller's table version is current and the silo is not already there; one boolean.
('InsertMembershipKey', $sql$
WITH bumped AS (
    UPDATE orleans_cluster_versions
    SET version = version + 1, changed_at = now()
    WHERE cluster_id = @DeploymentId
      AND version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM orleans_cluster_members
          WHERE cluster_id = @DeploymentId
            AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING cluster_id
), added AS (
    INSERT INTO orleans_cluster_members (
        cluster_id, address, port, generation, silo_name, host_name, status, proxy_port,
        start_time, i_am_alive_time)
    SELECT cluster_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
           @StartTime, @IAmAliveTime
    FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM added);
$sql$),

-- Changes a silo's status and suspicions if the caller's table version is current; one boolean.
('UpdateMembershipKey', $sql$
WITH bumped AS (
    UPDATE orleans_cluster_versions
    SET version = version + 1, changed_at = now()
    WHERE cluster_id = @DeploymentId
      AND version = @Version
      AND EXISTS (
          SELECT 1 FROM orleans_cluster_members
          WHERE cluster_id = @DeploymentId
            AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING cluster_id
), changed AS (
    UPDATE orleans_cluster_members m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM bumped
    WHERE m.cluster_id = bumped.cluster_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM changed);
$sql$),

-- Heartbeat: no version check, no version bump.
('UpdateIAmAlivetimeKey', $sql$
UPDATE orleans_cluster_members
SET i_am_alive_time = @IAmAliveTime
WHERE cluster_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation;
$sql$),

-- Forgets a whole cluster; its members go with the version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM orleans_cluster_versions
WHERE cluster_id = @DeploymentId;
$sql$),

-- Removes dead silos (SiloStatus.Dead = 6) that have not been heard from since @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM orleans_cluster_members
WHERE cluster_id = @DeploymentId
  AND status = 6
  AND i_am_alive_time < @IAmAliveTime;
$sql$),

-- Optional in Orleans 10: when present the provider reads all rows, picks dead silos whose start, last
-- heartbeat and suspicions all predate the cut-off, and removes each one only if the row still holds
-- exactly the values it read (so a row changed in between survives).
('CleanupDefunctSiloEntryKey', $sql$
DELETE FROM orleans_cluster_members
WHERE cluster_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND suspect_times IS NOT DISTINCT FROM @SuspectTimes;
$sql$),

-- Gateways a client may connect to: active silos (@Status = 3) that expose a gateway port.
('GatewaysQueryKey', $sql$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM orleans_cluster_members
WHERE cluster_id = @DeploymentId
  AND status = @Status
  AND proxy_port > 0;
$sql$);
