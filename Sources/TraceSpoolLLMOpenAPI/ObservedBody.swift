import OpenAPIRuntime
import TraceSpoolLLM

/// A response body handed on chunk by chunk while its exchange sees every chunk, then its end: `completed()` at the
/// end, `failed(_:)` on an error (a `CancellationError` when the reading task is cancelled). The sequence holds the
/// exchange; when the body is released before its end, the exchange is released too and ends as abandoned.
struct ObservedBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ArraySlice<UInt8> {
    typealias Element = ArraySlice<UInt8>

    let base: Base
    let exchange: LLMExchange

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let exchange: LLMExchange

        mutating func next() async throws -> ArraySlice<UInt8>? {
            do {
                guard let chunk = try await base.next() else {
                    if Task.isCancelled { exchange.failed(CancellationError()) } else { exchange.completed() }
                    return nil
                }
                chunk.withUnsafeBytes { exchange.received($0) }
                return chunk
            } catch {
                exchange.failed(Task.isCancelled ? CancellationError() : error)
                throw error
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), exchange: exchange)
    }
}

/// The chunks of a recorded response, as an asynchronous sequence.
struct ReplayedChunks: AsyncSequence, Sendable {
    typealias Element = ArraySlice<UInt8>

    let chunks: [ArraySlice<UInt8>]

    struct AsyncIterator: AsyncIteratorProtocol {
        var rest: ArraySlice<ArraySlice<UInt8>>

        mutating func next() async throws -> ArraySlice<UInt8>? {
            try Task.checkCancellation()
            return rest.popFirst()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: chunks[...]) }
}

/// A request body too large to trace: the bytes already collected, then the rest of the original body.
struct PrefixedBody: AsyncSequence, Sendable {
    typealias Element = ArraySlice<UInt8>

    let prefix: ArraySlice<UInt8>
    let rest: BodyIteratorBox

    struct AsyncIterator: AsyncIteratorProtocol {
        var prefix: ArraySlice<UInt8>?
        let rest: BodyIteratorBox

        mutating func next() async throws -> ArraySlice<UInt8>? {
            if let chunk = prefix {
                prefix = nil
                return chunk
            }
            return try await rest.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(prefix: prefix, rest: rest) }
}

/// The partly read iterator of a body, handed on to the one task that reads the rest (`HTTPBody` bodies that are
/// iterated once).
final class BodyIteratorBox: @unchecked Sendable {
    private var iterator: HTTPBody.Iterator

    init(_ iterator: HTTPBody.Iterator) { self.iterator = iterator }

    func next() async throws -> ArraySlice<UInt8>? { try await iterator.next() }
}
