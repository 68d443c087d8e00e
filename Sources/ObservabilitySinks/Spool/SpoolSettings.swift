import SinkSpool

/// Where and how a sink keeps its spool (``OpenTelemetrySinkConfiguration/spoolDirectory``).
struct SpoolSettings: Hashable, Sendable {
  /// The directory; created (0700) when missing, its parent must exist.
  var directory: String
  /// How long a record may wait in memory before it is written: a process crash loses at most
  /// this much (plus what is being converted).
  var writeInterval: Duration = .milliseconds(50)
  /// How often what was written is synced to the disk: a machine crash loses at most this much.
  var syncInterval: Duration = .seconds(1)
  /// How often the directory is looked at again for streams that processes which died (or shut
  /// down with spans unsent) since this one started left; zero: at start only.
  var rescanInterval: Duration = .seconds(60)
  /// The most this process's stream may hold on disk; beyond it the oldest segments go, their
  /// unsent spans counted as dropped (`DSPY_RLM_OTEL_SPOOL_MAX_BYTES`, 512 MiB).
  var maxBytes = 512 << 20
  /// A segment file is closed and the next begun beyond this size: 8 MiB, at most a quarter of
  /// ``maxBytes``, and below the process's file-size limit (writing past it would raise SIGXFSZ,
  /// which ends the host).
  var segmentBytes = 8 << 20
  /// How often the size bound's discards are said again while they go on.
  var problemLogInterval: Duration = .seconds(30)

  /// The smallest size bound: four segments of 64 KiB.
  static let smallestMaxBytes = 256 << 10

  init(directory: String, maxBytes: Int? = nil, fileSizeLimit: Int? = nil) {
    self.directory = directory
    if let maxBytes { self.maxBytes = max(Self.smallestMaxBytes, maxBytes) }
    segmentBytes = min(segmentBytes, self.maxBytes / 4)
    if let fileSizeLimit {
      segmentBytes = min(segmentBytes, fileSizeLimit - (64 << 10) - SpoolRecord.largestPayload)
    }
  }

  /// Why the spool cannot be used under the process's file-size limit, if it cannot.
  var refusal: String? {
    segmentBytes < 64 << 10
      ? "the process's file-size limit (RLIMIT_FSIZE) leaves segments under 64 KiB; spans stay in memory"
      : nil
  }
  /// The hand-off from the hooks to the spool's writer: a bound, not an allocation.
  var bufferCapacity = 65_536
  /// A failed batch waits this long before it is sent again, doubling to ``longestRetryDelay``.
  var firstRetryDelay: Duration = .seconds(1)
  var longestRetryDelay: Duration = .seconds(30)
}
