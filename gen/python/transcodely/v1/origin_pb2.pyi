from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from transcodely.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
ORIGIN_PERMISSION_READ: OriginPermission
ORIGIN_PERMISSION_UNSPECIFIED: OriginPermission
ORIGIN_PERMISSION_WRITE: OriginPermission
ORIGIN_PROVIDER_GCS: OriginProvider
ORIGIN_PROVIDER_HTTP: OriginProvider
ORIGIN_PROVIDER_R2: OriginProvider
ORIGIN_PROVIDER_S3: OriginProvider
ORIGIN_PROVIDER_UNSPECIFIED: OriginProvider
ORIGIN_STATUS_ACTIVE: OriginStatus
ORIGIN_STATUS_ARCHIVED: OriginStatus
ORIGIN_STATUS_FAILED: OriginStatus
ORIGIN_STATUS_UNSPECIFIED: OriginStatus

class ArchiveOriginRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ArchiveOriginResponse(_message.Message):
    __slots__ = ["origin"]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    origin: Origin
    def __init__(self, origin: _Optional[_Union[Origin, _Mapping]] = ...) -> None: ...

class CreateOriginRequest(_message.Message):
    __slots__ = ["base_path", "description", "gcs", "http", "name", "path_template", "permissions", "r2", "s3"]
    BASE_PATH_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    GCS_FIELD_NUMBER: _ClassVar[int]
    HTTP_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PATH_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    R2_FIELD_NUMBER: _ClassVar[int]
    S3_FIELD_NUMBER: _ClassVar[int]
    base_path: str
    description: str
    gcs: GCSOriginInput
    http: HTTPOriginInput
    name: str
    path_template: str
    permissions: _containers.RepeatedScalarFieldContainer[OriginPermission]
    r2: R2OriginInput
    s3: S3OriginInput
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., permissions: _Optional[_Iterable[_Union[OriginPermission, str]]] = ..., base_path: _Optional[str] = ..., path_template: _Optional[str] = ..., s3: _Optional[_Union[S3OriginInput, _Mapping]] = ..., gcs: _Optional[_Union[GCSOriginInput, _Mapping]] = ..., r2: _Optional[_Union[R2OriginInput, _Mapping]] = ..., http: _Optional[_Union[HTTPOriginInput, _Mapping]] = ...) -> None: ...

class CreateOriginResponse(_message.Message):
    __slots__ = ["origin", "validation"]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    VALIDATION_FIELD_NUMBER: _ClassVar[int]
    origin: Origin
    validation: ValidationResult
    def __init__(self, origin: _Optional[_Union[Origin, _Mapping]] = ..., validation: _Optional[_Union[ValidationResult, _Mapping]] = ...) -> None: ...

class GCSCredentials(_message.Message):
    __slots__ = ["hmac_access_id", "hmac_secret", "service_account_json"]
    HMAC_ACCESS_ID_FIELD_NUMBER: _ClassVar[int]
    HMAC_SECRET_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ACCOUNT_JSON_FIELD_NUMBER: _ClassVar[int]
    hmac_access_id: str
    hmac_secret: str
    service_account_json: str
    def __init__(self, service_account_json: _Optional[str] = ..., hmac_access_id: _Optional[str] = ..., hmac_secret: _Optional[str] = ...) -> None: ...

class GCSLocation(_message.Message):
    __slots__ = ["bucket"]
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    bucket: str
    def __init__(self, bucket: _Optional[str] = ...) -> None: ...

class GCSOriginInput(_message.Message):
    __slots__ = ["bucket", "credentials"]
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    bucket: str
    credentials: GCSCredentials
    def __init__(self, bucket: _Optional[str] = ..., credentials: _Optional[_Union[GCSCredentials, _Mapping]] = ...) -> None: ...

class GetOriginRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetOriginResponse(_message.Message):
    __slots__ = ["origin"]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    origin: Origin
    def __init__(self, origin: _Optional[_Union[Origin, _Mapping]] = ...) -> None: ...

class HTTPLocation(_message.Message):
    __slots__ = ["base_url", "header_names"]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    HEADER_NAMES_FIELD_NUMBER: _ClassVar[int]
    base_url: str
    header_names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, base_url: _Optional[str] = ..., header_names: _Optional[_Iterable[str]] = ...) -> None: ...

class HTTPOriginInput(_message.Message):
    __slots__ = ["base_url", "headers"]
    class HeadersEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    base_url: str
    headers: _containers.ScalarMap[str, str]
    def __init__(self, base_url: _Optional[str] = ..., headers: _Optional[_Mapping[str, str]] = ...) -> None: ...

class ListOriginsRequest(_message.Message):
    __slots__ = ["pagination", "provider", "status"]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    pagination: _common_pb2.PaginationRequest
    provider: OriginProvider
    status: OriginStatus
    def __init__(self, pagination: _Optional[_Union[_common_pb2.PaginationRequest, _Mapping]] = ..., status: _Optional[_Union[OriginStatus, str]] = ..., provider: _Optional[_Union[OriginProvider, str]] = ...) -> None: ...

class ListOriginsResponse(_message.Message):
    __slots__ = ["origins", "pagination"]
    ORIGINS_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    origins: _containers.RepeatedCompositeFieldContainer[Origin]
    pagination: _common_pb2.PaginationResponse
    def __init__(self, origins: _Optional[_Iterable[_Union[Origin, _Mapping]]] = ..., pagination: _Optional[_Union[_common_pb2.PaginationResponse, _Mapping]] = ...) -> None: ...

