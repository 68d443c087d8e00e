import Foundation
import ObservabilitySinks

/// Measures how long a blocking call kept its caller, and prints one row of the fault table
/// (case → delivered / counted / time) that the closing note quotes.
enum FaultReport {
  static func timed<T>(_ body: () -> T) -> (T, Duration) {
    let start = ContinuousClock.now
    let value = body()
    return (value, ContinuousClock.now - start)
  }

  static func row(_ name: String, delivered: Int, status: OpenTelemetrySinkStatus, waited: Duration) {
    let millis = waited.components.seconds * 1000 + waited.components.attoseconds / 1_000_000_000_000_000
    print(
      "FAULT | \(name) | delivered \(delivered) | exported \(status.spansExported), failed \(status.spansFailed), "
        + "rejected \(status.spansRejected), dropped \(status.spansDropped), retries \(status.exportRetries) | caller waited \(millis) ms"
    )
  }
}
