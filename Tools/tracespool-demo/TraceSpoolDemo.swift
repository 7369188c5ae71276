import ArgumentParser
import SpoolBase
import TraceSpool

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One short-lived traced "function invocation" per run: an agent trace with LLM generations and tool calls,
/// then a flush, then exit. Prints one summary line.
@main
struct TraceSpoolDemo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracespool-demo",
        abstract: "Run one traced agent invocation into a TraceSpool spool, flush, and exit.",
        discussion: """
            Exit codes: 0 success (flush returned true or --no-flush), 64 usage error, 3 flush returned false.
            With --kill-after the process SIGKILLs itself and so exits by signal 9.
            """,
        version: PackageVersion.current)

    /// Runs the command line, with `--name -5` read as `--name=-5` (`CommandLineArguments.joiningNegativeValues`).
    static func main() {
        main(CommandLineArguments.joiningNegativeValues(Array(CommandLine.arguments.dropFirst())))
    }

    @Option(help: "Spool directory (default: $TRACESPOOL_DIR or <tmp>/tracespool-<uid>).")
    var spool: String?

    @Option(help: "Number of generation/tool spans to record inside the agent trace.")
    var spans: Int = 10

    @Option(name: .customLong("payload-bytes"), help: "Approximate bytes of prompt/completion text per generation.")
    var payloadBytes: Int = 512

    @Flag(name: .customLong("no-flush"), help: "Exit without flushing (the exit hook still seals the segment).")
    var noFlush = false

    @Option(name: .customLong("kill-after"), help: "SIGKILL this process right after K spans ended.")
    var killAfter: Int?

    @Flag(name: .customLong("flush-before-kill"), help: "With --kill-after: flush before the SIGKILL.")
    var flushBeforeKill = false

    @Option(help: "Service name (default: $OTEL_SERVICE_NAME or tracespool-demo).")
    var service: String?

    @Option(name: .customLong("flush-timeout-ms"), help: "Flush timeout in milliseconds.")
    var flushTimeoutMillis: Int = 5000

    /// The most `--spans` one run records (a run stays short).
    static let maxSpans = 1_000_000
    /// The largest `--payload-bytes` (the prompt text of one generation is held in memory several times).
    static let maxPayloadBytes = 16 << 20
    /// The longest `--flush-timeout-ms`: an hour.
    static let maxFlushTimeoutMillis = 3_600_000

    func validate() throws {
        guard (0...Self.maxSpans).contains(spans) else {
            throw ValidationError("--spans must be between 0 and \(Self.maxSpans) (got \(spans))")
        }
        guard (0...Self.maxPayloadBytes).contains(payloadBytes) else {
            throw ValidationError("--payload-bytes must be between 0 and \(Self.maxPayloadBytes) (got \(payloadBytes))")
        }
        if let killAfter, killAfter < 0 {
            throw ValidationError("--kill-after must not be negative (got \(killAfter))")
        }
        guard (0...Self.maxFlushTimeoutMillis).contains(flushTimeoutMillis) else {
            throw ValidationError(
                "--flush-timeout-ms must be between 0 and \(Self.maxFlushTimeoutMillis) (got \(flushTimeoutMillis))")
        }
        if flushBeforeKill, killAfter == nil {
            throw ValidationError("--flush-before-kill needs --kill-after K (it flushes right before that kill)")
        }
        if flushBeforeKill, noFlush {
            throw ValidationError("--flush-before-kill and --no-flush contradict each other; give one")
        }
    }

    func run() throws {
        var config = TracerConfiguration.fromEnvironment()
        if let spool { config.spoolDirectory = spool }
        if let service {
            config.serviceName = service
        } else if ProcessEnvironment.value("OTEL_SERVICE_NAME") == nil {
            config.serviceName = "tracespool-demo"
        }
        let tracer = SpoolTracer(configuration: config)
        var recorded = 0
        let workload = DemoWorkload(payloadBytes: payloadBytes)

        // Kills the process once `killAfter` spans ended. The line reports the spans that reached the spool
        // (appended to a segment: a SIGKILL does not undo that), not the spans ended.
        func killIfDue() {
            guard let killAfter, recorded >= killAfter else { return }
            var flushed = false
            var millis = 0.0
            if flushBeforeKill { (flushed, millis) = timedFlush(tracer) }
            summary(
                recorded: tracer.statistics.spansWritten, flushed: flushed, millis: millis,
                spool: config.spoolDirectory, note: "killed")
            kill(getpid(), SIGKILL)
        }

        func afterSpan() {
            recorded += 1
            killIfDue()
        }

        killIfDue()
        tracer.trace(
            "support-request", session: "session-\(getpid())", user: "user-42", metadata: ["region": "eu-west-1"],
            tags: ["demo"], input: workload.question
        ) { trace in
            tracer.withAgent("support-agent") { agent in
                for i in 0..<spans {
                    if i % 2 == 0 {
                        tracer.withGeneration(
                            "chat gpt-4o-mini", model: "gpt-4o-mini", system: "openai",
                            parameters: ["temperature": 0.2, "max_tokens": 512], messages: workload.prompt(step: i)
                        ) { generation in
                            generation.setOutputMessages([workload.completion(step: i)])
                            generation.setUsage(inputTokens: 120 + payloadBytes / 4, outputTokens: 80, costUSD: 0.00021)
                        }
                    } else {
                        tracer.withTool("search_orders", input: ["customer": "user-42", "query": "order \(i)"]) {
                            tool in
                            tool.setOutput(["status": "shipped", "order": "A-\(1000 + i)"])
                        }
                    }
                    afterSpan()
                }
                agent.setOutput(workload.answer)
            }
            trace.setOutput(workload.answer)
        }
        recorded += 2
        var flushed = false
        var millis = 0.0
        if !noFlush { (flushed, millis) = timedFlush(tracer) }
        summary(recorded: recorded, flushed: flushed, millis: millis, spool: config.spoolDirectory, note: nil)
        if !noFlush && !flushed {
            let message =
                "tracespool-demo: the flush did not finish within --flush-timeout-ms \(flushTimeoutMillis) ms (spans "
                + "ended but not yet durable); raise --flush-timeout-ms\n"
            _ = POSIX.writeAll(2, Array(message.utf8))
            throw ExitCode(3)
        }
    }

    func timedFlush(_ tracer: SpoolTracer) -> (Bool, Double) {
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        let ok = tracer.flush(timeoutMillis: flushTimeoutMillis)
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let nanos = Double(end.tv_sec - start.tv_sec) * 1e9 + Double(end.tv_nsec - start.tv_nsec)
        return (ok, nanos / 1e6)
    }

    func summary(recorded: Int, flushed: Bool, millis: Double, spool: String, note: String?) {
        let ms = (millis * 1000).rounded() / 1000
        print("spans=\(recorded) flushed=\(flushed) flush_ms=\(ms) spool=\(spool)\(note.map { " \($0)" } ?? "")")
        fflush(nil)
    }
}

/// Realistic prompt/completion payloads of a customer-support agent.
struct DemoWorkload {
    var payloadBytes: Int

    var question: String { "Where is my order A-1001? It was supposed to arrive yesterday." }
    var answer: String { "Your order A-1001 has shipped and should arrive tomorrow before noon." }

    func filler(_ seed: Int) -> String {
        let words = [
            "order", "shipping", "customer", "carrier", "tracking", "warehouse", "delivery", "refund", "policy",
            "address", "window", "priority", "support", "ticket", "status", "update",
        ]
        var text = ""
        var i = seed
        while text.utf8.count < payloadBytes {
            text += words[Int(UInt(bitPattern: i) % UInt(words.count))] + " "
            i = i &* 31 &+ 7
        }
        return text
    }

    func prompt(step: Int) -> [ChatMessage] {
        [
            ChatMessage(role: "system", content: "You are a helpful support agent. Context: " + filler(step)),
            ChatMessage(role: "user", content: question),
        ]
    }

    func completion(step: Int) -> ChatMessage {
        ChatMessage(role: "assistant", content: answer + " " + filler(step + 1).prefix(payloadBytes / 2))
    }
}
