// libcurl (Debian libcurl4-openssl-dev) and zlib for the OTLP/HTTP transport. curl_easy_setopt and
// curl_easy_getinfo are variadic and deflateInit2 is a macro: Swift can call none of them, so each
// use gets a typed inline wrapper here.
#ifndef OBSERVABILITY_SINKS_CCURL_SHIM_H
#define OBSERVABILITY_SINKS_CCURL_SHIM_H

#include <curl/curl.h>
#include <string.h>
#include <zlib.h>

static inline CURLcode sinks_curl_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sinks_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sinks_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sinks_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
  return curl_easy_setopt(handle, option, value);
}

typedef size_t (*sinks_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode sinks_curl_setopt_data_callback(
    CURL *handle, CURLoption option, sinks_curl_data_callback callback) {
  return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode sinks_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return curl_easy_getinfo(handle, info, value);
}

/// Gzip-compresses `input` into `output` (capacity `*outputLength`, updated to the size written);
/// returns Z_OK, or a zlib error (Z_BUF_ERROR when the output is too small).
static inline int sinks_gzip(
    const unsigned char *input, size_t inputLength, unsigned char *output, size_t *outputLength) {
  z_stream stream;
  memset(&stream, 0, sizeof(stream));
  // 15 window bits + 16: a gzip header and trailer, as Content-Encoding: gzip means.
  int status = deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  if (status != Z_OK) return status;
  stream.next_in = (unsigned char *)input;
  stream.avail_in = (uInt)inputLength;
  stream.next_out = output;
  stream.avail_out = (uInt)*outputLength;
  status = deflate(&stream, Z_FINISH);
  *outputLength = stream.total_out;
  deflateEnd(&stream);
  return status == Z_STREAM_END ? Z_OK : (status == Z_OK ? Z_BUF_ERROR : status);
}

static inline size_t sinks_gzip_bound(size_t inputLength) {
  // deflateBound without a stream, plus the gzip header and trailer (18 bytes).
  return compressBound((uLong)inputLength) + 18;
}

#endif
