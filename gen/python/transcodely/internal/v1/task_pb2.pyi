from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
TASK_KIND_AUDIO: TaskKind
TASK_KIND_ENCODE: TaskKind
TASK_KIND_PACKAGE: TaskKind
TASK_KIND_PROBE: TaskKind
TASK_KIND_SEGMENT: TaskKind
TASK_KIND_THUMBNAIL: TaskKind
TASK_KIND_UNSPECIFIED: TaskKind

class AudioEncoding(_message.Message):
    __slots__ = ["bitrate_kbps", "channels", "codec", "sample_rate"]
    BITRATE_KBPS_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    bitrate_kbps: int
    channels: int
    codec: str
    sample_rate: int
    def __init__(self, codec: _Optional[str] = ..., bitrate_kbps: _Optional[int] = ..., channels: _Optional[int] = ..., sample_rate: _Optional[int] = ...) -> None: ...

class AudioResult(_message.Message):
    __slots__ = ["sizes"]
    SIZES_FIELD_NUMBER: _ClassVar[int]
    sizes: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, sizes: _Optional[_Iterable[int]] = ...) -> None: ...

class AudioTarget(_message.Message):
    __slots__ = ["audio", "format", "upload_url"]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_URL_FIELD_NUMBER: _ClassVar[int]
    audio: AudioEncoding
    format: str
    upload_url: str
    def __init__(self, audio: _Optional[_Union[AudioEncoding, _Mapping]] = ..., format: _Optional[str] = ..., upload_url: _Optional[str] = ...) -> None: ...

class AudioTask(_message.Message):
    __slots__ = ["input_url", "source_duration_seconds", "start_offset_seconds", "targets"]
    INPUT_URL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    START_OFFSET_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    input_url: str
    source_duration_seconds: float
    start_offset_seconds: float
    targets: _containers.RepeatedCompositeFieldContainer[AudioTarget]
    def __init__(self, input_url: _Optional[str] = ..., targets: _Optional[_Iterable[_Union[AudioTarget, _Mapping]]] = ..., source_duration_seconds: _Optional[float] = ..., start_offset_seconds: _Optional[float] = ...) -> None: ...

class CompleteRequest(_message.Message):
    __slots__ = ["audio", "elapsed_seconds", "encode", "lease_token", "package", "probe", "segment", "task_id", "thumbnail"]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ENCODE_FIELD_NUMBER: _ClassVar[int]
    LEASE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PACKAGE_FIELD_NUMBER: _ClassVar[int]
    PROBE_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    THUMBNAIL_FIELD_NUMBER: _ClassVar[int]
    audio: AudioResult
    elapsed_seconds: float
    encode: EncodeResult
    lease_token: str
    package: PackageResult
    probe: ProbeResult
    segment: SegmentResult
    task_id: str
    thumbnail: ThumbnailResult
    def __init__(self, task_id: _Optional[str] = ..., lease_token: _Optional[str] = ..., probe: _Optional[_Union[ProbeResult, _Mapping]] = ..., encode: _Optional[_Union[EncodeResult, _Mapping]] = ..., thumbnail: _Optional[_Union[ThumbnailResult, _Mapping]] = ..., segment: _Optional[_Union[SegmentResult, _Mapping]] = ..., audio: _Optional[_Union[AudioResult, _Mapping]] = ..., package: _Optional[_Union[PackageResult, _Mapping]] = ..., elapsed_seconds: _Optional[float] = ...) -> None: ...

class CompleteResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class EncodeResult(_message.Message):
    __slots__ = ["targets"]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    targets: _containers.RepeatedCompositeFieldContainer[TargetResult]
    def __init__(self, targets: _Optional[_Iterable[_Union[TargetResult, _Mapping]]] = ...) -> None: ...

class EncodeTarget(_message.Message):
    __slots__ = ["audio", "content_type", "faststart", "format", "gif", "output_id", "upload_url", "video"]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FASTSTART_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    GIF_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_ID_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_URL_FIELD_NUMBER: _ClassVar[int]
    VIDEO_FIELD_NUMBER: _ClassVar[int]
    audio: AudioEncoding
    content_type: str
    faststart: bool
    format: str
    gif: GifEncoding
    output_id: str
    upload_url: str
    video: VideoEncoding
    def __init__(self, output_id: _Optional[str] = ..., format: _Optional[str] = ..., video: _Optional[_Union[VideoEncoding, _Mapping]] = ..., audio: _Optional[_Union[AudioEncoding, _Mapping]] = ..., faststart: bool = ..., upload_url: _Optional[str] = ..., content_type: _Optional[str] = ..., gif: _Optional[_Union[GifEncoding, _Mapping]] = ...) -> None: ...

