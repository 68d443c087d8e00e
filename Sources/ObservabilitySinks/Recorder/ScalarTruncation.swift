extension String {
  /// The first `limit` Unicode scalars (Python code points), never splitting a scalar.
  ///
  /// Counts lead bytes of the UTF-8 form instead of decoding scalars: a text of at most `limit`
  /// bytes is returned as it is, longer ones cost one byte scan.
  func prefix(scalars limit: Int) -> String {
    let utf8 = self.utf8
    if utf8.count <= limit { return self }
    var scalars = 0
    var index = utf8.startIndex
    while index != utf8.endIndex {
      // Continuation bytes are 0b10xx_xxxx; every other byte starts a scalar.
      if utf8[index] & 0xC0 != 0x80 {
        if scalars == limit { return String(Substring(utf8[..<index])) }
        scalars += 1
      }
      utf8.formIndex(after: &index)
    }
    return self
  }
}
