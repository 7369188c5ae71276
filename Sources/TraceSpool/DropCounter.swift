import SpoolFormat
import Synchronization

/// Lock-free counts of dropped spans by reason: `pending` (not yet written as a drops record) and lifetime totals.
final class DropCounter: Sendable {
    private let pending: [Counter]
    private let totals: [Counter]

    final class Counter: Sendable {
        let value = Atomic<UInt64>(0)
    }

    init() {
        pending = DropReason.allCases.map { _ in Counter() }
        totals = DropReason.allCases.map { _ in Counter() }
    }

    @inline(__always)
    private static func index(_ reason: DropReason) -> Int { Int(reason.rawValue) }

    /// Counts `n` dropped spans.
    func add(_ reason: DropReason, _ n: UInt64 = 1) {
        guard n > 0 else { return }
        pending[Self.index(reason)].value.wrappingAdd(n, ordering: .relaxed)
        totals[Self.index(reason)].value.wrappingAdd(n, ordering: .relaxed)
    }

    /// Takes the counts not yet written, resetting them to zero.
    func takePending() -> DropCounts {
        var counts: [DropReason: UInt64] = [:]
        for reason in DropReason.allCases {
            let n = pending[Self.index(reason)].value.exchange(0, ordering: .relaxed)
            if n > 0 { counts[reason] = n }
        }
        return DropCounts(counts)
    }

    /// Puts counts back (their record could not be written).
    func restorePending(_ counts: DropCounts) {
        for (reason, n) in counts.counts { pending[Self.index(reason)].value.wrappingAdd(n, ordering: .relaxed) }
    }

    /// Lifetime totals.
    func totalCounts() -> DropCounts {
        var counts: [DropReason: UInt64] = [:]
        for reason in DropReason.allCases {
            let n = totals[Self.index(reason)].value.load(ordering: .relaxed)
            if n > 0 { counts[reason] = n }
        }
        return DropCounts(counts)
    }

    /// The lifetime total of drops that mean a span ended before a flush may be missing from the spool
    /// (everything except `afterShutdown`).
    func lossTotal() -> UInt64 {
        var sum: UInt64 = 0
        for reason in DropReason.allCases where reason != .afterShutdown {
            sum &+= totals[Self.index(reason)].value.load(ordering: .relaxed)
        }
        return sum
    }
}
