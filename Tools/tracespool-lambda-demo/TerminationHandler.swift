import Dispatch
import TraceSpool

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Shuts the tracer down (flush, seal the segment) when Lambda sends SIGTERM, then exits 0.
///
/// Once an external extension is registered, Lambda ends an execution environment by sending the runtime SIGTERM and
/// giving it up to 300 ms before the extensions' SHUTDOWN phase and, at 2,000 ms in all, SIGKILL
/// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-shutdown).
/// Every invocation's spans are flushed before its response, so this only seals the last segment.
enum TerminationHandler {
    /// The longest shutdown after SIGTERM: inside the runtime's 300 ms.
    static let shutdownTimeoutMillis = 250

    /// Installs the handler (the process ignores SIGTERM's default action from now on).
    static func install(_ tracer: SpoolTracer) -> any DispatchSourceSignal {
        signal(SIGTERM, SIG_IGN)  // the default action would end the process before the handler runs
        let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        source.setEventHandler {
            let sealed = tracer.shutdown(timeoutMillis: shutdownTimeoutMillis)
            TraceSpoolLambdaDemo.fail("SIGTERM: tracer shut down (sealed: \(sealed)); exiting")
            exit(0)
        }
        source.resume()
        return source
    }
}
