/// The active runs by id, at most `limit` of them, in start order: a dictionary for the hooks'
/// lookups plus a doubly linked list of slots in an array (indices, not references, so that the
/// hot path does no reference counting), so that adding a run, removing one and pushing out the
/// oldest are all O(1) and, once the array has grown, allocate nothing.
///
/// A runtime that crashes mid-run never calls `onRunEnd`; without the limit a long-lived process
/// would hold every such run forever.
struct ActiveRuns {
  /// One place in start order; a free slot is linked into the free list through `newer`.
  private struct Slot {
    var runID: String
    var older: Int
    var newer: Int
  }

  private static let none = -1
  let limit: Int
  private var byId: [String: ActiveRun] = [:]
  private var slots: [Slot] = []
  private var oldest = none
  private var newest = none
  private var firstFree = none

  init(limit: Int) {
    self.limit = max(1, limit)
  }

  var count: Int { byId.count }

  subscript(runID: String) -> ActiveRun? { byId[runID] }

  /// Adds `run` as the newest. Returns the run it replaced (same id), if any, and the oldest run,
  /// pushed out because more than `limit` runs would be active, if any; both are no longer active.
  mutating func insert(_ run: ActiveRun) -> (replaced: ActiveRun?, evicted: ActiveRun?) {
    let replaced = byId.updateValue(run, forKey: run.runID)
    if let replaced { release(replaced.slot) }
    run.slot = append(run.runID)
    guard byId.count > limit, let evicted = byId.removeValue(forKey: slots[oldest].runID) else {
      return (replaced, nil)
    }
    release(evicted.slot)
    return (replaced, evicted)
  }

  /// Removes and returns the run `runID`, if it is active.
  mutating func remove(_ runID: String) -> ActiveRun? {
    guard let run = byId.removeValue(forKey: runID) else { return nil }
    release(run.slot)
    return run
  }

  /// Links a slot for `runID` in as the newest, reusing a free one when there is one.
  private mutating func append(_ runID: String) -> Int {
    let entry = Slot(runID: runID, older: newest, newer: Self.none)
    let slot: Int
    if firstFree != Self.none {
      slot = firstFree
      firstFree = slots[slot].newer
      slots[slot] = entry
    } else {
      slot = slots.count
      slots.append(entry)
    }
    if newest != Self.none { slots[newest].newer = slot } else { oldest = slot }
    newest = slot
    return slot
  }

  /// Unlinks `slot` from start order and puts it on the free list.
  private mutating func release(_ slot: Int) {
    let (older, newer) = (slots[slot].older, slots[slot].newer)
    if older != Self.none { slots[older].newer = newer } else { oldest = newer }
    if newer != Self.none { slots[newer].older = older } else { newest = older }
    slots[slot] = Slot(runID: "", older: Self.none, newer: firstFree)
    firstFree = slot
  }
}
