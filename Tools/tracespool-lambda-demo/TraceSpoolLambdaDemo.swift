import ArgumentParser
import LambdaRuntimeAPI
import SpoolBase
import SpoolFormat
import TraceSpool

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A Lambda function written as a Swift custom runtime (shipped as `bootstrap`): it speaks the Runtime API at
/// `AWS_LAMBDA_RUNTIME_API` (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) and runs one traced
/// agent invocation per event with `SpoolTracer.withInvocation`.
@main
struct TraceSpoolLambdaDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracespool-lambda-demo",
        abstract: "A Lambda custom runtime (bootstrap) that runs one traced agent invocation per event.",
        discussion: """
            Lambda starts it with no arguments and AWS_LAMBDA_RUNTIME_API=host:port. Per event (a JSON object, every \
            field optional: "spans" (default 20, the SERVER span included), "workMs" (default 0), "then" (respond, \
            hang, crash or fail; default respond)) it records the spans under the invocation's SERVER span, flushes, \
            writes the invocation marker and responds {"requestId", "traceId", "spans", "flushed"}. The tracer reads \
            its usual variables (TRACESPOOL_DIR, OTEL_SERVICE_NAME, ...). SIGTERM shuts the tracer down (at most \
            250 ms) and exits 0.
            Exit codes: 64 AWS_LAMBDA_RUNTIME_API missing or not host:port; 1 the Runtime API answered unexpectedly \
            or could not be reached, or the spool directory is unusable (reported to init/error first).
            """,
        version: PackageVersion.current)

    func run() async throws {
        guard let value = ProcessEnvironment.value(RuntimeAPIAddress.variable), !value.isEmpty else {
            Self.fail(
                "\(RuntimeAPIAddress.variable) is not set: this is a Lambda function's bootstrap, started by Lambda")
            throw ExitCode(64)
        }
        let address: RuntimeAPIAddress
        do throws(RuntimeAPIAddress.Invalid) {
            address = try RuntimeAPIAddress(value)
        } catch {
            Self.fail("\(error)")
            throw ExitCode(64)
        }
        let client = RuntimeAPIClient(address: address)
        let code = await Self.serve(client)
        await client.close()
        throw ExitCode(code)
    }

    /// Initialises the tracer, then runs invocations until the Runtime API answers unexpectedly.
    ///
    /// - Returns: the exit code (1).
    static func serve(_ client: RuntimeAPIClient) async -> Int32 {
        let configuration = TracerConfiguration.fromEnvironment()
        do throws(SpoolError) {
            // The tracer would only log this and record nothing: a demo without its spool fails its init instead.
            _ = try SpoolDirectory(
                path: configuration.spoolDirectory,
                access: .write(create: true, sharedGroup: configuration.spoolGroup))
        } catch {
            let message = "the spool directory \(configuration.spoolDirectory) is unusable: \(error)"
            fail(message)
            try? await client.reportInitError(type: "Runtime.SpoolUnavailable", message: message)
            return 1
        }
        let tracer = SpoolTracer(configuration: configuration)
        let sigterm = TerminationHandler.install(tracer)
        defer { sigterm.cancel() }
        let handler = DemoHandler(tracer: tracer)
        while true {
            do {
                let next = try await client.next()
                guard let invocation = FunctionInvocation(runtimeHeaders: next.headers),
                    isSafeInPath(invocation.requestID)
                else {
                    fail("the Runtime API sent an invocation without a usable Lambda-Runtime-Aws-Request-Id")
                    return 1
                }
                let event: DemoEvent
                do throws(DemoEvent.Invalid) {
                    event = try DemoEvent(json: next.event)
                } catch {
                    try await client.reportError(
                        requestID: invocation.requestID, type: "InvalidEvent", message: error.description)
                    continue
                }
                do {
                    let body = try await handler.handle(invocation, event)
                    try await client.respond(requestID: invocation.requestID, body: body)
                } catch let failure as RuntimeAPIClient.Failure {
                    throw failure
                } catch {
                    try await client.reportError(
                        requestID: invocation.requestID, type: "HandlerError", message: "\(error)")
                }
            } catch {
                fail("\(error); exiting")
                return 1
            }
        }
    }

    /// Whether a request id can go into a Runtime API path as it is (Lambda's are UUIDs).
    static func isSafeInPath(_ id: String) -> Bool {
        id.utf8.count <= 256
            && id.utf8.allSatisfy { c in
                (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                    || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-")
                    || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
            }
    }

    /// Writes `tracespool-lambda-demo: <message>` to standard error (CloudWatch Logs collects it on Lambda).
    static func fail(_ message: String) {
        _ = POSIX.writeAll(2, Array("tracespool-lambda-demo: \(message)\n".utf8))
    }
}
