"""google.rpc.Status and google.rpc.RetryInfo, built at runtime from their field definitions.

Why not googleapis-common-protos: it is the only thing we would need it for, and keeping the
requirements at grpcio + opentelemetry-proto + protobuf lets any venv with the OTLP classes run
the receiver. The field numbers are those of google/rpc/status.proto and error_details.proto, so
the bytes are exactly what the official classes produce (type URL included).
"""

from __future__ import annotations

from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, duration_pb2, message_factory

_F = descriptor_pb2.FieldDescriptorProto


def _classes() -> tuple[type, type]:
    pool = descriptor_pool.DescriptorPool()
    # The well-known types must be in the same pool as the messages that refer to them.
    for module in (any_pb2, duration_pb2):
        proto = descriptor_pb2.FileDescriptorProto()
        module.DESCRIPTOR.CopyToProto(proto)
        pool.Add(proto)
    rpc = descriptor_pb2.FileDescriptorProto(
        name="google/rpc/obs_sinks_status.proto", package="google.rpc", syntax="proto3",
        dependency=["google/protobuf/any.proto", "google/protobuf/duration.proto"],
    )
    status = rpc.message_type.add(name="Status")
    status.field.add(name="code", number=1, label=_F.LABEL_OPTIONAL, type=_F.TYPE_INT32)
    status.field.add(name="message", number=2, label=_F.LABEL_OPTIONAL, type=_F.TYPE_STRING)
    status.field.add(name="details", number=3, label=_F.LABEL_REPEATED, type=_F.TYPE_MESSAGE,
                     type_name=".google.protobuf.Any")
    retry = rpc.message_type.add(name="RetryInfo")
    retry.field.add(name="retry_delay", number=1, label=_F.LABEL_OPTIONAL, type=_F.TYPE_MESSAGE,
                    type_name=".google.protobuf.Duration")
    pool.Add(rpc)
    return (message_factory.GetMessageClass(pool.FindMessageTypeByName("google.rpc.Status")),
            message_factory.GetMessageClass(pool.FindMessageTypeByName("google.rpc.RetryInfo")))


Status, RetryInfo = _classes()
RETRY_INFO_TYPE_URL = "type.googleapis.com/google.rpc.RetryInfo"


def status(code: int, message: str) -> bytes:
    """Serialized Status{code, message}: the body of every OTLP/HTTP 4xx/5xx answer."""
    return Status(code=code, message=message).SerializeToString()


def status_with_retry_info(code: int, message: str, delay_ms: int) -> bytes:
    """Serialized Status{code, message, details=[Any(RetryInfo{retry_delay})]}."""
    info = RetryInfo()
    info.retry_delay.seconds = delay_ms // 1000
    info.retry_delay.nanos = (delay_ms % 1000) * 1_000_000
    status = Status(code=code, message=message)
    detail = status.details.add()
    detail.type_url = RETRY_INFO_TYPE_URL
    detail.value = info.SerializeToString()
    return status.SerializeToString()


def decode_status(serialized: bytes) -> tuple[int, str, int | None]:
    """(code, message, RetryInfo delay in ms or None) of a serialized Status."""
    decoded = Status.FromString(serialized)
    return decoded.code, decoded.message, retry_delay_ms(serialized)


def retry_delay_ms(status_details_bin: bytes) -> int | None:
    """The RetryInfo delay of a serialized Status, or None when it has none."""
    status = Status.FromString(status_details_bin)
    for detail in status.details:
        if detail.type_url == RETRY_INFO_TYPE_URL:
            delay = RetryInfo.FromString(detail.value).retry_delay
            return delay.seconds * 1000 + delay.nanos // 1_000_000
    return None
