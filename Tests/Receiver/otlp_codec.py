"""Encodes and decodes OTLP messages with the official opentelemetry-proto classes, so that the
Swift encoder and decoder are checked against an independent implementation.

    otlp_codec.py decode traces|metrics FILE        -> the request as JSON (proto field names)
    otlp_codec.py trace-response REJECTED MESSAGE FILE
    otlp_codec.py metrics-response REJECTED MESSAGE FILE
    otlp_codec.py retry-status DELAY_MS FILE        -> a google.rpc.Status carrying RetryInfo
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from google.protobuf import json_format
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

from rpc_status import status_with_retry_info


def main(argv: list[str]) -> int:
    command = argv[0]
    if command == "decode":
        kind, path = argv[1], argv[2]
        message = (trace_service_pb2.ExportTraceServiceRequest() if kind == "traces"
                   else metrics_service_pb2.ExportMetricsServiceRequest())
        message.ParseFromString(Path(path).read_bytes())
        print(json.dumps(json_format.MessageToDict(message, preserving_proto_field_name=True)))
        return 0
    if command == "trace-response":
        response = trace_service_pb2.ExportTraceServiceResponse()
        response.partial_success.rejected_spans = int(argv[1])
        response.partial_success.error_message = argv[2]
        Path(argv[3]).write_bytes(response.SerializeToString())
        return 0
    if command == "metrics-response":
        response = metrics_service_pb2.ExportMetricsServiceResponse()
        response.partial_success.rejected_data_points = int(argv[1])
        response.partial_success.error_message = argv[2]
        Path(argv[3]).write_bytes(response.SerializeToString())
        return 0
    if command == "retry-status":
        Path(argv[2]).write_bytes(status_with_retry_info(8, "slow down", int(argv[1])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