class EncodeTask(_message.Message):
    __slots__ = ["duration_seconds", "input_url", "source_duration_seconds", "start_seconds", "targets"]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    INPUT_URL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    START_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    duration_seconds: float
    input_url: str
    source_duration_seconds: float
    start_seconds: float
    targets: _containers.RepeatedCompositeFieldContainer[EncodeTarget]
    def __init__(self, input_url: _Optional[str] = ..., start_seconds: _Optional[float] = ..., duration_seconds: _Optional[float] = ..., targets: _Optional[_Iterable[_Union[EncodeTarget, _Mapping]]] = ..., source_duration_seconds: _Optional[float] = ...) -> None: ...

class FailRequest(_message.Message):
    __slots__ = ["error_code", "error_message", "lease_token", "retryable", "task_id"]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    LEASE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RETRYABLE_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    error_code: str
    error_message: str
    lease_token: str
    retryable: bool
    task_id: str
    def __init__(self, task_id: _Optional[str] = ..., lease_token: _Optional[str] = ..., error_code: _Optional[str] = ..., error_message: _Optional[str] = ..., retryable: bool = ...) -> None: ...

class FailResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GifEncoding(_message.Message):
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

class HeartbeatRequest(_message.Message):
    __slots__ = ["encoded_seconds", "fps", "lease_token", "progress", "speed", "task_id"]
    ENCODED_SECONDS_FIELD_NUMBER: _ClassVar[int]
    FPS_FIELD_NUMBER: _ClassVar[int]
    LEASE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    SPEED_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    encoded_seconds: float
    fps: float
    lease_token: str
    progress: int
    speed: float
    task_id: str
    def __init__(self, task_id: _Optional[str] = ..., lease_token: _Optional[str] = ..., progress: _Optional[int] = ..., encoded_seconds: _Optional[float] = ..., speed: _Optional[float] = ..., fps: _Optional[float] = ...) -> None: ...

class HeartbeatResponse(_message.Message):
    __slots__ = ["cancel", "lease_expires_at"]
    CANCEL_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    cancel: bool
    lease_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, cancel: bool = ..., lease_expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LeaseRequest(_message.Message):
    __slots__ = ["kinds", "wait_seconds", "worker_id"]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    WAIT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    kinds: _containers.RepeatedScalarFieldContainer[TaskKind]
    wait_seconds: int
    worker_id: str
    def __init__(self, worker_id: _Optional[str] = ..., kinds: _Optional[_Iterable[_Union[TaskKind, str]]] = ..., wait_seconds: _Optional[int] = ...) -> None: ...

class LeaseResponse(_message.Message):
    __slots__ = ["task"]
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: Task
    def __init__(self, task: _Optional[_Union[Task, _Mapping]] = ...) -> None: ...

class PackageAudio(_message.Message):
    __slots__ = ["bitrate_kbps", "codec", "url"]
    BITRATE_KBPS_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    bitrate_kbps: int
    codec: str
    url: str
    def __init__(self, url: _Optional[str] = ..., codec: _Optional[str] = ..., bitrate_kbps: _Optional[int] = ...) -> None: ...

class PackageRendition(_message.Message):
    __slots__ = ["codec", "height", "segment_urls", "width"]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_URLS_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    codec: str
    height: int
    segment_urls: _containers.RepeatedScalarFieldContainer[str]
    width: int
    def __init__(self, segment_urls: _Optional[_Iterable[str]] = ..., codec: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ...) -> None: ...

class PackageResult(_message.Message):
    __slots__ = ["duration_seconds", "files", "main", "upload_seconds"]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    MAIN_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_SECONDS_FIELD_NUMBER: _ClassVar[int]
    duration_seconds: float
    files: _containers.RepeatedCompositeFieldContainer[PackagedFile]
    main: str
    upload_seconds: float
    def __init__(self, main: _Optional[str] = ..., files: _Optional[_Iterable[_Union[PackagedFile, _Mapping]]] = ..., duration_seconds: _Optional[float] = ..., upload_seconds: _Optional[float] = ...) -> None: ...

