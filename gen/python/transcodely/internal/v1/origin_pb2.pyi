from transcodely.v1 import origin_pb2 as _origin_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ResolveOriginRequest(_message.Message):
    __slots__ = ["app_id", "environment", "include_archived", "organization_id", "origin_id", "permission"]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_ID_FIELD_NUMBER: _ClassVar[int]
    PERMISSION_FIELD_NUMBER: _ClassVar[int]
    app_id: str
    environment: str
    include_archived: bool
    organization_id: str
    origin_id: str
    permission: _origin_pb2.OriginPermission
    def __init__(self, origin_id: _Optional[str] = ..., app_id: _Optional[str] = ..., organization_id: _Optional[str] = ..., permission: _Optional[_Union[_origin_pb2.OriginPermission, str]] = ..., environment: _Optional[str] = ..., include_archived: bool = ...) -> None: ...

class ResolveOriginResponse(_message.Message):
    __slots__ = ["origin"]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    origin: ResolvedOrigin
    def __init__(self, origin: _Optional[_Union[ResolvedOrigin, _Mapping]] = ...) -> None: ...

class ResolvedOrigin(_message.Message):
    __slots__ = ["access_key_id", "bucket", "endpoint", "http_headers", "origin", "region", "secret_access_key"]
    class HttpHeadersEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ACCESS_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    HTTP_HEADERS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SECRET_ACCESS_KEY_FIELD_NUMBER: _ClassVar[int]
    access_key_id: str
    bucket: str
    endpoint: str
    http_headers: _containers.ScalarMap[str, str]
    origin: _origin_pb2.Origin
    region: str
    secret_access_key: str
    def __init__(self, origin: _Optional[_Union[_origin_pb2.Origin, _Mapping]] = ..., access_key_id: _Optional[str] = ..., secret_access_key: _Optional[str] = ..., http_headers: _Optional[_Mapping[str, str]] = ..., endpoint: _Optional[str] = ..., region: _Optional[str] = ..., bucket: _Optional[str] = ...) -> None: ...
