/// How a channel protects its connection.
package enum ChannelSecurity: Sendable, Hashable {
  /// Plaintext HTTP/2 (`grpc_insecure_credentials_create`).
  case insecure
  /// TLS (`grpc_ssl_credentials_create`).
  ///
  /// - Parameters:
  ///   - rootCertificatesPEM: trusted roots; `nil` uses the system's roots file.
  ///   - clientCertificateChainPEM: for mutual TLS, together with `clientPrivateKeyPEM`.
  ///   - clientPrivateKeyPEM: for mutual TLS, together with `clientCertificateChainPEM`.
  case tls(rootCertificatesPEM: String?, clientCertificateChainPEM: String?, clientPrivateKeyPEM: String?)
}
