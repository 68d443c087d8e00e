import Testing

@testable import ObservabilitySinks

/// How the requests of one split batch add up.
@Suite("Export tally: one batch, several requests")
struct ExportTallyTests {
  static let cases: [(results: [(ExportResult, Int)], expected: ExportResult)] = [
    ([(.success, 10)], .success),
    ([(.success, 5), (.success, 5)], .success),
    ([(.failure("UNAVAILABLE: x"), 4)], .failure("UNAVAILABLE: x")),
    (
      [(.success, 6), (.failure("UNAVAILABLE: x"), 4)],
      .partialFailure(failed: 4, rejected: 0, message: "UNAVAILABLE: x")
    ),
    (
      [(.partialSuccess(rejected: 2, message: "bad"), 5), (.success, 5)],
      .partialSuccess(rejected: 2, message: "bad")
    ),
    ([(.partialSuccess(rejected: 9, message: "bad"), 5)], .partialSuccess(rejected: 5, message: "bad")),
    (
      [(.partialSuccess(rejected: 1, message: "bad"), 5), (.failure("DEADLINE_EXCEEDED: t"), 5)],
      .partialFailure(failed: 5, rejected: 1, message: "DEADLINE_EXCEEDED: t")
    ),
    ([(.failure("a"), 5), (.failure("b"), 5)], .failure("b")),
  ]

  @Test(arguments: cases)
  func requestsAddUpItemByItem(results: [(ExportResult, Int)], expected: ExportResult) {
    var tally = ExportTally()
    for (result, spans) in results { tally.add(result, spans: spans) }
    #expect(tally.result == expected)
  }
}