class PackageTask(_message.Message):
    __slots__ = ["audio", "content_type", "dash_min_buffer_seconds", "faststart", "format", "hls_segment_type", "output_id", "renditions", "segment_seconds", "source_duration_seconds", "type", "upload_url"]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DASH_MIN_BUFFER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    FASTSTART_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    HLS_SEGMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_ID_FIELD_NUMBER: _ClassVar[int]
    RENDITIONS_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_URL_FIELD_NUMBER: _ClassVar[int]
    audio: PackageAudio
    content_type: str
    dash_min_buffer_seconds: float
    faststart: bool
    format: str
    hls_segment_type: str
    output_id: str
    renditions: _containers.RepeatedCompositeFieldContainer[PackageRendition]
    segment_seconds: float
    source_duration_seconds: float
    type: str
    upload_url: str
    def __init__(self, output_id: _Optional[str] = ..., type: _Optional[str] = ..., format: _Optional[str] = ..., faststart: bool = ..., content_type: _Optional[str] = ..., segment_seconds: _Optional[float] = ..., hls_segment_type: _Optional[str] = ..., renditions: _Optional[_Iterable[_Union[PackageRendition, _Mapping]]] = ..., audio: _Optional[_Union[PackageAudio, _Mapping]] = ..., upload_url: _Optional[str] = ..., source_duration_seconds: _Optional[float] = ..., dash_min_buffer_seconds: _Optional[float] = ...) -> None: ...

class PackagedFile(_message.Message):
    __slots__ = ["checksum", "name", "role", "size_bytes"]
    CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    checksum: str
    name: str
    role: str
    size_bytes: int
    def __init__(self, name: _Optional[str] = ..., size_bytes: _Optional[int] = ..., checksum: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class PresignUploadsRequest(_message.Message):
    __slots__ = ["lease_token", "names", "task_id"]
    LEASE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    lease_token: str
    names: _containers.RepeatedScalarFieldContainer[str]
    task_id: str
    def __init__(self, task_id: _Optional[str] = ..., lease_token: _Optional[str] = ..., names: _Optional[_Iterable[str]] = ...) -> None: ...

class PresignUploadsResponse(_message.Message):
    __slots__ = ["urls"]
    URLS_FIELD_NUMBER: _ClassVar[int]
    urls: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, urls: _Optional[_Iterable[str]] = ...) -> None: ...

class ProbeAudio(_message.Message):
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

class ProbeResult(_message.Message):
    __slots__ = ["audio", "bit_depth", "bitrate_kbps", "container", "duration_seconds", "fps", "frame_count", "hdr", "height", "pix_fmt", "rotation", "size_bytes", "subtitles", "video_codec", "video_profile", "video_start_offset_seconds", "width"]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    BITRATE_KBPS_FIELD_NUMBER: _ClassVar[int]
    BIT_DEPTH_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    FPS_FIELD_NUMBER: _ClassVar[int]
    FRAME_COUNT_FIELD_NUMBER: _ClassVar[int]
    HDR_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    PIX_FMT_FIELD_NUMBER: _ClassVar[int]
    ROTATION_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SUBTITLES_FIELD_NUMBER: _ClassVar[int]
    VIDEO_CODEC_FIELD_NUMBER: _ClassVar[int]
    VIDEO_PROFILE_FIELD_NUMBER: _ClassVar[int]
    VIDEO_START_OFFSET_SECONDS_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    audio: _containers.RepeatedCompositeFieldContainer[ProbeAudio]
    bit_depth: int
    bitrate_kbps: int
    container: str
    duration_seconds: float
    fps: float
    frame_count: int
    hdr: str
    height: int
    pix_fmt: str
    rotation: int
    size_bytes: int
    subtitles: _containers.RepeatedCompositeFieldContainer[ProbeSubtitle]
    video_codec: str
    video_profile: str
    video_start_offset_seconds: float
    width: int
    def __init__(self, duration_seconds: _Optional[float] = ..., container: _Optional[str] = ..., size_bytes: _Optional[int] = ..., bitrate_kbps: _Optional[int] = ..., video_codec: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., fps: _Optional[float] = ..., bit_depth: _Optional[int] = ..., rotation: _Optional[int] = ..., hdr: _Optional[str] = ..., pix_fmt: _Optional[str] = ..., frame_count: _Optional[int] = ..., video_profile: _Optional[str] = ..., audio: _Optional[_Iterable[_Union[ProbeAudio, _Mapping]]] = ..., subtitles: _Optional[_Iterable[_Union[ProbeSubtitle, _Mapping]]] = ..., video_start_offset_seconds: _Optional[float] = ...) -> None: ...

