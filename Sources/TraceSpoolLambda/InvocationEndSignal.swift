import SpoolBase
import SpoolFormat
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// "The function is done with invocation R": whichever comes first of the Telemetry API's
/// `platform.runtimeDone(R)` and the tracer's invocation marker `invocation-R.done` in the spool.
///
/// Both may come before or after the extension starts waiting for R, in either order. Signals for a request id
/// other than the one waited for are kept (the last `recentLimit`) in case the wait for that id comes later;
/// a signal for an older invocation never ends the wait for a newer one.
///
/// Sources: `platform.runtimeDone` is emitted when the runtime has responded or failed
/// (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html#platform-runtimeDone); the
/// Telemetry API buffers events for at least 25 ms (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-api-reference.html,
/// `buffering.timeoutMs`), which is why the marker is watched too.
package final class InvocationEndSignal: Sendable {
    /// How the wait ended.
    package enum Outcome: Sendable, Equatable {
        /// `platform.runtimeDone` for the request arrived.
        case runtimeDone
        /// The invocation marker appeared (it was removed).
        case marker
        /// Neither came before the time limit.
        case timedOut
        /// The waiting task was cancelled.
        case cancelled
    }

    private struct Waiter {
        var requestID: String
        var token: Int
        var continuation: CheckedContinuation<Outcome, Never>
    }

    private struct State {
        var recentDone: [String] = []
        var recentMarkers: [String] = []
        var waiter: Waiter?
        var nextToken = 0

        /// Takes the signal that arrived for `requestID` before anyone waited for it (runtimeDone first), if any.
        mutating func takeSignal(for requestID: String) -> Outcome? {
            if let i = recentDone.firstIndex(of: requestID) {
                recentDone.remove(at: i)
                return .runtimeDone
            }
            if let i = recentMarkers.firstIndex(of: requestID) {
                recentMarkers.remove(at: i)
                return .marker
            }
            return nil
        }
    }

    private let state = Mutex(State())
    /// How many signals for other request ids are kept.
    package static let recentLimit = 32
    /// The spool directory markers appear in.
    package let spoolPath: String

    /// Creates a signal for markers in `spoolPath`.
    package init(spoolPath: String) {
        self.spoolPath = spoolPath
    }

    /// Records `platform.runtimeDone` for `requestID`.
    package func runtimeDone(_ requestID: String) {
        deliver(requestID, outcome: .runtimeDone)
    }

    /// Records that the marker of `requestID` appeared (from the directory watch).
    package func markerAppeared(_ requestID: String) {
        deliver(requestID, outcome: .marker)
    }

    private func deliver(_ requestID: String, outcome: Outcome) {
        let waiter = state.withLock { s -> Waiter? in
            if let w = s.waiter, w.requestID == requestID {
                s.waiter = nil
                return w
            }
            if outcome == .runtimeDone {
                Self.remember(requestID, in: &s.recentDone)
            } else {
                Self.remember(requestID, in: &s.recentMarkers)
            }
            return nil
        }
        waiter?.continuation.resume(returning: outcome)
    }

    private static func remember(_ id: String, in list: inout [String]) {
        list.append(id)
        if list.count > recentLimit { list.removeFirst(list.count - recentLimit) }
    }

    /// Waits until `requestID` is done (runtimeDone or its marker), `deadline` passes on `clock`, or the task is
    /// cancelled. A marker found is removed.
    ///
    /// - Parameter pollMarker: when true (no directory watch), the marker file is also looked for every
    ///   `pollInterval`.
    package func wait<C: Clock>(
        for requestID: String, until deadline: C.Instant, clock: C, pollMarker: Bool,
        pollInterval: Duration = .milliseconds(2)
    ) async -> Outcome where C.Duration == Duration {
        let early = state.withLock { s -> Outcome? in
            s.takeSignal(for: requestID)
        }
        if let early {
            if early == .marker { removeMarker(of: requestID) }
            return early
        }
        if markerExists(requestID) {
            removeMarker(of: requestID)
            return .marker
        }
        let outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask { await self.signalled(requestID) }
            group.addTask {
                if pollMarker {
                    while !Task.isCancelled, clock.now < deadline {
                        if self.markerExists(requestID) { return .marker }
                        try? await clock.sleep(for: pollInterval, tolerance: nil)
                    }
                } else {
                    try? await clock.sleep(until: deadline, tolerance: nil)
                }
                return Task.isCancelled ? .cancelled : .timedOut
            }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            return first
        }
        if outcome == .marker || markerExists(requestID) { removeMarker(of: requestID) }
        return outcome
    }

    /// Suspends until a signal for `requestID` arrives, or the task is cancelled.
    private func signalled(_ requestID: String) async -> Outcome {
        let token = state.withLock { s -> Int in
            s.nextToken += 1
            return s.nextToken
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let now = state.withLock { s -> Outcome? in
                    if Task.isCancelled { return .cancelled }
                    // A signal that arrived since `wait` looked.
                    if let signal = s.takeSignal(for: requestID) { return signal }
                    s.waiter?.continuation.resume(returning: .cancelled)
                    s.waiter = Waiter(requestID: requestID, token: token, continuation: continuation)
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> Waiter? in
                guard let w = s.waiter, w.token == token else { return nil }
                s.waiter = nil
                return w
            }
            waiter?.continuation.resume(returning: .cancelled)
        }
    }

    /// Whether the marker of `requestID` exists.
    package func markerExists(_ requestID: String) -> Bool {
        guard let name = InvocationMarker.fileName(requestID: requestID) else { return false }
        return access(FileSystem.join(spoolPath, name), F_OK) == 0
    }

    /// Removes the marker of `requestID` (nothing when it is missing).
    package func removeMarker(of requestID: String) {
        guard let name = InvocationMarker.fileName(requestID: requestID) else { return }
        unlink(FileSystem.join(spoolPath, name))
    }
}
