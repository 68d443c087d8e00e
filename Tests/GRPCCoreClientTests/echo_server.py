"""A generic gRPC test server (grpcio) for GRPCCoreClientTests: raw bytes in, raw bytes out.

Prints `READY <port>` as its first stdout line, then serves on 127.0.0.1 until stdin closes or SIGTERM.

Methods (service `test.Echo`):
  Echo         returns the request bytes.
  Metadata     returns the received metadata as JSON ({key: text, or hex for -bin keys}).
  DecodeTrace  parses the request as an OTLP ExportTraceServiceRequest, returns it as JSON.
  DecodeMetrics  likewise for ExportMetricsServiceRequest.
Per-call behaviour, from request metadata:
  x-delay-ms: <int>        sleep first
  x-status-code: <int>     fail with this status (with x-status-message as its message)
  x-retry-delay-ms: <int>  add grpc-status-details-bin = google.rpc.Status{RetryInfo{retry_delay}}
  x-trailer-bin: <bytes>   echoed back as trailing metadata `x-echo-trailer-bin`
"""

import json
import os
import signal
import sys
import threading
import time
from concurrent import futures

import grpc

CODES = {code.value[0]: code for code in grpc.StatusCode}


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def length_delimited(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def varint_field(number, value):
    return varint(number << 3) + varint(value)


def status_details(code, message, retry_delay_ms):
    duration = varint_field(1, retry_delay_ms // 1000) + varint_field(2, (retry_delay_ms % 1000) * 1_000_000)
    retry_info = length_delimited(1, duration)
    any_message = length_delimited(1, b"type.googleapis.com/google.rpc.RetryInfo") + length_delimited(2, retry_info)
    return varint_field(1, code) + length_delimited(2, message.encode()) + length_delimited(3, any_message)


def as_json_metadata(metadata):
    return {key: (value.hex() if isinstance(value, bytes) else value) for key, value in metadata}


def decode(message_class):
    def handler(request):
        from google.protobuf import json_format

        message = message_class()
        message.ParseFromString(request)
        return json_format.MessageToJson(message, preserving_proto_field_name=True).encode()

    return handler


def trace_request():
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

    return trace_service_pb2.ExportTraceServiceRequest


def metrics_request():
    from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2

    return metrics_service_pb2.ExportMetricsServiceRequest


def behaviour(respond):
    def handler(request, context):
        metadata = dict(context.invocation_metadata())
        if "x-delay-ms" in metadata:
            # Tells a waiting test that the call has reached the server.
            print(f"DELAYING {metadata['x-delay-ms']}", flush=True)
            time.sleep(int(metadata["x-delay-ms"]) / 1000)
        trailers = []
        if "x-trailer-bin" in metadata:
            trailers.append(("x-echo-trailer-bin", metadata["x-trailer-bin"]))
        if "x-status-code" in metadata:
            code = int(metadata["x-status-code"])
            message = metadata.get("x-status-message", "")
            if "x-retry-delay-ms" in metadata:
                details = status_details(code, message, int(metadata["x-retry-delay-ms"]))
                trailers.append(("grpc-status-details-bin", details))
            context.set_trailing_metadata(trailers)
            context.abort(CODES[code], message)
        context.set_trailing_metadata(trailers)
        return respond(request, context)

    return handler


def main():
    # A parent may hand down a blocked SIGTERM (Foundation's Process does): unblock it and exit on it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    handlers = {
        "Echo": lambda request, context: request,
        "Metadata": lambda request, context: json.dumps(as_json_metadata(context.invocation_metadata())).encode(),
        "DecodeTrace": lambda request, context: decode(trace_request())(request),
        "DecodeMetrics": lambda request, context: decode(metrics_request())(request),
    }
    generic = grpc.method_handlers_generic_handler(
        "test.Echo", {name: grpc.unary_unary_rpc_method_handler(behaviour(fn)) for name, fn in handlers.items()}
    )
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((generic,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(f"READY {port}", flush=True)
    # Exit when the test process goes away (its end of our stdin closes).
    threading.Thread(target=lambda: (sys.stdin.read(), server.stop(0)), daemon=True).start()
    server.wait_for_termination()


if __name__ == "__main__":
    main()