class ProbeSubtitle(_message.Message):
    __slots__ = ["codec", "index", "language"]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    codec: str
    index: int
    language: str
    def __init__(self, index: _Optional[int] = ..., codec: _Optional[str] = ..., language: _Optional[str] = ...) -> None: ...

class ProbeTask(_message.Message):
    __slots__ = ["input_url"]
    INPUT_URL_FIELD_NUMBER: _ClassVar[int]
    input_url: str
    def __init__(self, input_url: _Optional[str] = ...) -> None: ...

class SegmentOutput(_message.Message):
    __slots__ = ["frames", "rendition", "size_bytes"]
    FRAMES_FIELD_NUMBER: _ClassVar[int]
    RENDITION_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    frames: int
    rendition: int
    size_bytes: int
    def __init__(self, rendition: _Optional[int] = ..., size_bytes: _Optional[int] = ..., frames: _Optional[int] = ...) -> None: ...

class SegmentRendition(_message.Message):
    __slots__ = ["format", "rendition", "upload_url", "video"]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    RENDITION_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_URL_FIELD_NUMBER: _ClassVar[int]
    VIDEO_FIELD_NUMBER: _ClassVar[int]
    format: str
    rendition: int
    upload_url: str
    video: VideoEncoding
    def __init__(self, rendition: _Optional[int] = ..., video: _Optional[_Union[VideoEncoding, _Mapping]] = ..., format: _Optional[str] = ..., upload_url: _Optional[str] = ...) -> None: ...

class SegmentResult(_message.Message):
    __slots__ = ["outputs"]
    OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    outputs: _containers.RepeatedCompositeFieldContainer[SegmentOutput]
    def __init__(self, outputs: _Optional[_Iterable[_Union[SegmentOutput, _Mapping]]] = ...) -> None: ...

class SegmentTask(_message.Message):
    __slots__ = ["frames", "index", "input_url", "keyframe_seconds", "renditions", "source_fps", "start_frame", "start_offset_seconds"]
    FRAMES_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    INPUT_URL_FIELD_NUMBER: _ClassVar[int]
    KEYFRAME_SECONDS_FIELD_NUMBER: _ClassVar[int]
    RENDITIONS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FPS_FIELD_NUMBER: _ClassVar[int]
    START_FRAME_FIELD_NUMBER: _ClassVar[int]
    START_OFFSET_SECONDS_FIELD_NUMBER: _ClassVar[int]
    frames: int
    index: int
    input_url: str
    keyframe_seconds: _containers.RepeatedScalarFieldContainer[float]
    renditions: _containers.RepeatedCompositeFieldContainer[SegmentRendition]
    source_fps: float
    start_frame: int
    start_offset_seconds: float
    def __init__(self, input_url: _Optional[str] = ..., index: _Optional[int] = ..., start_frame: _Optional[int] = ..., frames: _Optional[int] = ..., source_fps: _Optional[float] = ..., keyframe_seconds: _Optional[_Iterable[float]] = ..., renditions: _Optional[_Iterable[_Union[SegmentRendition, _Mapping]]] = ..., start_offset_seconds: _Optional[float] = ...) -> None: ...

class TargetResult(_message.Message):
    __slots__ = ["checksum", "duration_seconds", "output_id", "size_bytes"]
    CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_ID_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    checksum: str
    duration_seconds: float
    output_id: str
    size_bytes: int
    def __init__(self, output_id: _Optional[str] = ..., size_bytes: _Optional[int] = ..., duration_seconds: _Optional[float] = ..., checksum: _Optional[str] = ...) -> None: ...

