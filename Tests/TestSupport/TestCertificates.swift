public import Foundation

/// Throw-away TLS material made with the `openssl` CLI in a temporary directory (removed on
/// ``remove()``): a CA, a server certificate for `127.0.0.1` and `localhost`, a client certificate,
/// and an unrelated second CA with its own client certificate, to test "wrong CA" failures.
///
/// EC P-256 keys keep generation fast (well under a second for the whole set).
public struct TestCertificates: Sendable {
  /// A certificate and its private key, as PEM files and strings.
  public struct Identity: Sendable {
    /// Path of the PEM certificate.
    public let certificatePath: String
    /// Path of the PEM (PKCS#8) private key.
    public let keyPath: String
    /// The certificate PEM text.
    public let certificatePEM: String
    /// The private key PEM text.
    public let keyPEM: String
  }

  /// The directory holding every file.
  public let directory: URL
  /// The CA that signed ``server`` and ``client``.
  public let ca: Identity
  /// Server certificate: SAN `IP:127.0.0.1`, `DNS:localhost`; extended key usage serverAuth.
  public let server: Identity
  /// Client certificate (CN `test-client`) signed by ``ca``; extended key usage clientAuth.
  public let client: Identity
  /// A second CA that signed nothing the receiver trusts.
  public let otherCA: Identity
  /// A client certificate signed by ``otherCA`` (rejected by an mTLS receiver trusting ``ca``).
  public let otherClient: Identity

  /// Generates the whole set; throws with openssl's stderr if a step fails.
  public init() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("test-certificates-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    self.directory = directory
    let maker = Maker(directory: directory)
    ca = try maker.authority("ca", commonName: "ObservabilitySinks Test CA")
    otherCA = try maker.authority("other-ca", commonName: "Unrelated Test CA")
    server = try maker.leaf(
      "server", commonName: "localhost", signedBy: "ca",
      extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth")
    client = try maker.leaf(
      "client", commonName: "test-client", signedBy: "ca", extensions: "extendedKeyUsage=clientAuth")
    otherClient = try maker.leaf(
      "other-client", commonName: "other-client", signedBy: "other-ca",
      extensions: "extendedKeyUsage=clientAuth")
  }

  /// Deletes the directory.
  public func remove() {
    try? FileManager.default.removeItem(at: directory)
  }
}

/// Why `openssl` failed.
public struct OpenSSLError: Error, CustomStringConvertible {
  /// The arguments given to openssl.
  public let arguments: [String]
  /// openssl's stderr.
  public let stderr: String

  /// A readable summary.
  public var description: String { "openssl \(arguments.joined(separator: " ")) failed:\n\(stderr)" }
}

private struct Maker {
  let directory: URL

  func authority(_ name: String, commonName: String) throws -> TestCertificates.Identity {
    try openssl([
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", "\(name).key", "-out", "\(name).pem", "-days", "2", "-subj", "/CN=\(commonName)",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    ])
    return try identity(name)
  }

  func leaf(
    _ name: String, commonName: String, signedBy issuer: String, extensions: String
  ) throws -> TestCertificates.Identity {
    try openssl([
      "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(commonName)",
    ])
    let extensionFile = directory.appendingPathComponent("\(name).ext")
    try "basicConstraints=CA:FALSE\n\(extensions)\n".write(
      to: extensionFile, atomically: true, encoding: .utf8)
    try openssl([
      "x509", "-req", "-in", "\(name).csr", "-CA", "\(issuer).pem", "-CAkey", "\(issuer).key",
      "-set_serial", String(UInt32.random(in: 1...UInt32.max)), "-days", "2", "-out", "\(name).pem",
      "-extfile", extensionFile.path,
    ])
    return try identity(name)
  }

  private func identity(_ name: String) throws -> TestCertificates.Identity {
    let certificate = directory.appendingPathComponent("\(name).pem")
    let key = directory.appendingPathComponent("\(name).key")
    return TestCertificates.Identity(
      certificatePath: certificate.path, keyPath: key.path,
      certificatePEM: try String(contentsOf: certificate, encoding: .utf8),
      keyPEM: try String(contentsOf: key, encoding: .utf8))
  }

  private func openssl(_ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl"] + arguments
    process.currentDirectoryURL = directory
    let stderr = Pipe()
    process.standardError = stderr
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    // Read before waiting: openssl's stderr is small, but a full pipe would otherwise deadlock.
    let errorText = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw OpenSSLError(arguments: arguments, stderr: errorText)
    }
  }
}
