// The C-facing entry of the fuzz targets: the one file of SinkFuzz that touches pointers.
//
// Built with -DFUZZING and -sanitize=fuzzer (scripts/fuzz.sh), libFuzzer drives the target that
// SINK_FUZZ_TARGET names. Built normally, `SinkFuzz TARGET FILE...` runs each file through the
// same target once, so that the committed corpora run in every build (FuzzCorpusTests).
import SinkSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

#if FUZZING
  /// The target chosen by SINK_FUZZ_TARGET, looked up once.
  private let selectedTarget: FuzzTarget = {
    let name = getenv("SINK_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget.named(name) else {
      fatalError("SINK_FUZZ_TARGET must be one of: \(FuzzTarget.all.map(\.name).joined(separator: " "))")
    }
    return target
  }()

  @_cdecl("LLVMFuzzerTestOneInput")
  func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selectedTarget.run(bytes)
    return 0
  }

  /// libFuzzer's driver (`extern "C"` in compiler-rt), which parses -flags and runs the loop.
  @_silgen_name("LLVMFuzzerRunDriver")
  private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
  ) -> CInt

  // SwiftPM links an executable with `main` renamed to `<module>_main`, so libFuzzer's own `main`
  // is never pulled in: this is the entry point, and it hands over to libFuzzer's driver.
  @_cdecl("SinkFuzz_main")
  func sinkFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = selectedTarget
    var count = argc
    var vector = argv
    return runFuzzerDriver(&count, &vector, fuzzTestOneInput)
  }
#else
  @main
  struct CorpusReplay {
    static func main() {
      let arguments = Array(CommandLine.arguments.dropFirst())
      guard let name = arguments.first, let target = FuzzTarget.named(name) else {
        print(
          "usage: SinkFuzz TARGET FILE...  (targets: \(FuzzTarget.all.map(\.name).joined(separator: " ")))")
        exit(2)
      }
      for path in arguments.dropFirst() {
        do {
          target.run(try TextFile.bytes(path))
        } catch {
          print("SinkFuzz: \(path): \(error)")
          exit(2)
        }
      }
      print("SinkFuzz \(name): \(arguments.count - 1) inputs, every invariant held")
    }
  }
#endif
