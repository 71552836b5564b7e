-- name: InsertPreset :one
INSERT INTO preset.presets (
    id, app_id, environment, slug, name, description, content_type, container, faststart,
    delivery_format, streaming, video, audio, quality_tier, estimated_cost_per_minute
) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
RETURNING *;

-- name: GetPreset :one
-- Visibility: an app sees its own presets of the caller's environment and
-- every system preset.
SELECT * FROM preset.presets
WHERE id = @id AND ((app_id = @app_id AND environment = @environment) OR system_preset);

-- name: GetPresetBySlug :one
-- The app's live preset, else a live system preset, else the app's most
-- recently archived preset with that slug.
SELECT * FROM preset.presets
WHERE slug = @slug AND ((app_id = @app_id AND environment = @environment) OR system_preset)
ORDER BY archived_at IS NULL DESC, system_preset ASC, archived_at DESC
LIMIT 1;

-- name: SystemSlugTaken :one
SELECT EXISTS (SELECT 1 FROM preset.presets WHERE system_preset AND slug = $1 AND archived_at IS NULL);

-- name: ListPresets :many
-- codec is the protojson enum value name stored in video ("VIDEO_CODEC_H264").
SELECT * FROM preset.presets
WHERE ((app_id = @app_id AND environment = @environment) OR (@include_system::boolean AND system_preset))
  AND (@include_archived::boolean OR archived_at IS NULL)
  AND (@codec::text = '' OR video->>'codec' = @codec)
  AND (@delivery_format::text = '' OR delivery_format = @delivery_format)
  AND (sqlc.narg('cursor_created_at')::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg('cursor_created_at'), @cursor_id::text))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit OFFSET @row_offset;

-- name: UpdatePreset :one
-- Only live app presets change; zero rows means the preset is a system
-- preset, archived, or not the caller's.
UPDATE preset.presets
SET name = @name, description = @description, content_type = @content_type, container = @container,
    faststart = @faststart, delivery_format = @delivery_format, streaming = @streaming, video = @video,
    audio = @audio, quality_tier = @quality_tier, estimated_cost_per_minute = @estimated_cost_per_minute,
    updated_at = now()
WHERE id = @id AND app_id = @app_id AND environment = @environment AND NOT system_preset AND archived_at IS NULL
RETURNING *;

-- name: ArchivePreset :one
UPDATE preset.presets SET archived_at = coalesce(archived_at, now()), updated_at = now()
WHERE id = @id AND app_id = @app_id AND environment = @environment AND NOT system_preset
RETURNING *;

-- name: ResolvePresetByID :one
SELECT * FROM preset.presets WHERE id = @id AND ((app_id = @app_id AND environment = @environment) OR system_preset);

-- name: ResolvePresetsBySlug :many
-- Every preset of the app's environment and every system preset with the
-- slug, live ones first, the app's before the system's.
SELECT * FROM preset.presets
WHERE slug = @slug AND ((app_id = @app_id AND environment = @environment) OR system_preset)
ORDER BY archived_at IS NULL DESC, system_preset ASC, archived_at DESC, id;
