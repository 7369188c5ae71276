import Logging
import SpoolBase
import Synchronization

/// A recording loaded once and the position of replay in it, shared by every exchange of one `RecordReplay` (and
/// its copies).
///
/// The recording is read at the first `decide` in `.replay` or `.recordMissing` (the ignored fields of that
/// moment apply from then on); each request's match key is computed then, so a decision costs one parse of the
/// request body and one dictionary lookup. Each recorded exchange is served at most once; identical requests take
/// identical exchanges in file order. Separate `RecordReplay` values replay separately (each from the start),
/// even on one path.
package final class RecordReplaySession: Sendable {
    /// What to do with one request.
    package enum Decision: Sendable {
        /// Serve this recorded response.
        case serve(RecordedResponse)
        /// Send the request; when `record`, append the exchange with `record(_:_:)` once its body has ended.
        case forward(record: Bool)
    }

    /// The recording as loaded for replay.
    struct Loaded {
        var exchanges: [RecordedExchange]
        var keys: [RequestMatchKey]
        var ignoring: [RequestMatchFieldPath]
        /// The indices of the unserved exchanges with each key, in file order.
        var unserved: [RequestMatchKey: ArraySlice<Int>]
        /// The indices of all exchanges with each method and path (`METHOD path`), in file order.
        var byRoute: [String: [Int]]
        var served: [Bool]

        init(_ exchanges: [RecordedExchange], ignoring: [RequestMatchFieldPath]) {
            self.exchanges = exchanges
            self.ignoring = ignoring
            keys = exchanges.map {
                RequestMatchKey(
                    method: $0.method, url: $0.url, body: $0.requestBody, parsedBody: $0.requestJSON,
                    ignoring: ignoring)
            }
            unserved = [:]
            byRoute = [:]
            for (i, key) in keys.enumerated() {
                unserved[key, default: []].append(i)
                byRoute[Self.route(key), default: []].append(i)
            }
            served = Array(repeating: false, count: exchanges.count)
        }

        static func route(_ key: RequestMatchKey) -> String { key.method + " " + key.path }
    }

    private struct State {
        var loaded: Loaded?
        /// The request shapes (`METHOD path`) already warned about in relaxed replay.
        var warned: Set<String> = []
    }

    private let state = Mutex(State())

    package init() {}

    /// The decision for `request` (an LLM call when `isLLMCall`) under `configuration`.
    ///
    /// - Throws: `RecordingError` when the recording cannot be read (in `.replay` also when it is missing);
    ///   `ReplayMismatchError` in `.replay` when no unserved exchange matches but some have the request's method
    ///   and path; `DeterminismLeakError` in `.replay` at level `.strict` when none has.
    package func decide(_ request: LLMHTTPRequest, isLLMCall: Bool, configuration: RecordReplay) throws -> Decision {
        switch configuration.mode {
        case .passThrough: return .forward(record: false)
        case .record: return .forward(record: true)
        case .replay, .recordMissing: break
        }
        enum Outcome {
            case decided(Decision)
            case warn(String)
        }
        let outcome = try state.withLock { state throws -> Outcome in
            try Self.load(&state, configuration)
            let key = RequestMatchKey(
                method: request.method, url: request.url, body: request.body, ignoring: state.loaded!.ignoring)
            if let index = state.loaded!.unserved[key]?.popFirst() {
                state.loaded!.served[index] = true
                return .decided(.serve(state.loaded!.exchanges[index].response))
            }
            if configuration.mode == .recordMissing { return .decided(.forward(record: true)) }
            if let candidates = state.loaded!.byRoute[Loaded.route(key)] {
                throw Self.mismatch(key, candidates: candidates, in: state.loaded!, path: configuration.path)
            }
            if configuration.level == .strict {
                throw DeterminismLeakError(
                    method: key.method, url: CredentialFilter.redactedURL(request.url), isLLMCall: isLLMCall,
                    recordingPath: configuration.path)
            }
            let shape = Loaded.route(key)
            return state.warned.insert(shape).inserted ? .warn(shape) : .decided(.forward(record: false))
        }
        switch outcome {
        case .decided(let decision): return decision
        case .warn:
            configuration.logger.warning(
                "Request not in the LLM recording sent to the network (relaxed replay)",
                metadata: [
                    "http.request.method": "\(request.method.uppercased())",
                    "url.full": "\(CredentialFilter.redactedURL(request.url))",
                    "recording": "\(configuration.path)",
                ])
            return .forward(record: false)
        }
    }

    /// Appends one exchange to the recording of `configuration` (in `.record` the first append of the process
    /// starts the file afresh; see `RecordingFile`). Credentials are left out. Does nothing in `.replay` and
    /// `.passThrough`, which never write.
    ///
    /// - Throws: `RecordingError` when the file cannot be written, or, in `.recordMissing`, when the existing file
    ///   cannot be read.
    package func record(_ request: LLMHTTPRequest, _ response: RecordedResponse, configuration: RecordReplay) throws {
        guard configuration.mode == .record || configuration.mode == .recordMissing else { return }
        try RecordingFile.shared(path: configuration.path).append(
            RecordedExchange(request: request, response: response),
            startingAfresh: configuration.mode == .record)
    }

    /// The exchanges of the recording not served yet, as `exchanges[i]: METHOD path`; empty in `.record` and
    /// `.passThrough`.
    ///
    /// - Throws: `RecordingError` when the recording cannot be read.
    package func unusedExchanges(configuration: RecordReplay) throws(RecordingError) -> [String] {
        guard configuration.mode == .replay || configuration.mode == .recordMissing else { return [] }
        return try state.withLock { state throws(RecordingError) in
            try Self.load(&state, configuration)
            let loaded = state.loaded!
            return loaded.served.indices.filter { !loaded.served[$0] }.map {
                "exchanges[\($0)]: \(loaded.keys[$0].method) \(loaded.keys[$0].pathWithQuery)"
            }
        }
    }

    /// Reads the recording into `state.loaded` unless it is there.
    private static func load(_ state: inout State, _ configuration: RecordReplay) throws(RecordingError) {
        if state.loaded != nil { return }
        let read = try RecordingFile.read(path: configuration.path)
        if read == nil && configuration.mode == .replay {
            throw RecordingError(path: configuration.path, problem: .missing)
        }
        let ignoring = configuration.ignoredFields.map {
            RequestMatchFieldPath($0) ?? RequestMatchFieldPath(member: $0)
        }
        state.loaded = Loaded((read ?? []).map(\.exchange), ignoring: ignoring)
    }

    private static func mismatch(_ key: RequestMatchKey, candidates: [Int], in loaded: Loaded, path: String)
        -> ReplayMismatchError
    {
        // The closest: fewest differences, then the smallest distance, then unserved, then first in the file.
        var best: (index: Int, differences: [ReplayMismatchError.Difference], count: Int, distance: Int)?
        for index in candidates {
            let (differences, count, distance) = RequestMatchDifferences.between(
                recorded: loaded.keys[index], requested: key)
            if let current = best {
                let rank = (count, distance, loaded.served[index] ? 1 : 0)
                let currentRank = (current.count, current.distance, loaded.served[current.index] ? 1 : 0)
                guard rank < currentRank else { continue }
            }
            best = (index, differences, count, distance)
        }
        return ReplayMismatchError(
            method: key.method, path: key.pathWithQuery, bodySummary: RequestMatchDifferences.summary(of: key),
            recordingPath: path, closestExchangeIndex: best?.index,
            closestWasServed: best.map { loaded.served[$0.index] } ?? false, differences: best?.differences ?? [],
            differenceCount: best?.count)
    }
}
