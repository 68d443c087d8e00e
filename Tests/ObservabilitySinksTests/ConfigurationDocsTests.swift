import Foundation
import Testing

@testable import ObservabilitySinks

/// docs/configuration.md and the settings table say the same: every variable the sink reads is
/// documented, and every variable the page names is read.
@Suite("docs/configuration.md lists every setting")
struct ConfigurationDocsTests {
  private static func page() throws -> String {
    let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return try String(contentsOf: root.appending(path: "docs/configuration.md"), encoding: .utf8)
  }

  @Test func everyVariableTheSinkReadsIsDocumented() throws {
    let page = try Self.page()
    let missing = SettingsTable.allNames.filter { name in
      // Per-signal variants are documented by their rule ("`OTEL_EXPORTER_OTLP_TRACES_…`").
      let documentedAsVariant = name.contains("_TRACES_") || name.contains("_METRICS_")
      return !page.contains("`\(name)`")
        && !(documentedAsVariant && page.contains("`OTEL_EXPORTER_OTLP_TRACES_…`"))
    }
    #expect(missing.isEmpty, "not in docs/configuration.md: \(missing)")
  }

  @Test func everyVariableThePageNamesIsRead() throws {
    let page = try Self.page()
    let named = page.matches(of: /`((?:OTEL|DSPY)_[A-Z_]+[A-Z])`/).map { String($0.output.1) }
    let read = Set(SettingsTable.allNames)
    let unknown = Set(named).subtracting(read)
    #expect(unknown.isEmpty, "named in docs/configuration.md but not read: \(unknown.sorted())")
  }
}
