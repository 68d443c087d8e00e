/// Where and how a sink keeps its spool (``OpenTelemetrySinkConfiguration/spoolDirectory``).
struct SpoolSettings: Hashable, Sendable {
  /// The directory; created (0700) when missing, its parent must exist.
  var directory: String
  /// How long a record may wait in memory before it is written: a process crash loses at most
  /// this much (plus what is being converted).
  var writeInterval: Duration = .milliseconds(50)
  /// How often what was written is synced to the disk: a machine crash loses at most this much.
  var syncInterval: Duration = .seconds(1)
  /// A segment file is closed and the next begun beyond this size.
  var segmentBytes = 8 << 20
  /// The hand-off from the hooks to the spool's writer: a bound, not an allocation.
  var bufferCapacity = 65_536
  /// A failed batch waits this long before it is sent again, doubling to ``longestRetryDelay``.
  var firstRetryDelay: Duration = .seconds(1)
  var longestRetryDelay: Duration = .seconds(30)
}
