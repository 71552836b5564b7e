-- name: InsertOutbox :exec
INSERT INTO job.outbox (event_id, event_type, job_id, payload) VALUES ($1, $2, $3, $4);

-- name: NotifyOutbox :exec
-- Wakes the relays at commit; identical notifications in one transaction
-- are folded into one by Postgres.
SELECT pg_notify('job_outbox', '');

-- name: TryLockOutbox :one
-- One relay at a time across replicas, so events leave in commit order;
-- released when the relay's transaction ends.
SELECT pg_try_advisory_xact_lock(@lock_key::bigint);

-- name: ListOutbox :many
SELECT seq, event_id, payload FROM job.outbox ORDER BY seq LIMIT @row_limit;

-- name: DeleteOutbox :exec
DELETE FROM job.outbox WHERE seq = ANY(@seqs::bigint[]);

-- name: OutboxBacklog :one
-- How many events wait and how old the oldest is, for health and tests.
SELECT count(*)::bigint AS pending, coalesce(min(created_at), now())::timestamptz AS oldest FROM job.outbox;
