-- +goose Up
CREATE SCHEMA IF NOT EXISTS preset;

-- presets holds app presets and the read-only system presets.
--
-- System presets have app_id = '' and environment = '' and are visible to
-- every app in both environments; only migrations write them.
--
-- Enum columns hold the public wire names ('mp4', 'hls', 'standard');
-- '' is the unspecified value where one is allowed. video, audio and
-- streaming hold the protojson (proto field names, enum value names) of
-- transcodely.v1.PresetVideo, PresetAudio and StreamingSettings, already
-- completed with defaults by the service; audio and streaming are NULL when
-- the preset has no audio track / is progressive.
--
-- Slugs: a slug is unique among an app's non-archived presets of one
-- environment (partial unique index below), so archiving a preset frees its
-- slug for a new one and the same slug can exist in live and test. System
-- slugs are unique among system presets by the same index (app_id = '' and
-- environment = ''). The service also refuses app slugs that a system
-- preset already uses, so a slug names one preset for an app; should a
-- later migration add a system slug an app already has, the app's own
-- preset wins every lookup by slug.
CREATE TABLE preset.presets (
    id                        text PRIMARY KEY,
    app_id                    text NOT NULL,
    environment               text NOT NULL,
    slug                      text NOT NULL CHECK (slug ~ '^[a-z0-9_]{1,64}$'),
    name                      text NOT NULL,
    description               text NOT NULL DEFAULT '',
    content_type              text NOT NULL DEFAULT ''
        CHECK (content_type IN ('', 'film', 'animation', 'grain', 'gaming', 'sports', 'stillimage')),
    container                 text NOT NULL CHECK (container IN ('mp4', 'webm', 'mkv', 'ts', 'mov')),
    faststart                 boolean NOT NULL DEFAULT false,
    delivery_format           text NOT NULL CHECK (delivery_format IN ('progressive', 'hls', 'dash', 'cmaf')),
    streaming                 jsonb,
    video                     jsonb NOT NULL,
    audio                     jsonb,
    quality_tier              text NOT NULL CHECK (quality_tier IN ('economy', 'standard', 'premium')),
    -- EUR per output minute at standard priority (see the price table below).
    estimated_cost_per_minute double precision NOT NULL CHECK (estimated_cost_per_minute >= 0),
    system_preset             boolean NOT NULL DEFAULT false,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    archived_at               timestamptz,
    CHECK (system_preset = (app_id = '') AND system_preset = (environment = '')),
    CHECK ((delivery_format = 'progressive') = (streaming IS NULL))
);

CREATE UNIQUE INDEX presets_slug_live_idx ON preset.presets (app_id, environment, slug) WHERE archived_at IS NULL;
CREATE INDEX presets_app_created_idx ON preset.presets (app_id, environment, created_at DESC, id DESC);

-- System presets.
--
-- Ids are fixed so that jobs and documentation can name them: "pst_sys",
-- then the codec, the resolution and the tier (std, eco, prm), without
-- underscores because ids match ^pst_[A-Za-z0-9]+$.
--
-- estimated_cost_per_minute follows the job price table (EUR per output
-- minute, standard priority), as compat.CostPerMinute computes it:
--
--   base by short side   <=576 0.005 | <=1080 0.010 | <=1440 0.015 | <=2160 0.030 | above 0.060
--   x codec              h264 1 | h265 1.5 | vp9 1.5 | av1 2.5
--   x quality tier       economy 0.8 | standard 1 | premium 1.3
--
--   slug                       id                        base    codec  tier   EUR/min
--   h264_1080p_standard        pst_sysh2641080pstd       0.010   1      1      0.010
--   h264_720p_standard         pst_sysh264720pstd        0.010   1      1      0.010
--   h264_720p_economy          pst_sysh264720peco        0.010   1      0.8    0.008
--   h264_480p_economy          pst_sysh264480peco        0.005   1      0.8    0.004
--   h265_1080p_standard        pst_sysh2651080pstd       0.010   1.5    1      0.015
--   h265_2160p_premium         pst_sysh2652160pprm       0.030   1.5    1.3    0.0585
--   vp9_1080p_standard         pst_sysvp91080pstd        0.010   1.5    1      0.015
--   vp9_720p_economy           pst_sysvp9720peco         0.010   1.5    0.8    0.012
--   av1_1080p_premium          pst_sysav11080pprm        0.010   2.5    1.3    0.0325
--   av1_720p_standard          pst_sysav1720pstd         0.010   2.5    1      0.025
--   hls_h264_ladder_standard   pst_syshlsh264ladderstd   0.010   1      1      0.010
--
-- The HLS ladder preset describes its top (1080p) rung and is priced by it.
-- Video uses the quality tier's CRF and encoder speed (the job encoder plan's
-- tiers) with a 2 s keyframe interval; audio is AAC (Opus in WebM), 128 kbps,
-- 48 kHz stereo.
INSERT INTO preset.presets (id, app_id, environment, slug, name, description, container, faststart,
    delivery_format, streaming, video, audio, quality_tier, estimated_cost_per_minute, system_preset,
    created_at, updated_at)
