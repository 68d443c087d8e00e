import CGRPCCore

/// One unary call and the C storage its single six-op batch points into.
///
/// Every pointer handed to `grpc_call_start_batch` must stay valid until the batch's tag comes back,
/// so this object owns them all and frees them on deinit (after completion, or when the start failed).
/// Owns `call` too: `grpc_call_unref` happens last.
final class UnaryBatch {
  private static let operationCount = 6

  private let call: OpaquePointer
  let completion: @Sendable (UnaryResult) -> Void

  private let operations: UnsafeMutablePointer<grpc_op>
  // Sent: slices and buffer created here, released here.
  private let sentMetadata: UnsafeMutablePointer<grpc_metadata>
  private let sentMetadataCount: Int
  private let sentMessage: UnsafeMutablePointer<grpc_byte_buffer>
  // Received: arrays whose elements belong to the call; buffer, details and error string belong to us.
  private let receivedInitialMetadata: UnsafeMutablePointer<grpc_metadata_array>
  private let receivedTrailingMetadata: UnsafeMutablePointer<grpc_metadata_array>
  private let receivedMessage: UnsafeMutablePointer<UnsafeMutablePointer<grpc_byte_buffer>?>
  private let receivedStatus: UnsafeMutablePointer<grpc_status_code>
  private let receivedDetails: UnsafeMutablePointer<grpc_slice>
  private let receivedErrorString: UnsafeMutablePointer<UnsafePointer<CChar>?>

  /// Takes ownership of `call` (a new call from ``Channel/makeCall(method:queue:deadline:)``).
  init(
    call: OpaquePointer,
    request: [UInt8],
    metadata: [ValidatedMetadata],
    waitForReady: Bool,
    completion: @escaping @Sendable (UnaryResult) -> Void
  ) {
    self.call = call
    self.completion = completion

    sentMetadataCount = metadata.count
    sentMetadata = .allocate(capacity: max(1, metadata.count))
    for (index, entry) in metadata.enumerated() {
      var element = grpc_metadata()
      element.key = Slices.copy(entry.key)
      element.value = Slices.copy(entry.value)
      (sentMetadata + index).initialize(to: element)
    }
    sentMessage = ByteBuffers.copy(request)

    receivedInitialMetadata = .allocate(capacity: 1)
    receivedInitialMetadata.initialize(to: grpc_metadata_array())
    grpc_metadata_array_init(receivedInitialMetadata)
    receivedTrailingMetadata = .allocate(capacity: 1)
    receivedTrailingMetadata.initialize(to: grpc_metadata_array())
    grpc_metadata_array_init(receivedTrailingMetadata)
    receivedMessage = .allocate(capacity: 1)
    receivedMessage.initialize(to: nil)
    receivedStatus = .allocate(capacity: 1)
    receivedStatus.initialize(to: GRPC_STATUS_UNKNOWN)
    receivedDetails = .allocate(capacity: 1)
    receivedDetails.initialize(to: grpc_empty_slice())  // so the unref in deinit is always safe
    receivedErrorString = .allocate(capacity: 1)
    receivedErrorString.initialize(to: nil)

    operations = .allocate(capacity: Self.operationCount)
    operations.initialize(repeating: grpc_op(), count: Self.operationCount)
    operations[0].op = GRPC_OP_SEND_INITIAL_METADATA
    operations[0].flags = waitForReady ? cgrpc_wait_for_ready_flags() : cgrpc_fail_fast_flags()
    operations[0].data.send_initial_metadata.count = metadata.count
    operations[0].data.send_initial_metadata.metadata = sentMetadata
    operations[1].op = GRPC_OP_SEND_MESSAGE
    operations[1].data.send_message.send_message = sentMessage
    operations[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT
    operations[3].op = GRPC_OP_RECV_INITIAL_METADATA
    operations[3].data.recv_initial_metadata.recv_initial_metadata = receivedInitialMetadata
    operations[4].op = GRPC_OP_RECV_MESSAGE
    operations[4].data.recv_message.recv_message = receivedMessage
    operations[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT
    operations[5].data.recv_status_on_client.trailing_metadata = receivedTrailingMetadata
    operations[5].data.recv_status_on_client.status = receivedStatus
    operations[5].data.recv_status_on_client.status_details = receivedDetails
    operations[5].data.recv_status_on_client.error_string = receivedErrorString
  }

  deinit {
    if let message = receivedMessage.pointee { grpc_byte_buffer_destroy(message) }
    receivedMessage.deallocate()
    grpc_slice_unref(receivedDetails.pointee)
    receivedDetails.deallocate()
    if let errorString = receivedErrorString.pointee {
      gpr_free(UnsafeMutableRawPointer(mutating: errorString))
    }
    receivedErrorString.deallocate()
    receivedStatus.deallocate()
    grpc_metadata_array_destroy(receivedInitialMetadata)
    receivedInitialMetadata.deallocate()
    grpc_metadata_array_destroy(receivedTrailingMetadata)
    receivedTrailingMetadata.deallocate()

    grpc_byte_buffer_destroy(sentMessage)
    for index in 0..<sentMetadataCount {
      grpc_slice_unref(sentMetadata[index].key)
      grpc_slice_unref(sentMetadata[index].value)
    }
    sentMetadata.deallocate()
    operations.deallocate()

    grpc_call_unref(call)
  }

  /// Starts the batch; on anything but `GRPC_CALL_OK` no event will ever carry `tag` back.
  func start(tag: UnsafeMutableRawPointer) -> grpc_call_error {
    grpc_call_start_batch(call, operations, Self.operationCount, tag, nil)
  }

  /// Asks the core to end the call; its batch then completes with CANCELLED. Thread-safe.
  func cancel() {
    _ = grpc_call_cancel(call, nil)
  }

  /// The result, copied out of the C storage; valid once the batch's tag came back.
  func result(batchSucceeded: Bool) -> UnaryResult {
    guard batchSucceeded else {
      return UnaryResult(status: .unknown, message: "the call's batch did not complete")
    }
    let message = receivedMessage.pointee.flatMap { ByteBuffers.bytes($0) }
    return UnaryResult(
      status: GRPCStatusCode(code: Int32(truncatingIfNeeded: receivedStatus.pointee.rawValue)),
      message: Slices.string(receivedDetails.pointee),
      debugErrorString: receivedErrorString.pointee.map { String(cString: $0) },
      initialMetadata: Self.copy(receivedInitialMetadata.pointee),
      trailingMetadata: Self.copy(receivedTrailingMetadata.pointee),
      response: message
    )
  }

  /// Copies a received array's entries, which belong to the call and die with it.
  private static func copy(_ array: grpc_metadata_array) -> [GRPCMetadataEntry] {
    guard let elements = array.metadata else { return [] }
    return (0..<array.count).map { index in
      GRPCMetadataEntry(key: Slices.string(elements[index].key), value: Slices.bytes(elements[index].value))
    }
  }
}
