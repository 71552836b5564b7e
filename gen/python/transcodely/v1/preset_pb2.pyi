from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from transcodely.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

BITRATE_MODE_CBR: BitrateMode
BITRATE_MODE_CRF: BitrateMode
BITRATE_MODE_UNSPECIFIED: BitrateMode
BITRATE_MODE_VBR: BitrateMode
CONTENT_TYPE_ANIMATION: ContentType
CONTENT_TYPE_FILM: ContentType
CONTENT_TYPE_GAMING: ContentType
CONTENT_TYPE_GRAIN: ContentType
CONTENT_TYPE_SPORTS: ContentType
CONTENT_TYPE_STILLIMAGE: ContentType
CONTENT_TYPE_UNSPECIFIED: ContentType
DELIVERY_FORMAT_CMAF: DeliveryFormat
DELIVERY_FORMAT_DASH: DeliveryFormat
DELIVERY_FORMAT_HLS: DeliveryFormat
DELIVERY_FORMAT_PROGRESSIVE: DeliveryFormat
DELIVERY_FORMAT_UNSPECIFIED: DeliveryFormat
DESCRIPTOR: _descriptor.FileDescriptor

class ArchivePresetRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ArchivePresetResponse(_message.Message):
    __slots__ = ["preset"]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    preset: Preset
    def __init__(self, preset: _Optional[_Union[Preset, _Mapping]] = ...) -> None: ...

class CreatePresetRequest(_message.Message):
    __slots__ = ["audio", "container", "content_type", "delivery_format", "description", "faststart", "name", "quality_tier", "slug", "streaming", "video"]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_FORMAT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FASTSTART_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUALITY_TIER_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    STREAMING_FIELD_NUMBER: _ClassVar[int]
    VIDEO_FIELD_NUMBER: _ClassVar[int]
    audio: PresetAudio
    container: _common_pb2.Container
    content_type: ContentType
    delivery_format: DeliveryFormat
    description: str
    faststart: bool
    name: str
    quality_tier: _common_pb2.QualityTier
    slug: str
    streaming: StreamingSettings
    video: PresetVideo
    def __init__(self, slug: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., content_type: _Optional[_Union[ContentType, str]] = ..., container: _Optional[_Union[_common_pb2.Container, str]] = ..., faststart: bool = ..., delivery_format: _Optional[_Union[DeliveryFormat, str]] = ..., streaming: _Optional[_Union[StreamingSettings, _Mapping]] = ..., video: _Optional[_Union[PresetVideo, _Mapping]] = ..., audio: _Optional[_Union[PresetAudio, _Mapping]] = ..., quality_tier: _Optional[_Union[_common_pb2.QualityTier, str]] = ...) -> None: ...

class CreatePresetResponse(_message.Message):
    __slots__ = ["preset"]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    preset: Preset
    def __init__(self, preset: _Optional[_Union[Preset, _Mapping]] = ...) -> None: ...

