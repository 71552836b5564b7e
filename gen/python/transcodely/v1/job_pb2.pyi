from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from transcodely.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
HDR_FORMAT_HDR10: HdrFormat
HDR_FORMAT_HLG: HdrFormat
HDR_FORMAT_UNSPECIFIED: HdrFormat
HDR_MODE_PASSTHROUGH: HdrMode
HDR_MODE_TONEMAP: HdrMode
HDR_MODE_UNSPECIFIED: HdrMode
IMAGE_FORMAT_JPEG: ImageFormat
IMAGE_FORMAT_PNG: ImageFormat
IMAGE_FORMAT_UNSPECIFIED: ImageFormat
IMAGE_FORMAT_WEBP: ImageFormat
JOB_STATUS_AWAITING_CONFIRMATION: JobStatus
JOB_STATUS_CANCELED: JobStatus
JOB_STATUS_COMPLETED: JobStatus
JOB_STATUS_FAILED: JobStatus
JOB_STATUS_PARTIAL: JobStatus
JOB_STATUS_PENDING: JobStatus
JOB_STATUS_PROBING: JobStatus
JOB_STATUS_PROCESSING: JobStatus
JOB_STATUS_UNSPECIFIED: JobStatus
OUTPUT_STATUS_CANCELED: OutputStatus
OUTPUT_STATUS_COMPLETED: OutputStatus
OUTPUT_STATUS_FAILED: OutputStatus
OUTPUT_STATUS_PENDING: OutputStatus
OUTPUT_STATUS_PROCESSING: OutputStatus
OUTPUT_STATUS_UNSPECIFIED: OutputStatus
OUTPUT_TYPE_ADAPTIVE: OutputType
OUTPUT_TYPE_DASH: OutputType
OUTPUT_TYPE_GIF: OutputType
OUTPUT_TYPE_HLS: OutputType
OUTPUT_TYPE_MKV: OutputType
OUTPUT_TYPE_MOV: OutputType
OUTPUT_TYPE_MP4: OutputType
OUTPUT_TYPE_UNSPECIFIED: OutputType
OUTPUT_TYPE_WEBM: OutputType
PRIORITY_ECONOMY: Priority
PRIORITY_PREMIUM: Priority
PRIORITY_STANDARD: Priority
PRIORITY_UNSPECIFIED: Priority
THUMBNAIL_MODE_COUNT: ThumbnailMode
THUMBNAIL_MODE_INTERVAL: ThumbnailMode
THUMBNAIL_MODE_TIMESTAMPS: ThumbnailMode
THUMBNAIL_MODE_UNSPECIFIED: ThumbnailMode

class AV1Options(_message.Message):
    __slots__ = ["crf", "preset"]
    CRF_FIELD_NUMBER: _ClassVar[int]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    crf: int
    preset: int
    def __init__(self, crf: _Optional[int] = ..., preset: _Optional[int] = ...) -> None: ...

class AudioStreamInfo(_message.Message):
    __slots__ = ["bitrate_kbps", "channels", "codec", "index", "language", "sample_rate"]
    BITRATE_KBPS_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    bitrate_kbps: int
    channels: int
    codec: str
    index: int
    language: str
    sample_rate: int
    def __init__(self, index: _Optional[int] = ..., codec: _Optional[str] = ..., channels: _Optional[int] = ..., sample_rate: _Optional[int] = ..., language: _Optional[str] = ..., bitrate_kbps: _Optional[int] = ...) -> None: ...

class AudioTrack(_message.Message):
    __slots__ = ["bitrate_kbps", "channels", "codec", "language", "normalize", "sample_rate"]
    BITRATE_KBPS_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NORMALIZE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    bitrate_kbps: int
    channels: int
    codec: _common_pb2.AudioCodec
    language: str
    normalize: bool
    sample_rate: int
    def __init__(self, codec: _Optional[_Union[_common_pb2.AudioCodec, str]] = ..., bitrate_kbps: _Optional[int] = ..., channels: _Optional[int] = ..., sample_rate: _Optional[int] = ..., language: _Optional[str] = ..., normalize: bool = ...) -> None: ...

