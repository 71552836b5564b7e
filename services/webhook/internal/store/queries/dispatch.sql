-- name: ClaimDeliveries :many
-- Claims due deliveries for one dispatcher, skipping rows other
-- dispatchers are claiming; a claim is a lease that expires at
-- next_attempt_at, after which another dispatcher may take the row.
WITH claimed AS (
    UPDATE webhook.deliveries d
    SET claim_token = @claim_token, next_attempt_at = now() + make_interval(secs => @claim_seconds::double precision),
        updated_at = now()
    WHERE d.id IN (
        SELECT c.id FROM webhook.deliveries c
        WHERE c.status = 'pending' AND c.next_attempt_at <= now()
        ORDER BY c.next_attempt_at, c.id
        LIMIT @row_limit
        FOR UPDATE SKIP LOCKED
    )
    RETURNING d.id, d.event_id, d.endpoint_id, d.url, d.attempts
)
-- An endpoint's current URL wins over the one it had when the event arrived.
SELECT claimed.id, claimed.event_id, claimed.endpoint_id, coalesce(p.url, claimed.url)::text AS url, claimed.attempts,
       e.app_id, e.environment, e.body, e.created_at AS event_created_at,
       p.status AS endpoint_status, p.secret_cipher, p.secret_key_id
FROM claimed
JOIN webhook.events e ON e.id = claimed.event_id
LEFT JOIN webhook.endpoints p ON p.id = claimed.endpoint_id
ORDER BY claimed.id;

-- name: NextDue :one
-- When the earliest pending delivery is due (null when none is).
SELECT min(next_attempt_at)::timestamptz FROM webhook.deliveries WHERE status = 'pending';

-- name: InsertAttempt :exec
INSERT INTO webhook.attempts (delivery_id, attempt, attempted_at, url, status_code, latency_ms, error, response_body, success, next_retry_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);

-- name: FinishAttempt :execrows
-- Records an attempt's outcome, only for the claim that made it.
UPDATE webhook.deliveries
SET status = @status, attempts = @attempts, next_attempt_at = @next_attempt_at, claim_token = '', updated_at = now()
WHERE id = @id AND claim_token = @claim_token AND status = 'pending';