SELECT v.id, '', '', v.slug, v.name, v.description, v.container, v.faststart, v.delivery_format,
    v.streaming::jsonb, v.video::jsonb, v.audio::jsonb, v.quality_tier, v.cost, true,
    '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
FROM (VALUES
    ('pst_sysh2641080pstd', 'h264_1080p_standard', 'H.264 1080p Standard',
     'Full HD H.264 in MP4 for progressive web playback.', 'mp4', true, 'progressive', NULL,
     '{"codec":"VIDEO_CODEC_H264","resolution":"RESOLUTION_1080P","bitrate_mode":"BITRATE_MODE_CRF","crf":23,"profile":"high","encoder_preset":"faster","gop_seconds":2}',
     '{"codec":"AUDIO_CODEC_AAC","bitrate_kbps":128,"sample_rate":48000,"channels":2}',
     'standard', 0.010),
    ('pst_sysh264720pstd', 'h264_720p_standard', 'H.264 720p Standard',
     'HD H.264 in MP4 for progressive web playback.', 'mp4', true, 'progressive', NULL,
     '{"codec":"VIDEO_CODEC_H264","resolution":"RESOLUTION_720P","bitrate_mode":"BITRATE_MODE_CRF","crf":23,"profile":"high","encoder_preset":"faster","gop_seconds":2}',
     '{"codec":"AUDIO_CODEC_AAC","bitrate_kbps":128,"sample_rate":48000,"channels":2}',
     'standard', 0.010),
    ('pst_sysh264720peco', 'h264_720p_economy', 'H.264 720p Economy',
     'HD H.264 in MP4, faster and smaller at some cost in quality.', 'mp4', true, 'progressive', NULL,
     '{"codec":"VIDEO_CODEC_H264","resolution":"RESOLUTION_720P","bitrate_mode":"BITRATE_MODE_CRF","crf":26,"profile":"main","encoder_preset":"veryfast","gop_seconds":2}',
     '{"codec":"AUDIO_CODEC_AAC","bitrate_kbps":128,"sample_rate":48000,"channels":2}',
     'economy', 0.008),
    ('pst_sysh264480peco', 'h264_480p_economy', 'H.264 480p Economy',
     'SD H.264 in MP4 for previews and slow connections.', 'mp4', true, 'progressive', NULL,
     '{"codec":"VIDEO_CODEC_H264","resolution":"RESOLUTION_480P","bitrate_mode":"BITRATE_MODE_CRF","crf":26,"profile":"main","encoder_preset":"veryfast","gop_seconds":2}',
     '{"codec":"AUDIO_CODEC_AAC","bitrate_kbps":128,"sample_rate":48000,"channels":2}',
     'economy', 0.004),
    ('pst_sysh2651080pstd', 'h265_1080p_standard', 'H.265 1080p Standard',
     'Full HD HEVC in MP4: about 40% smaller than H.264 at similar quality.', 'mp4', true, 'progressive', NULL,
     '{"codec":"VIDEO_CODEC_H265","resolution":"RESOLUTION_1080P","bitrate_mode":"BITRATE_MODE_CRF","crf":27,"profile":"main","encoder_preset":"fast","gop_seconds":2}',
     '{"codec":"AUDIO_CODEC_AAC","bitrate_kbps":128,"sample_rate":48000,"channels":2}',
     'standard', 0.015),
    ('pst_sysh2652160pprm', 'h265_2160p_premium', 'H.265 2160p Premium',
     '4K HEVC Main 10 in MP4 for high-quality delivery.', 'mp4', true, 'progressive', NULL,
     '{"codec":"VIDEO_CODEC_H265","resolution":"RESOLUTION_2160P","bitrate_mode":"BITRATE_MODE_CRF","crf":24,"profile":"main10","encoder_preset":"medium","gop_seconds":2}',
     '{"codec":"AUDIO_CODEC_AAC","bitrate_kbps":128,"sample_rate":48000,"channels":2}',
     'premium', 0.0585),
    ('pst_sysvp91080pstd', 'vp9_1080p_standard', 'VP9 1080p Standard',
     'Full HD VP9 with Opus in WebM.', 'webm', false, 'progressive', NULL,
     '{"codec":"VIDEO_CODEC_VP9","resolution":"RESOLUTION_1080P","bitrate_mode":"BITRATE_MODE_CRF","crf":33,"profile":"0","encoder_preset":"4","gop_seconds":2}',
     '{"codec":"AUDIO_CODEC_OPUS","bitrate_kbps":128,"sample_rate":48000,"channels":2}',
     'standard', 0.015),
    ('pst_sysvp9720peco', 'vp9_720p_economy', 'VP9 720p Economy',
     'HD VP9 with Opus in WebM, faster and smaller.', 'webm', false, 'progressive', NULL,
     '{"codec":"VIDEO_CODEC_VP9","resolution":"RESOLUTION_720P","bitrate_mode":"BITRATE_MODE_CRF","crf":38,"profile":"0","encoder_preset":"6","gop_seconds":2}',
     '{"codec":"AUDIO_CODEC_OPUS","bitrate_kbps":128,"sample_rate":48000,"channels":2}',
     'economy', 0.012),
    ('pst_sysav11080pprm', 'av1_1080p_premium', 'AV1 1080p Premium',
     'Full HD AV1 in MP4 at high quality.', 'mp4', true, 'progressive', NULL,
     '{"codec":"VIDEO_CODEC_AV1","resolution":"RESOLUTION_1080P","bitrate_mode":"BITRATE_MODE_CRF","crf":30,"profile":"main","encoder_preset":"6","gop_seconds":2}',
     '{"codec":"AUDIO_CODEC_AAC","bitrate_kbps":128,"sample_rate":48000,"channels":2}',
     'premium', 0.0325),
    ('pst_sysav1720pstd', 'av1_720p_standard', 'AV1 720p Standard',
     'HD AV1 in MP4: the smallest files for modern players.', 'mp4', true, 'progressive', NULL,
     '{"codec":"VIDEO_CODEC_AV1","resolution":"RESOLUTION_720P","bitrate_mode":"BITRATE_MODE_CRF","crf":35,"profile":"main","encoder_preset":"8","gop_seconds":2}',
     '{"codec":"AUDIO_CODEC_AAC","bitrate_kbps":128,"sample_rate":48000,"channels":2}',
     'standard', 0.025),
    ('pst_syshlsh264ladderstd', 'hls_h264_ladder_standard', 'HLS H.264 Ladder Standard',
     'HLS with H.264 in MPEG-TS segments of 6 s; the video settings are the 1080p rung.', 'ts', false, 'hls',
     '{"segment_duration_seconds":6,"playlist_type":"PLAYLIST_TYPE_VOD","segment_format":"SEGMENT_FORMAT_TS"}',
     '{"codec":"VIDEO_CODEC_H264","resolution":"RESOLUTION_1080P","bitrate_mode":"BITRATE_MODE_VBR","bitrate_kbps":5000,"max_bitrate_kbps":7500,"profile":"high","encoder_preset":"faster","gop_seconds":2}',
     '{"codec":"AUDIO_CODEC_AAC","bitrate_kbps":128,"sample_rate":48000,"channels":2}',
     'standard', 0.010)
) AS v(id, slug, name, description, container, faststart, delivery_format, streaming, video, audio, quality_tier, cost);

-- +goose Down
DROP SCHEMA preset CASCADE;
