import CCurl

/// Gzip, for `Content-Encoding: gzip` request bodies (zlib, as libcurl links it).
package enum Gzip {
  /// `bytes` compressed; `nil` only if zlib fails.
  package static func compress(_ bytes: [UInt8]) -> [UInt8]? {
    var output = [UInt8](repeating: 0, count: sinks_gzip_bound(bytes.count))
    var length = output.count
    let status = bytes.withUnsafeBufferPointer { input in
      output.withUnsafeMutableBufferPointer { out in
        sinks_gzip(input.baseAddress, input.count, out.baseAddress, &length)
      }
    }
    guard status == Z_OK else { return nil }
    output.removeSubrange(length...)
    return output
  }
}

/// HTTP dates (`Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`), parsed by libcurl.
package enum HTTPDate {
  /// Seconds since the Unix epoch, or `nil` when `text` is not a date libcurl reads.
  package static func unixSeconds(_ text: String) -> Int64? {
    let seconds = curl_getdate(text, nil)
    return seconds < 0 ? nil : Int64(seconds)
  }
}
