import Foundation
import Testing

@Suite("The committed fuzz corpora hold every invariant (SinkFuzz built without libFuzzer)")
struct FuzzCorpusTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus")
  static let targets = [
    "json", "adapters", "runlog", "hookscript", "trajectory", "iso8601", "endpoint", "environment",
    "response",
    "statusdetails", "spool",
  ]

  @Test func everyTargetHasSeeds() throws {
    let folders = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
    #expect(Set(folders) == Set(Self.targets))
  }

  @Test(arguments: targets)
  func everySeedPasses(target: String) throws {
    let folder = Self.corpus.appendingPathComponent(target)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
      folder.appendingPathComponent($0).path
    }
    #expect(!files.isEmpty)
    let run = try BuiltTool.run("SinkFuzz", [target] + files)
    #expect(run.exited && run.status == 0, "\(run.stdout)\(run.stderr)")
  }
}
