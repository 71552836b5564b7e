from transcodely.v1 import preset_pb2 as _preset_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ResolvePresetRequest(_message.Message):
    __slots__ = ["app_id", "environment", "ref"]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    REF_FIELD_NUMBER: _ClassVar[int]
    app_id: str
    environment: str
    ref: str
    def __init__(self, app_id: _Optional[str] = ..., ref: _Optional[str] = ..., environment: _Optional[str] = ...) -> None: ...

class ResolvePresetResponse(_message.Message):
    __slots__ = ["preset"]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    preset: _preset_pb2.Preset
    def __init__(self, preset: _Optional[_Union[_preset_pb2.Preset, _Mapping]] = ...) -> None: ...