class DuplicatePresetRequest(_message.Message):
    __slots__ = ["id", "name", "slug"]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    slug: str
    def __init__(self, id: _Optional[str] = ..., slug: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class DuplicatePresetResponse(_message.Message):
    __slots__ = ["preset"]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    preset: Preset
    def __init__(self, preset: _Optional[_Union[Preset, _Mapping]] = ...) -> None: ...

class GetPresetBySlugRequest(_message.Message):
    __slots__ = ["slug"]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    slug: str
    def __init__(self, slug: _Optional[str] = ...) -> None: ...

class GetPresetBySlugResponse(_message.Message):
    __slots__ = ["preset"]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    preset: Preset
    def __init__(self, preset: _Optional[_Union[Preset, _Mapping]] = ...) -> None: ...

class GetPresetRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetPresetResponse(_message.Message):
    __slots__ = ["preset"]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    preset: Preset
    def __init__(self, preset: _Optional[_Union[Preset, _Mapping]] = ...) -> None: ...

class ListPresetsRequest(_message.Message):
    __slots__ = ["codec", "delivery_format", "include_archived", "include_system", "pagination"]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_FORMAT_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_SYSTEM_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    codec: _common_pb2.VideoCodec
    delivery_format: DeliveryFormat
    include_archived: bool
    include_system: bool
    pagination: _common_pb2.PaginationRequest
    def __init__(self, pagination: _Optional[_Union[_common_pb2.PaginationRequest, _Mapping]] = ..., include_system: bool = ..., include_archived: bool = ..., codec: _Optional[_Union[_common_pb2.VideoCodec, str]] = ..., delivery_format: _Optional[_Union[DeliveryFormat, str]] = ...) -> None: ...

class ListPresetsResponse(_message.Message):
    __slots__ = ["pagination", "presets"]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    PRESETS_FIELD_NUMBER: _ClassVar[int]
    pagination: _common_pb2.PaginationResponse
    presets: _containers.RepeatedCompositeFieldContainer[Preset]
    def __init__(self, presets: _Optional[_Iterable[_Union[Preset, _Mapping]]] = ..., pagination: _Optional[_Union[_common_pb2.PaginationResponse, _Mapping]] = ...) -> None: ...

class Preset(_message.Message):
    __slots__ = ["archived_at", "audio", "container", "content_type", "created_at", "delivery_format", "description", "estimated_cost_per_minute", "faststart", "id", "name", "quality_tier", "slug", "streaming", "system_preset", "updated_at", "video"]
    ARCHIVED_AT_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_FORMAT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_COST_PER_MINUTE_FIELD_NUMBER: _ClassVar[int]
    FASTSTART_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUALITY_TIER_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    STREAMING_FIELD_NUMBER: _ClassVar[int]
    SYSTEM_PRESET_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VIDEO_FIELD_NUMBER: _ClassVar[int]
    archived_at: _timestamp_pb2.Timestamp
    audio: PresetAudio
    container: _common_pb2.Container
    content_type: ContentType
    created_at: _timestamp_pb2.Timestamp
    delivery_format: DeliveryFormat
    description: str
    estimated_cost_per_minute: float
    faststart: bool
    id: str
    name: str
    quality_tier: _common_pb2.QualityTier
    slug: str
    streaming: StreamingSettings
    system_preset: bool
    updated_at: _timestamp_pb2.Timestamp
    video: PresetVideo
    def __init__(self, id: _Optional[str] = ..., slug: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., content_type: _Optional[_Union[ContentType, str]] = ..., container: _Optional[_Union[_common_pb2.Container, str]] = ..., faststart: bool = ..., delivery_format: _Optional[_Union[DeliveryFormat, str]] = ..., streaming: _Optional[_Union[StreamingSettings, _Mapping]] = ..., video: _Optional[_Union[PresetVideo, _Mapping]] = ..., audio: _Optional[_Union[PresetAudio, _Mapping]] = ..., quality_tier: _Optional[_Union[_common_pb2.QualityTier, str]] = ..., estimated_cost_per_minute: _Optional[float] = ..., system_preset: bool = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., archived_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PresetAudio(_message.Message):
    __slots__ = ["bitrate_kbps", "channels", "codec", "normalize", "sample_rate"]
    BITRATE_KBPS_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    NORMALIZE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    bitrate_kbps: int
    channels: int
    codec: _common_pb2.AudioCodec
    normalize: bool
    sample_rate: int
    def __init__(self, codec: _Optional[_Union[_common_pb2.AudioCodec, str]] = ..., bitrate_kbps: _Optional[int] = ..., sample_rate: _Optional[int] = ..., channels: _Optional[int] = ..., normalize: bool = ...) -> None: ...

class PresetVideo(_message.Message):
    __slots__ = ["bitrate_kbps", "bitrate_mode", "codec", "crf", "encoder_preset", "framerate", "gop_seconds", "max_bitrate_kbps", "profile", "resolution"]
    BITRATE_KBPS_FIELD_NUMBER: _ClassVar[int]
    BITRATE_MODE_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    CRF_FIELD_NUMBER: _ClassVar[int]
    ENCODER_PRESET_FIELD_NUMBER: _ClassVar[int]
    FRAMERATE_FIELD_NUMBER: _ClassVar[int]
    GOP_SECONDS_FIELD_NUMBER: _ClassVar[int]
    MAX_BITRATE_KBPS_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    bitrate_kbps: int
    bitrate_mode: BitrateMode
    codec: _common_pb2.VideoCodec
    crf: int
    encoder_preset: str
    framerate: float
    gop_seconds: float
    max_bitrate_kbps: int
    profile: str
    resolution: _common_pb2.Resolution
    def __init__(self, codec: _Optional[_Union[_common_pb2.VideoCodec, str]] = ..., resolution: _Optional[_Union[_common_pb2.Resolution, str]] = ..., bitrate_mode: _Optional[_Union[BitrateMode, str]] = ..., crf: _Optional[int] = ..., bitrate_kbps: _Optional[int] = ..., max_bitrate_kbps: _Optional[int] = ..., profile: _Optional[str] = ..., encoder_preset: _Optional[str] = ..., framerate: _Optional[float] = ..., gop_seconds: _Optional[float] = ...) -> None: ...

class StreamingSettings(_message.Message):
    __slots__ = ["playlist_type", "segment_duration_seconds", "segment_format"]
    PLAYLIST_TYPE_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FORMAT_FIELD_NUMBER: _ClassVar[int]
    playlist_type: _common_pb2.PlaylistType
    segment_duration_seconds: float
    segment_format: _common_pb2.SegmentFormat
    def __init__(self, segment_duration_seconds: _Optional[float] = ..., playlist_type: _Optional[_Union[_common_pb2.PlaylistType, str]] = ..., segment_format: _Optional[_Union[_common_pb2.SegmentFormat, str]] = ...) -> None: ...

class UpdatePresetRequest(_message.Message):
    __slots__ = ["audio", "container", "content_type", "delivery_format", "description", "faststart", "id", "name", "quality_tier", "streaming", "video"]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_FORMAT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FASTSTART_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUALITY_TIER_FIELD_NUMBER: _ClassVar[int]
    STREAMING_FIELD_NUMBER: _ClassVar[int]
    VIDEO_FIELD_NUMBER: _ClassVar[int]
    audio: PresetAudio
    container: _common_pb2.Container
    content_type: ContentType
    delivery_format: DeliveryFormat
    description: str
    faststart: bool
    id: str
    name: str
    quality_tier: _common_pb2.QualityTier
    streaming: StreamingSettings
    video: PresetVideo
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., content_type: _Optional[_Union[ContentType, str]] = ..., container: _Optional[_Union[_common_pb2.Container, str]] = ..., faststart: bool = ..., delivery_format: _Optional[_Union[DeliveryFormat, str]] = ..., streaming: _Optional[_Union[StreamingSettings, _Mapping]] = ..., video: _Optional[_Union[PresetVideo, _Mapping]] = ..., audio: _Optional[_Union[PresetAudio, _Mapping]] = ..., quality_tier: _Optional[_Union[_common_pb2.QualityTier, str]] = ...) -> None: ...

class UpdatePresetResponse(_message.Message):
    __slots__ = ["preset"]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    preset: Preset
    def __init__(self, preset: _Optional[_Union[Preset, _Mapping]] = ...) -> None: ...

class ContentType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DeliveryFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class BitrateMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
