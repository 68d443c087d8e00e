#!/usr/bin/env python3
"""The OpenTelemetry Python SDK's sampling decisions (the SDK under the reference) for trace ids.

    sdk_sampler_decisions.py SAMPLER RATE < trace-ids

SAMPLER is an OTEL_TRACES_SAMPLER name; reads one 32-hex-digit trace id per line and prints, as
one JSON line, {"sampled": [true|false, ...]}: whether the SDK's sampler, built by the SDK itself
from OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG, records a root span of that trace.
"""

import json
import os
import sys

from opentelemetry.sdk.trace import sampling

os.environ["OTEL_TRACES_SAMPLER"], os.environ["OTEL_TRACES_SAMPLER_ARG"] = sys.argv[1], sys.argv[2]
sampler = sampling._get_from_env_or_default()  # what TracerProvider() does with no sampler given
decisions = [
    sampler.should_sample(None, int(line, 16), "rlm.run").decision.is_sampled()
    for line in sys.stdin.read().split()
]
print(json.dumps({"sampled": decisions}))
