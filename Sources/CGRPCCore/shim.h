// The C surface of Debian's libgrpc (1.51) that GRPCCoreClient uses.
// Only C headers: the grpc/ include directory also holds C++ headers (event_engine/), so no umbrella.
#ifndef CGRPCCORE_SHIM_H
#define CGRPCCORE_SHIM_H

// The C library first: grpc's port_platform.h defines _GNU_SOURCE, which would give this module
// another fd_set than Swift's Glibc module ("fds_bits" vs "__fds_bits"), a clash on a clean build.
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/types.h>
#include <time.h>

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/compression.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>

// Function-like macros do not import into Swift: these helpers expose them.

// By pointer: a small slice stores its bytes inline, so the start of a by-value copy would dangle.
static inline const uint8_t *cgrpc_slice_start(const grpc_slice *slice) { return GRPC_SLICE_START_PTR(*slice); }

static inline size_t cgrpc_slice_length(const grpc_slice *slice) { return GRPC_SLICE_LENGTH(*slice); }

/// Propagation mask for calls without a parent call.
static inline uint32_t cgrpc_propagate_defaults(void) { return GRPC_PROPAGATE_DEFAULTS; }

/// Initial-metadata op flags asking the call to wait for the channel to become ready.
static inline uint32_t cgrpc_wait_for_ready_flags(void) {
  return GRPC_INITIAL_METADATA_WAIT_FOR_READY | GRPC_INITIAL_METADATA_WAIT_FOR_READY_EXPLICITLY_SET;
}

/// Initial-metadata op flags saying the call fails fast when the channel is not ready (explicitly).
static inline uint32_t cgrpc_fail_fast_flags(void) { return GRPC_INITIAL_METADATA_WAIT_FOR_READY_EXPLICITLY_SET; }

/// Channel-argument keys whose macros span several lines.
static inline const char *cgrpc_arg_initial_reconnect_backoff_ms(void) { return GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS; }
static inline const char *cgrpc_arg_min_reconnect_backoff_ms(void) { return GRPC_ARG_MIN_RECONNECT_BACKOFF_MS; }
static inline const char *cgrpc_arg_max_reconnect_backoff_ms(void) { return GRPC_ARG_MAX_RECONNECT_BACKOFF_MS; }
static inline const char *cgrpc_arg_max_send_message_length(void) { return GRPC_ARG_MAX_SEND_MESSAGE_LENGTH; }
static inline const char *cgrpc_arg_primary_user_agent(void) { return GRPC_ARG_PRIMARY_USER_AGENT_STRING; }
static inline const char *cgrpc_arg_default_compression_algorithm(void) {
  return GRPC_COMPRESSION_CHANNEL_DEFAULT_ALGORITHM;
}
static inline const char *cgrpc_arg_service_config(void) { return GRPC_ARG_SERVICE_CONFIG; }

#endif