class Task(_message.Message):
    __slots__ = ["attempt", "audio", "encode", "id", "job_id", "kind", "lease_expires_at", "lease_token", "package", "probe", "segment", "thumbnail", "traceparent"]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    ENCODE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    LEASE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PACKAGE_FIELD_NUMBER: _ClassVar[int]
    PROBE_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    THUMBNAIL_FIELD_NUMBER: _ClassVar[int]
    TRACEPARENT_FIELD_NUMBER: _ClassVar[int]
    attempt: int
    audio: AudioTask
    encode: EncodeTask
    id: str
    job_id: str
    kind: TaskKind
    lease_expires_at: _timestamp_pb2.Timestamp
    lease_token: str
    package: PackageTask
    probe: ProbeTask
    segment: SegmentTask
    thumbnail: ThumbnailTask
    traceparent: str
    def __init__(self, id: _Optional[str] = ..., job_id: _Optional[str] = ..., kind: _Optional[_Union[TaskKind, str]] = ..., attempt: _Optional[int] = ..., lease_token: _Optional[str] = ..., lease_expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., traceparent: _Optional[str] = ..., probe: _Optional[_Union[ProbeTask, _Mapping]] = ..., encode: _Optional[_Union[EncodeTask, _Mapping]] = ..., thumbnail: _Optional[_Union[ThumbnailTask, _Mapping]] = ..., segment: _Optional[_Union[SegmentTask, _Mapping]] = ..., audio: _Optional[_Union[AudioTask, _Mapping]] = ..., package: _Optional[_Union[PackageTask, _Mapping]] = ...) -> None: ...

class ThumbnailResult(_message.Message):
    __slots__ = ["image_sizes", "sprite_size", "vtt_size"]
    IMAGE_SIZES_FIELD_NUMBER: _ClassVar[int]
    SPRITE_SIZE_FIELD_NUMBER: _ClassVar[int]
    VTT_SIZE_FIELD_NUMBER: _ClassVar[int]
    image_sizes: _containers.RepeatedScalarFieldContainer[int]
    sprite_size: int
    vtt_size: int
    def __init__(self, image_sizes: _Optional[_Iterable[int]] = ..., sprite_size: _Optional[int] = ..., vtt_size: _Optional[int] = ...) -> None: ...

class ThumbnailSprite(_message.Message):
    __slots__ = ["columns", "image", "vtt"]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    VTT_FIELD_NUMBER: _ClassVar[int]
    columns: int
    image: ThumbnailUpload
    vtt: ThumbnailUpload
    def __init__(self, columns: _Optional[int] = ..., image: _Optional[_Union[ThumbnailUpload, _Mapping]] = ..., vtt: _Optional[_Union[ThumbnailUpload, _Mapping]] = ...) -> None: ...

class ThumbnailTask(_message.Message):
    __slots__ = ["content_type", "format", "height", "images", "input_url", "source_duration_seconds", "sprite", "times", "width"]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    INPUT_URL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SPRITE_FIELD_NUMBER: _ClassVar[int]
    TIMES_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    content_type: str
    format: str
    height: int
    images: _containers.RepeatedCompositeFieldContainer[ThumbnailUpload]
    input_url: str
    source_duration_seconds: float
    sprite: ThumbnailSprite
    times: _containers.RepeatedScalarFieldContainer[float]
    width: int
    def __init__(self, input_url: _Optional[str] = ..., times: _Optional[_Iterable[float]] = ..., format: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., images: _Optional[_Iterable[_Union[ThumbnailUpload, _Mapping]]] = ..., sprite: _Optional[_Union[ThumbnailSprite, _Mapping]] = ..., source_duration_seconds: _Optional[float] = ..., content_type: _Optional[str] = ...) -> None: ...

class ThumbnailUpload(_message.Message):
    __slots__ = ["object_url", "upload_url"]
    OBJECT_URL_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_URL_FIELD_NUMBER: _ClassVar[int]
    object_url: str
    upload_url: str
    def __init__(self, upload_url: _Optional[str] = ..., object_url: _Optional[str] = ...) -> None: ...

class VideoEncoding(_message.Message):
    __slots__ = ["bitrate_kbps", "codec", "crf", "fps", "gop_frames", "height", "max_bitrate_kbps", "preset", "profile", "tune", "width"]
    BITRATE_KBPS_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    CRF_FIELD_NUMBER: _ClassVar[int]
    FPS_FIELD_NUMBER: _ClassVar[int]
    GOP_FRAMES_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    MAX_BITRATE_KBPS_FIELD_NUMBER: _ClassVar[int]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    TUNE_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    bitrate_kbps: int
    codec: str
    crf: int
    fps: float
    gop_frames: int
    height: int
    max_bitrate_kbps: int
    preset: str
    profile: str
    tune: str
    width: int
    def __init__(self, codec: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., fps: _Optional[float] = ..., crf: _Optional[int] = ..., bitrate_kbps: _Optional[int] = ..., max_bitrate_kbps: _Optional[int] = ..., preset: _Optional[str] = ..., profile: _Optional[str] = ..., tune: _Optional[str] = ..., gop_frames: _Optional[int] = ...) -> None: ...

class TaskKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
