import AsyncHTTPClient
import NIOCore
import TraceSpoolLLM

/// A response body handed on buffer by buffer while its exchange sees each one in place, then its end:
/// `completed()` at the end, `failed(_:)` on an error (a `CancellationError` when the reading task is cancelled).
/// The sequence holds the exchange; when the body is released before its end, the exchange is released too and
/// ends as abandoned.
struct ObservedBuffers<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let exchange: LLMExchange

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let exchange: LLMExchange

        mutating func next() async throws -> ByteBuffer? {
            do {
                guard let buffer = try await base.next() else {
                    if Task.isCancelled { exchange.failed(CancellationError()) } else { exchange.completed() }
                    return nil
                }
                buffer.withUnsafeReadableBytes { exchange.received($0) }
                return buffer
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

/// The chunks of a recorded response, as an asynchronous sequence of buffers.
struct ReplayedBuffers: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let chunks: [ByteBuffer]

    struct AsyncIterator: AsyncIteratorProtocol {
        var rest: ArraySlice<ByteBuffer>

        mutating func next() async throws -> ByteBuffer? {
            try Task.checkCancellation()
            return rest.popFirst()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: chunks[...]) }
}

/// The partly read request body, handed on to the one task that sends the rest.
final class RequestBodyIterator: @unchecked Sendable {
    private var iterator: HTTPClientRequest.Body.AsyncIterator

    init(_ iterator: HTTPClientRequest.Body.AsyncIterator) { self.iterator = iterator }

    func next() async throws -> ByteBuffer? { try await iterator.next() }
}

/// A request body too large to trace: the bytes already collected, then the rest of the original body.
struct PrefixedRequestBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let prefix: ByteBuffer
    let rest: RequestBodyIterator

    struct AsyncIterator: AsyncIteratorProtocol {
        var prefix: ByteBuffer?
        let rest: RequestBodyIterator

        mutating func next() async throws -> ByteBuffer? {
            if let buffer = prefix {
                prefix = nil
                return buffer
            }
            return try await rest.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(prefix: prefix, rest: rest) }
}
