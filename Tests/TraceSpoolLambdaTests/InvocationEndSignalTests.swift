import Foundation
import SpoolFormat
import Testing

@testable import TraceSpoolLambda

/// The end-of-invocation signal: runtimeDone and the marker, in either order, before or after the wait starts; old
/// request ids ignored; the time limit.
@Suite struct InvocationEndSignalTests {
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "tracespool-signal-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    let clock = ContinuousClock()
    var far: ContinuousClock.Instant { clock.now + .seconds(600) }

    @Test func runtimeDoneBeforeTheWait() async throws {
        let signal = InvocationEndSignal(spoolPath: try Self.directory())
        signal.runtimeDone("r1")
        #expect(await signal.wait(for: "r1", until: far, clock: clock, pollMarker: false) == .runtimeDone)
    }

    @Test func runtimeDoneDuringTheWaitAndOldIdsIgnored() async throws {
        let signal = InvocationEndSignal(spoolPath: try Self.directory())
        async let outcome = signal.wait(for: "r2", until: far, clock: clock, pollMarker: false)
        // Until the waiter is registered the signals are remembered; either way only r2 ends the wait.
        signal.runtimeDone("r1")
        signal.markerAppeared("r0")
        try await Task.sleep(for: .milliseconds(20))
        signal.runtimeDone("r2")
        #expect(await outcome == .runtimeDone)
    }

    @Test func aMarkerPresentBeforeTheWaitIsTakenAndRemoved() async throws {
        let directory = try Self.directory()
        let signal = InvocationEndSignal(spoolPath: directory)
        try InvocationMarker.write(requestID: "r3", in: directory)
        #expect(await signal.wait(for: "r3", until: far, clock: clock, pollMarker: false) == .marker)
        #expect(!FileManager.default.fileExists(atPath: directory + "/invocation-r3.done"))
    }

    @Test func aMarkerCreatedDuringTheWaitIsSeenByTheWatcher() async throws {
        let directory = try Self.directory()
        let signal = InvocationEndSignal(spoolPath: directory)
        let watcher = MarkerWatcher(directory: directory) { signal.markerAppeared($0) }
        #expect(watcher.isWatching)
        async let outcome = signal.wait(for: "r4", until: far, clock: clock, pollMarker: false)
        try await Task.sleep(for: .milliseconds(20))
        try InvocationMarker.write(requestID: "r3", in: directory)
        try InvocationMarker.write(requestID: "r4", in: directory)
        #expect(await outcome == .marker)
        #expect(!FileManager.default.fileExists(atPath: directory + "/invocation-r4.done"))
        // The other invocation's marker is left for the sweep.
        #expect(FileManager.default.fileExists(atPath: directory + "/invocation-r3.done"))
        withExtendedLifetime(watcher) {}
    }

    @Test func aMarkerIsFoundByPollingWithoutAWatcher() async throws {
        let directory = try Self.directory()
        let signal = InvocationEndSignal(spoolPath: directory)
        async let outcome = signal.wait(for: "r5", until: far, clock: clock, pollMarker: true)
        try await Task.sleep(for: .milliseconds(20))
        try InvocationMarker.write(requestID: "r5", in: directory)
        #expect(await outcome == .marker)
    }

    @Test func theTimeLimitEndsTheWait() async throws {
        let signal = InvocationEndSignal(spoolPath: try Self.directory())
        signal.runtimeDone("other")
        #expect(await signal.wait(for: "r6", until: clock.now, clock: clock, pollMarker: false) == .timedOut)
        // A later signal for r6 is kept for a wait that comes later, and does not leak into another id's wait.
        signal.runtimeDone("r6")
        #expect(await signal.wait(for: "r7", until: clock.now, clock: clock, pollMarker: false) == .timedOut)
        #expect(await signal.wait(for: "r6", until: clock.now, clock: clock, pollMarker: false) == .runtimeDone)
    }
}