class BatchInput(_message.Message):
    __slots__ = ["input_path", "input_url", "metadata", "output_subpath"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    INPUT_PATH_FIELD_NUMBER: _ClassVar[int]
    INPUT_URL_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_SUBPATH_FIELD_NUMBER: _ClassVar[int]
    input_path: str
    input_url: str
    metadata: _containers.ScalarMap[str, str]
    output_subpath: str
    def __init__(self, input_url: _Optional[str] = ..., input_path: _Optional[str] = ..., output_subpath: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ...) -> None: ...

class CancelJobRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CancelJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class ConfirmJobRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ConfirmJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class ContentAwareSettings(_message.Message):
    __slots__ = ["enabled"]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    enabled: bool
    def __init__(self, enabled: bool = ...) -> None: ...

class CreateJobBatchRequest(_message.Message):
    __slots__ = ["inputs", "template"]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    inputs: _containers.RepeatedCompositeFieldContainer[BatchInput]
    template: CreateJobRequest
    def __init__(self, template: _Optional[_Union[CreateJobRequest, _Mapping]] = ..., inputs: _Optional[_Iterable[_Union[BatchInput, _Mapping]]] = ...) -> None: ...

class CreateJobBatchResponse(_message.Message):
    __slots__ = ["batch_id", "jobs"]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    JOBS_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    jobs: _containers.RepeatedCompositeFieldContainer[Job]
    def __init__(self, batch_id: _Optional[str] = ..., jobs: _Optional[_Iterable[_Union[Job, _Mapping]]] = ...) -> None: ...

class CreateJobRequest(_message.Message):
    __slots__ = ["delayed_start", "idempotency_key", "input_origin_id", "input_path", "input_url", "metadata", "output_origin_id", "output_path_template", "outputs", "priority", "thumbnails", "webhook_url"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    DELAYED_START_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    INPUT_ORIGIN_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_PATH_FIELD_NUMBER: _ClassVar[int]
    INPUT_URL_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_ORIGIN_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_PATH_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    THUMBNAILS_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_URL_FIELD_NUMBER: _ClassVar[int]
    delayed_start: bool
    idempotency_key: str
    input_origin_id: str
    input_path: str
    input_url: str
    metadata: _containers.ScalarMap[str, str]
    output_origin_id: str
    output_path_template: str
    outputs: _containers.RepeatedCompositeFieldContainer[OutputSpec]
    priority: Priority
    thumbnails: _containers.RepeatedCompositeFieldContainer[ThumbnailSpec]
    webhook_url: str
    def __init__(self, input_url: _Optional[str] = ..., input_origin_id: _Optional[str] = ..., input_path: _Optional[str] = ..., output_origin_id: _Optional[str] = ..., output_path_template: _Optional[str] = ..., outputs: _Optional[_Iterable[_Union[OutputSpec, _Mapping]]] = ..., thumbnails: _Optional[_Iterable[_Union[ThumbnailSpec, _Mapping]]] = ..., priority: _Optional[_Union[Priority, str]] = ..., delayed_start: bool = ..., webhook_url: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class CreateJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class DashSettings(_message.Message):
    __slots__ = ["min_buffer_seconds"]
    MIN_BUFFER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    min_buffer_seconds: float
    def __init__(self, min_buffer_seconds: _Optional[float] = ...) -> None: ...

class DrmSettings(_message.Message):
    __slots__ = ["key_id", "scheme"]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEME_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    scheme: str
    def __init__(self, scheme: _Optional[str] = ..., key_id: _Optional[str] = ...) -> None: ...

class Execution(_message.Message):
    __slots__ = ["completed_segments", "encode_seconds", "encoder_count", "package_seconds", "probe_seconds", "queued_seconds", "total_segments", "upload_seconds"]
    COMPLETED_SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    ENCODER_COUNT_FIELD_NUMBER: _ClassVar[int]
    ENCODE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    PACKAGE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    PROBE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    QUEUED_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_SECONDS_FIELD_NUMBER: _ClassVar[int]
    completed_segments: int
    encode_seconds: float
    encoder_count: int
    package_seconds: float
    probe_seconds: float
    queued_seconds: float
    total_segments: int
    upload_seconds: float
    def __init__(self, queued_seconds: _Optional[float] = ..., probe_seconds: _Optional[float] = ..., encode_seconds: _Optional[float] = ..., package_seconds: _Optional[float] = ..., upload_seconds: _Optional[float] = ..., encoder_count: _Optional[int] = ..., total_segments: _Optional[int] = ..., completed_segments: _Optional[int] = ...) -> None: ...

class GetJobRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class GifSettings(_message.Message):
    __slots__ = ["duration_seconds", "fps", "start_seconds", "width"]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    FPS_FIELD_NUMBER: _ClassVar[int]
    START_SECONDS_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    duration_seconds: float
    fps: float
    start_seconds: float
    width: int
    def __init__(self, start_seconds: _Optional[float] = ..., duration_seconds: _Optional[float] = ..., width: _Optional[int] = ..., fps: _Optional[float] = ...) -> None: ...

class H264Options(_message.Message):
    __slots__ = ["crf", "level", "preset", "profile", "tune"]
    CRF_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    TUNE_FIELD_NUMBER: _ClassVar[int]
    crf: int
    level: str
    preset: str
    profile: str
    tune: str
    def __init__(self, profile: _Optional[str] = ..., preset: _Optional[str] = ..., crf: _Optional[int] = ..., tune: _Optional[str] = ..., level: _Optional[str] = ...) -> None: ...

class H265Options(_message.Message):
    __slots__ = ["crf", "preset", "profile", "tune"]
    CRF_FIELD_NUMBER: _ClassVar[int]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    TUNE_FIELD_NUMBER: _ClassVar[int]
    crf: int
    preset: str
    profile: str
    tune: str
    def __init__(self, profile: _Optional[str] = ..., preset: _Optional[str] = ..., crf: _Optional[int] = ..., tune: _Optional[str] = ...) -> None: ...

class HdrSettings(_message.Message):
    __slots__ = ["format", "mode"]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    format: HdrFormat
    mode: HdrMode
    def __init__(self, mode: _Optional[_Union[HdrMode, str]] = ..., format: _Optional[_Union[HdrFormat, str]] = ...) -> None: ...

class HlsSettings(_message.Message):
    __slots__ = ["playlist_type", "segment_format"]
    PLAYLIST_TYPE_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FORMAT_FIELD_NUMBER: _ClassVar[int]
    playlist_type: _common_pb2.PlaylistType
    segment_format: _common_pb2.SegmentFormat
    def __init__(self, playlist_type: _Optional[_Union[_common_pb2.PlaylistType, str]] = ..., segment_format: _Optional[_Union[_common_pb2.SegmentFormat, str]] = ...) -> None: ...

class InputMetadata(_message.Message):
    __slots__ = ["audio_tracks", "bitrate_kbps", "container", "duration_seconds", "size_bytes", "subtitle_tracks", "video"]
    AUDIO_TRACKS_FIELD_NUMBER: _ClassVar[int]
    BITRATE_KBPS_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SUBTITLE_TRACKS_FIELD_NUMBER: _ClassVar[int]
    VIDEO_FIELD_NUMBER: _ClassVar[int]
    audio_tracks: _containers.RepeatedCompositeFieldContainer[AudioStreamInfo]
    bitrate_kbps: int
    container: str
    duration_seconds: float
    size_bytes: int
    subtitle_tracks: _containers.RepeatedCompositeFieldContainer[SubtitleStreamInfo]
    video: VideoStreamInfo
    def __init__(self, duration_seconds: _Optional[float] = ..., container: _Optional[str] = ..., size_bytes: _Optional[int] = ..., bitrate_kbps: _Optional[int] = ..., video: _Optional[_Union[VideoStreamInfo, _Mapping]] = ..., audio_tracks: _Optional[_Iterable[_Union[AudioStreamInfo, _Mapping]]] = ..., subtitle_tracks: _Optional[_Iterable[_Union[SubtitleStreamInfo, _Mapping]]] = ...) -> None: ...

class Job(_message.Message):
    __slots__ = ["app_id", "batch_id", "completed_at", "confirmed_at", "created_at", "currency", "delayed_start", "error_code", "error_message", "execution", "id", "input_metadata", "input_origin", "input_url", "metadata", "output_origin", "outputs", "priority", "probed_at", "progress", "started_at", "status", "thumbnails", "total_actual_cost", "total_estimated_cost", "updated_at", "webhook_url"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DELAYED_START_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    EXECUTION_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_METADATA_FIELD_NUMBER: _ClassVar[int]
    INPUT_ORIGIN_FIELD_NUMBER: _ClassVar[int]
    INPUT_URL_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_ORIGIN_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    PROBED_AT_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    THUMBNAILS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_ACTUAL_COST_FIELD_NUMBER: _ClassVar[int]
    TOTAL_ESTIMATED_COST_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_URL_FIELD_NUMBER: _ClassVar[int]
    app_id: str
    batch_id: str
    completed_at: _timestamp_pb2.Timestamp
    confirmed_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    currency: str
    delayed_start: bool
    error_code: str
    error_message: str
    execution: Execution
    id: str
    input_metadata: InputMetadata
    input_origin: JobOriginRef
    input_url: str
    metadata: _containers.ScalarMap[str, str]
    output_origin: JobOriginRef
    outputs: _containers.RepeatedCompositeFieldContainer[Output]
    priority: Priority
    probed_at: _timestamp_pb2.Timestamp
    progress: int
    started_at: _timestamp_pb2.Timestamp
    status: JobStatus
    thumbnails: _containers.RepeatedCompositeFieldContainer[ThumbnailOutput]
    total_actual_cost: float
    total_estimated_cost: float
    updated_at: _timestamp_pb2.Timestamp
    webhook_url: str
    def __init__(self, id: _Optional[str] = ..., input_url: _Optional[str] = ..., input_origin: _Optional[_Union[JobOriginRef, _Mapping]] = ..., output_origin: _Optional[_Union[JobOriginRef, _Mapping]] = ..., status: _Optional[_Union[JobStatus, str]] = ..., progress: _Optional[int] = ..., priority: _Optional[_Union[Priority, str]] = ..., input_metadata: _Optional[_Union[InputMetadata, _Mapping]] = ..., outputs: _Optional[_Iterable[_Union[Output, _Mapping]]] = ..., thumbnails: _Optional[_Iterable[_Union[ThumbnailOutput, _Mapping]]] = ..., total_estimated_cost: _Optional[float] = ..., total_actual_cost: _Optional[float] = ..., currency: _Optional[str] = ..., error_code: _Optional[str] = ..., error_message: _Optional[str] = ..., webhook_url: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ..., delayed_start: bool = ..., execution: _Optional[_Union[Execution, _Mapping]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., probed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., confirmed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., batch_id: _Optional[str] = ..., app_id: _Optional[str] = ...) -> None: ...

class JobOriginRef(_message.Message):
    __slots__ = ["id", "name", "path"]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    path: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., path: _Optional[str] = ...) -> None: ...

class ListJobsRequest(_message.Message):
    __slots__ = ["batch_id", "created_after", "created_before", "pagination", "status"]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    CREATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    created_after: _timestamp_pb2.Timestamp
    created_before: _timestamp_pb2.Timestamp
    pagination: _common_pb2.PaginationRequest
    status: JobStatus
    def __init__(self, pagination: _Optional[_Union[_common_pb2.PaginationRequest, _Mapping]] = ..., status: _Optional[_Union[JobStatus, str]] = ..., created_after: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., created_before: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., batch_id: _Optional[str] = ...) -> None: ...

class ListJobsResponse(_message.Message):
    __slots__ = ["jobs", "pagination"]
    JOBS_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[Job]
    pagination: _common_pb2.PaginationResponse
    def __init__(self, jobs: _Optional[_Iterable[_Union[Job, _Mapping]]] = ..., pagination: _Optional[_Union[_common_pb2.PaginationResponse, _Mapping]] = ...) -> None: ...

class Output(_message.Message):
    __slots__ = ["actual_cost", "checksum", "completed_at", "duration_seconds", "error_code", "error_message", "estimated_cost", "estimated_duration_seconds", "files", "id", "output_size_bytes", "output_url", "preset_id", "progress", "spec", "started_at", "status"]
    ACTUAL_COST_FIELD_NUMBER: _ClassVar[int]
    CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_COST_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_URL_FIELD_NUMBER: _ClassVar[int]
    PRESET_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    actual_cost: float
    checksum: str
    completed_at: _timestamp_pb2.Timestamp
    duration_seconds: float
    error_code: str
    error_message: str
    estimated_cost: float
    estimated_duration_seconds: float
    files: _containers.RepeatedCompositeFieldContainer[OutputFile]
    id: str
    output_size_bytes: int
    output_url: str
    preset_id: str
    progress: int
    spec: OutputSpec
    started_at: _timestamp_pb2.Timestamp
    status: OutputStatus
    def __init__(self, id: _Optional[str] = ..., spec: _Optional[_Union[OutputSpec, _Mapping]] = ..., status: _Optional[_Union[OutputStatus, str]] = ..., progress: _Optional[int] = ..., output_url: _Optional[str] = ..., output_size_bytes: _Optional[int] = ..., duration_seconds: _Optional[float] = ..., estimated_cost: _Optional[float] = ..., actual_cost: _Optional[float] = ..., estimated_duration_seconds: _Optional[float] = ..., error_code: _Optional[str] = ..., error_message: _Optional[str] = ..., preset_id: _Optional[str] = ..., started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., checksum: _Optional[str] = ..., files: _Optional[_Iterable[_Union[OutputFile, _Mapping]]] = ...) -> None: ...

class OutputFile(_message.Message):
    __slots__ = ["role", "size_bytes", "url"]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    role: str
    size_bytes: int
    url: str
    def __init__(self, url: _Optional[str] = ..., size_bytes: _Optional[int] = ..., role: _Optional[str] = ...) -> None: ...

class OutputSpec(_message.Message):
    __slots__ = ["audio", "content_aware", "dash", "drm", "gif", "hls", "path_template", "preset", "segments", "subtitle_tracks", "type", "video"]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    CONTENT_AWARE_FIELD_NUMBER: _ClassVar[int]
    DASH_FIELD_NUMBER: _ClassVar[int]
    DRM_FIELD_NUMBER: _ClassVar[int]
    GIF_FIELD_NUMBER: _ClassVar[int]
    HLS_FIELD_NUMBER: _ClassVar[int]
    PATH_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    SUBTITLE_TRACKS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    VIDEO_FIELD_NUMBER: _ClassVar[int]
    audio: _containers.RepeatedCompositeFieldContainer[AudioTrack]
    content_aware: ContentAwareSettings
    dash: DashSettings
    drm: DrmSettings
    gif: GifSettings
    hls: HlsSettings
    path_template: str
    preset: str
    segments: SegmentSettings
    subtitle_tracks: _containers.RepeatedCompositeFieldContainer[SubtitleTrack]
    type: OutputType
    video: _containers.RepeatedCompositeFieldContainer[VideoVariant]
    def __init__(self, type: _Optional[_Union[OutputType, str]] = ..., video: _Optional[_Iterable[_Union[VideoVariant, _Mapping]]] = ..., audio: _Optional[_Iterable[_Union[AudioTrack, _Mapping]]] = ..., hls: _Optional[_Union[HlsSettings, _Mapping]] = ..., dash: _Optional[_Union[DashSettings, _Mapping]] = ..., segments: _Optional[_Union[SegmentSettings, _Mapping]] = ..., path_template: _Optional[str] = ..., preset: _Optional[str] = ..., subtitle_tracks: _Optional[_Iterable[_Union[SubtitleTrack, _Mapping]]] = ..., drm: _Optional[_Union[DrmSettings, _Mapping]] = ..., content_aware: _Optional[_Union[ContentAwareSettings, _Mapping]] = ..., gif: _Optional[_Union[GifSettings, _Mapping]] = ...) -> None: ...

class SegmentSettings(_message.Message):
    __slots__ = ["duration_seconds"]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    duration_seconds: float
    def __init__(self, duration_seconds: _Optional[float] = ...) -> None: ...

class SpriteSettings(_message.Message):
    __slots__ = ["columns", "rows"]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    columns: int
    rows: int
    def __init__(self, columns: _Optional[int] = ..., rows: _Optional[int] = ...) -> None: ...

class SubtitleStreamInfo(_message.Message):
    __slots__ = ["codec", "index", "language"]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    codec: str
    index: int
    language: str
    def __init__(self, index: _Optional[int] = ..., codec: _Optional[str] = ..., language: _Optional[str] = ...) -> None: ...

class SubtitleTrack(_message.Message):
    __slots__ = ["format", "language", "source_index"]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_INDEX_FIELD_NUMBER: _ClassVar[int]
    format: str
    language: str
    source_index: int
    def __init__(self, source_index: _Optional[int] = ..., language: _Optional[str] = ..., format: _Optional[str] = ...) -> None: ...

class ThumbnailOutput(_message.Message):
    __slots__ = ["error_message", "spec", "sprite_url", "status", "urls", "vtt_url"]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    SPRITE_URL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    URLS_FIELD_NUMBER: _ClassVar[int]
    VTT_URL_FIELD_NUMBER: _ClassVar[int]
    error_message: str
    spec: ThumbnailSpec
    sprite_url: str
    status: OutputStatus
    urls: _containers.RepeatedScalarFieldContainer[str]
    vtt_url: str
    def __init__(self, spec: _Optional[_Union[ThumbnailSpec, _Mapping]] = ..., status: _Optional[_Union[OutputStatus, str]] = ..., urls: _Optional[_Iterable[str]] = ..., sprite_url: _Optional[str] = ..., vtt_url: _Optional[str] = ..., error_message: _Optional[str] = ...) -> None: ...

class ThumbnailSpec(_message.Message):
    __slots__ = ["count", "format", "height", "interval_seconds", "mode", "path_template", "sprite", "timestamps", "width"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    PATH_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    SPRITE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    count: int
    format: ImageFormat
    height: int
    interval_seconds: float
    mode: ThumbnailMode
    path_template: str
    sprite: SpriteSettings
    timestamps: _containers.RepeatedScalarFieldContainer[float]
    width: int
    def __init__(self, mode: _Optional[_Union[ThumbnailMode, str]] = ..., interval_seconds: _Optional[float] = ..., count: _Optional[int] = ..., timestamps: _Optional[_Iterable[float]] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., format: _Optional[_Union[ImageFormat, str]] = ..., sprite: _Optional[_Union[SpriteSettings, _Mapping]] = ..., path_template: _Optional[str] = ...) -> None: ...

class VP9Options(_message.Message):
    __slots__ = ["cpu_used", "crf", "deadline"]
    CPU_USED_FIELD_NUMBER: _ClassVar[int]
    CRF_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    cpu_used: int
    crf: int
    deadline: str
    def __init__(self, crf: _Optional[int] = ..., cpu_used: _Optional[int] = ..., deadline: _Optional[str] = ...) -> None: ...

class VideoStreamInfo(_message.Message):
    __slots__ = ["bit_depth", "codec", "fps", "frame_count", "hdr", "height", "pix_fmt", "profile", "rotation", "width"]
    BIT_DEPTH_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    FPS_FIELD_NUMBER: _ClassVar[int]
    FRAME_COUNT_FIELD_NUMBER: _ClassVar[int]
    HDR_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    PIX_FMT_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    ROTATION_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    bit_depth: int
    codec: str
    fps: float
    frame_count: int
    hdr: HdrFormat
    height: int
    pix_fmt: str
    profile: str
    rotation: int
    width: int
    def __init__(self, codec: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., fps: _Optional[float] = ..., bit_depth: _Optional[int] = ..., rotation: _Optional[int] = ..., hdr: _Optional[_Union[HdrFormat, str]] = ..., pix_fmt: _Optional[str] = ..., frame_count: _Optional[int] = ..., profile: _Optional[str] = ...) -> None: ...

class VideoVariant(_message.Message):
    __slots__ = ["av1", "bitrate", "codec", "framerate", "h264", "h265", "hdr", "height", "quality", "resolution", "vp9", "width"]
    AV1_FIELD_NUMBER: _ClassVar[int]
    BITRATE_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    FRAMERATE_FIELD_NUMBER: _ClassVar[int]
    H264_FIELD_NUMBER: _ClassVar[int]
    H265_FIELD_NUMBER: _ClassVar[int]
    HDR_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    QUALITY_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    VP9_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    av1: AV1Options
    bitrate: int
    codec: _common_pb2.VideoCodec
    framerate: float
    h264: H264Options
    h265: H265Options
    hdr: HdrSettings
    height: int
    quality: _common_pb2.QualityTier
    resolution: _common_pb2.Resolution
    vp9: VP9Options
    width: int
    def __init__(self, codec: _Optional[_Union[_common_pb2.VideoCodec, str]] = ..., resolution: _Optional[_Union[_common_pb2.Resolution, str]] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., quality: _Optional[_Union[_common_pb2.QualityTier, str]] = ..., framerate: _Optional[float] = ..., bitrate: _Optional[int] = ..., h264: _Optional[_Union[H264Options, _Mapping]] = ..., h265: _Optional[_Union[H265Options, _Mapping]] = ..., vp9: _Optional[_Union[VP9Options, _Mapping]] = ..., av1: _Optional[_Union[AV1Options, _Mapping]] = ..., hdr: _Optional[_Union[HdrSettings, _Mapping]] = ...) -> None: ...

class WatchJobRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class WatchJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class JobStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Priority(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class OutputType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class OutputStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class HdrMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class HdrFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ThumbnailMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ImageFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