class Origin(_message.Message):
    __slots__ = ["archived_at", "base_path", "created_at", "description", "gcs", "http", "id", "last_validated_at", "name", "path_template", "permissions", "provider", "r2", "s3", "status", "updated_at", "validation_error"]
    ARCHIVED_AT_FIELD_NUMBER: _ClassVar[int]
    BASE_PATH_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    GCS_FIELD_NUMBER: _ClassVar[int]
    HTTP_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LAST_VALIDATED_AT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PATH_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    R2_FIELD_NUMBER: _ClassVar[int]
    S3_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VALIDATION_ERROR_FIELD_NUMBER: _ClassVar[int]
    archived_at: _timestamp_pb2.Timestamp
    base_path: str
    created_at: _timestamp_pb2.Timestamp
    description: str
    gcs: GCSLocation
    http: HTTPLocation
    id: str
    last_validated_at: _timestamp_pb2.Timestamp
    name: str
    path_template: str
    permissions: _containers.RepeatedScalarFieldContainer[OriginPermission]
    provider: OriginProvider
    r2: R2Location
    s3: S3Location
    status: OriginStatus
    updated_at: _timestamp_pb2.Timestamp
    validation_error: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., provider: _Optional[_Union[OriginProvider, str]] = ..., permissions: _Optional[_Iterable[_Union[OriginPermission, str]]] = ..., status: _Optional[_Union[OriginStatus, str]] = ..., base_path: _Optional[str] = ..., path_template: _Optional[str] = ..., s3: _Optional[_Union[S3Location, _Mapping]] = ..., gcs: _Optional[_Union[GCSLocation, _Mapping]] = ..., r2: _Optional[_Union[R2Location, _Mapping]] = ..., http: _Optional[_Union[HTTPLocation, _Mapping]] = ..., last_validated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., validation_error: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., archived_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class R2Location(_message.Message):
    __slots__ = ["account_id", "bucket", "endpoint"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    bucket: str
    endpoint: str
    def __init__(self, bucket: _Optional[str] = ..., account_id: _Optional[str] = ..., endpoint: _Optional[str] = ...) -> None: ...

class R2OriginInput(_message.Message):
    __slots__ = ["account_id", "bucket", "credentials", "endpoint"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    bucket: str
    credentials: S3Credentials
    endpoint: str
    def __init__(self, bucket: _Optional[str] = ..., account_id: _Optional[str] = ..., endpoint: _Optional[str] = ..., credentials: _Optional[_Union[S3Credentials, _Mapping]] = ...) -> None: ...

class S3Credentials(_message.Message):
    __slots__ = ["access_key_id", "secret_access_key"]
    ACCESS_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    SECRET_ACCESS_KEY_FIELD_NUMBER: _ClassVar[int]
    access_key_id: str
    secret_access_key: str
    def __init__(self, access_key_id: _Optional[str] = ..., secret_access_key: _Optional[str] = ...) -> None: ...

class S3Location(_message.Message):
    __slots__ = ["bucket", "endpoint", "region"]
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    bucket: str
    endpoint: str
    region: str
    def __init__(self, bucket: _Optional[str] = ..., region: _Optional[str] = ..., endpoint: _Optional[str] = ...) -> None: ...

class S3OriginInput(_message.Message):
    __slots__ = ["bucket", "credentials", "endpoint", "region"]
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    bucket: str
    credentials: S3Credentials
    endpoint: str
    region: str
    def __init__(self, bucket: _Optional[str] = ..., region: _Optional[str] = ..., endpoint: _Optional[str] = ..., credentials: _Optional[_Union[S3Credentials, _Mapping]] = ...) -> None: ...

class UpdateOriginRequest(_message.Message):
    __slots__ = ["base_path", "description", "gcs_credentials", "http_headers", "id", "name", "path_template", "s3_credentials"]
    class HttpHeadersEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    BASE_PATH_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    GCS_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    HTTP_HEADERS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PATH_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    S3_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    base_path: str
    description: str
    gcs_credentials: GCSCredentials
    http_headers: _containers.ScalarMap[str, str]
    id: str
    name: str
    path_template: str
    s3_credentials: S3Credentials
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., base_path: _Optional[str] = ..., path_template: _Optional[str] = ..., s3_credentials: _Optional[_Union[S3Credentials, _Mapping]] = ..., gcs_credentials: _Optional[_Union[GCSCredentials, _Mapping]] = ..., http_headers: _Optional[_Mapping[str, str]] = ...) -> None: ...

class UpdateOriginResponse(_message.Message):
    __slots__ = ["origin", "validation"]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    VALIDATION_FIELD_NUMBER: _ClassVar[int]
    origin: Origin
    validation: ValidationResult
    def __init__(self, origin: _Optional[_Union[Origin, _Mapping]] = ..., validation: _Optional[_Union[ValidationResult, _Mapping]] = ...) -> None: ...

class ValidateOriginRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ValidateOriginResponse(_message.Message):
    __slots__ = ["origin", "validation"]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    VALIDATION_FIELD_NUMBER: _ClassVar[int]
    origin: Origin
    validation: ValidationResult
    def __init__(self, origin: _Optional[_Union[Origin, _Mapping]] = ..., validation: _Optional[_Union[ValidationResult, _Mapping]] = ...) -> None: ...

class ValidationResult(_message.Message):
    __slots__ = ["checked_at", "error", "permissions_verified", "success"]
    CHECKED_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_VERIFIED_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    checked_at: _timestamp_pb2.Timestamp
    error: str
    permissions_verified: _containers.RepeatedScalarFieldContainer[OriginPermission]
    success: bool
    def __init__(self, success: bool = ..., permissions_verified: _Optional[_Iterable[_Union[OriginPermission, str]]] = ..., error: _Optional[str] = ..., checked_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OriginProvider(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class OriginPermission(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class OriginStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
