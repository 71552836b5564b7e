from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

AUDIO_CODEC_AAC: AudioCodec
AUDIO_CODEC_OPUS: AudioCodec
AUDIO_CODEC_UNSPECIFIED: AudioCodec
CONTAINER_MKV: Container
CONTAINER_MOV: Container
CONTAINER_MP4: Container
CONTAINER_TS: Container
CONTAINER_UNSPECIFIED: Container
CONTAINER_WEBM: Container
DESCRIPTOR: _descriptor.FileDescriptor
PLAYLIST_TYPE_EVENT: PlaylistType
PLAYLIST_TYPE_UNSPECIFIED: PlaylistType
PLAYLIST_TYPE_VOD: PlaylistType
QUALITY_TIER_ECONOMY: QualityTier
QUALITY_TIER_PREMIUM: QualityTier
QUALITY_TIER_STANDARD: QualityTier
QUALITY_TIER_UNSPECIFIED: QualityTier
RESOLUTION_1080P: Resolution
RESOLUTION_1440P: Resolution
RESOLUTION_2160P: Resolution
RESOLUTION_240P: Resolution
RESOLUTION_360P: Resolution
RESOLUTION_4320P: Resolution
RESOLUTION_480P: Resolution
RESOLUTION_720P: Resolution
RESOLUTION_UNSPECIFIED: Resolution
SEGMENT_FORMAT_FMP4: SegmentFormat
SEGMENT_FORMAT_TS: SegmentFormat
SEGMENT_FORMAT_UNSPECIFIED: SegmentFormat
VIDEO_CODEC_AV1: VideoCodec
VIDEO_CODEC_H264: VideoCodec
VIDEO_CODEC_H265: VideoCodec
VIDEO_CODEC_UNSPECIFIED: VideoCodec
VIDEO_CODEC_VP9: VideoCodec

class ErrorDetails(_message.Message):
    __slots__ = ["code", "field_violations", "message"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    FIELD_VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: str
    field_violations: _containers.RepeatedCompositeFieldContainer[FieldViolation]
    message: str
    def __init__(self, code: _Optional[str] = ..., message: _Optional[str] = ..., field_violations: _Optional[_Iterable[_Union[FieldViolation, _Mapping]]] = ...) -> None: ...

class FieldViolation(_message.Message):
    __slots__ = ["description", "field"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    description: str
    field: str
    def __init__(self, field: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class PaginationRequest(_message.Message):
    __slots__ = ["cursor", "limit", "offset"]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    limit: int
    offset: int
    def __init__(self, limit: _Optional[int] = ..., cursor: _Optional[str] = ..., offset: _Optional[int] = ...) -> None: ...

class PaginationResponse(_message.Message):
    __slots__ = ["next_cursor", "total_count"]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    next_cursor: str
    total_count: int
    def __init__(self, next_cursor: _Optional[str] = ..., total_count: _Optional[int] = ...) -> None: ...

class VideoCodec(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class AudioCodec(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Resolution(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class QualityTier(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Container(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class PlaylistType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class SegmentFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
