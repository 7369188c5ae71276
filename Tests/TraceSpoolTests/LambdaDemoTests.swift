import Foundation
import SpoolBase
import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// `tracespool-lambda-demo`, the built executable, against a loopback Runtime API (`LoopbackRuntimeAPI`).
    @Suite("tracespool-lambda-demo")
    struct LambdaDemoTests {
        static var demoPath: String {
            URL(fileURLWithPath: FlushTests.demoPath).deletingLastPathComponent()
                .appendingPathComponent("tracespool-lambda-demo").path
        }

        /// The test's environment without Lambda, tracer and temporary-directory variables, plus `extra`.
        static func environment(_ extra: [String: String]) -> [String: String] {
            var env = ProcessInfo.processInfo.environment.filter { key, _ in
                !key.hasPrefix("AWS_") && !key.hasPrefix("TRACESPOOL_") && !key.hasPrefix("OTEL_") && key != "TMPDIR"
            }
            env.merge(lambdaEnvironment) { _, new in new }
            env["AWS_LAMBDA_FUNCTION_NAME"] = "demo-fn"
            env.merge(extra) { _, new in new }
            return env
        }

        /// Starts the demo; its standard error goes to `stderr`.
        static func start(
            _ environment: [String: String], arguments: [String] = [], directory: String? = nil
        ) throws -> (Process, Pipe) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: demoPath)
            p.arguments = arguments
            p.environment = environment
            if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
            let stderr = Pipe()
            p.standardError = stderr
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            return (p, stderr)
        }

        static func stop(_ p: Process) {
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
        }

        /// The first line the demo writes on `pipe` (blocks until it comes, or the pipe closes).
        static func firstLine(of pipe: Pipe) -> String {
            var bytes: [UInt8] = []
            while true {
                let data = pipe.fileHandleForReading.readData(ofLength: 1)
                guard let byte = data.first, byte != UInt8(ascii: "\n") else { break }
                bytes.append(byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        static func json(_ text: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        }

        /// The spans of request `id` in the spool at `path`.
        static func spans(of id: String, in path: String) throws -> [RecordedSpan] {
            try SpoolContents(reading: path).spans.filter { $0.string("tracespool.demo.request_id") == id }
        }

        @Test("respond: every span of an invocation carries its request id; the SERVER span has faas.* and a link")
        func respond() async throws {
            try await withTemporarySpool { spool in
                let api = try await LoopbackRuntimeAPI.start([
                    .init(requestID: "req-a", event: #"{"spans": 7}"#), .init(requestID: "req-b", event: "{}"),
                    .init(requestID: "req-c", event: #"{"spans": 1, "workMs": 5}"#),
                ])
                let (p, _) = try Self.start(
                    Self.environment(["AWS_LAMBDA_RUNTIME_API": api.endpoint, "TRACESPOOL_DIR": spool.path]))
                await api.waitForPosts(3)
                Self.stop(p)
                await api.stop()
                let posts = api.posts
                #expect(
                    posts.map(\.path) == ["a", "b", "c"].map { "/2018-06-01/runtime/invocation/req-\($0)/response" })
                let contents = try SpoolContents(reading: spool.path)
                for (post, (id, count)) in zip(posts, [("req-a", 7), ("req-b", 20), ("req-c", 1)]) {
                    let body = try Self.json(post.body)
                    #expect(body["requestId"] as? String == id)
                    #expect(body["spans"] as? Int == count)
                    #expect(body["flushed"] as? Bool == true)
                    let spans = contents.spans.filter { $0.string("tracespool.demo.request_id") == id }
                    #expect(spans.count == count, "\(id)")
                    let server = try #require(spans.first { $0.kind == .server })
                    #expect(body["traceId"] as? String == "\(server.traceID)")
                    #expect(spans.allSatisfy { $0.traceID == server.traceID })
                    #expect(server.operationName == "demo-fn")
                    #expect(server.string("faas.invocation_id") == id)
                    #expect(server.string("faas.trigger") == "other")
                    #expect(server.attributes.get("faas.coldstart") == .bool(id == "req-a"))
                    #expect(
                        server.string("cloud.resource_id") == "arn:aws:lambda:eu-west-1:123456789012:function:demo-fn:7"
                    )
                    #expect(server.links.map(\.traceID) == [TraceID(hex: "5759e988bd862e3fe1be46a994272793")!])
                    #expect(server.resource.get("service.name") == "demo-fn")
                    #expect(server.resource.get("faas.max_memory") == .int64(128 << 20))
                    #expect(FileManager.default.fileExists(atPath: spool.path + "/invocation-\(id).done"))
                }
                let a = contents.spans.filter { $0.string("tracespool.demo.request_id") == "req-a" }
                #expect(a.filter { $0.string("tracespool.span.type") == "agent" }.count == 1)
                #expect(a.filter { $0.string("tracespool.span.type") == "generation" }.count == 3)
                #expect(a.filter { $0.string("tracespool.span.type") == "tool" }.count == 2)
                #expect(a.contains { $0.int("gen_ai.usage.input_tokens") == 120 })
            }
        }

        @Test("errors: a failing handler and an invalid event post /error; the runtime goes on")
        func errors() async throws {
            try await withTemporarySpool { spool in
                let api = try await LoopbackRuntimeAPI.start([
                    .init(requestID: "fail-1", event: #"{"spans": 3, "then": "fail"}"#),
                    .init(requestID: "bad-1", event: #"{"spans": "many"}"#),
                    .init(requestID: "bad-2", event: "[1, 2"), .init(requestID: "ok-1", event: #"{"spans": 2}"#),
                ])
                let (p, _) = try Self.start(
                    Self.environment(["AWS_LAMBDA_RUNTIME_API": api.endpoint, "TRACESPOOL_DIR": spool.path]))
                await api.waitForPosts(4)
                Self.stop(p)
                await api.stop()
                let posts = api.posts
                #expect(
                    posts.map(\.path) == [
                        "/2018-06-01/runtime/invocation/fail-1/error", "/2018-06-01/runtime/invocation/bad-1/error",
                        "/2018-06-01/runtime/invocation/bad-2/error", "/2018-06-01/runtime/invocation/ok-1/response",
                    ])
                #expect(posts.map(\.errorType) == ["HandlerError", "InvalidEvent", "InvalidEvent", nil])
                let failure = try Self.json(posts[0].body)
                #expect(failure["errorType"] as? String == "HandlerError")
                #expect((failure["errorMessage"] as? String)?.contains("fail") == true)
                #expect((try Self.json(posts[1].body)["errorMessage"] as? String)?.contains("spans") == true)
                let failed = try Self.spans(of: "fail-1", in: spool.path)
                #expect(failed.count == 3)
                let server = try #require(failed.first { $0.kind == .server })
                #expect(server.status?.code == .error)
                #expect(try Self.spans(of: "ok-1", in: spool.path).count == 2)
                #expect(FileManager.default.fileExists(atPath: spool.path + "/invocation-fail-1.done"))
            }
        }

        @Test("hang: the children are flushed before the invocation hangs; the SERVER span never ends")
        func hang() async throws {
            try await withTemporarySpool { spool in
                let api = try await LoopbackRuntimeAPI.start([
                    .init(requestID: "hang-1", event: #"{"spans": 6, "then": "hang"}"#)
                ])
                let (p, stderr) = try Self.start(
                    Self.environment(["AWS_LAMBDA_RUNTIME_API": api.endpoint, "TRACESPOOL_DIR": spool.path]))
                // The demo says on standard error when its flush returned; the SIGKILL follows at once, long before
                // the tracer's periodic drain (1 s) could have written the spans without the flush.
                let line = Self.firstLine(of: stderr)
                #expect(line.contains("hang after flushing 5 spans (flushed: true)"), "\(line)")
                #expect(p.isRunning, "the invocation hangs")
                Self.stop(p)
                await api.stop()
                let spans = try Self.spans(of: "hang-1", in: spool.path)
                #expect(spans.count == 5)
                #expect(!spans.contains { $0.kind == .server })
                #expect(api.posts.isEmpty)
            }
        }

        @Test("crash: the children are flushed before abort()")
        func crash() async throws {
            try await withTemporarySpool { spool in
                let api = try await LoopbackRuntimeAPI.start([
                    .init(requestID: "crash-1", event: #"{"spans": 4, "then": "crash"}"#)
                ])
                let (p, stderr) = try Self.start(
                    Self.environment(["AWS_LAMBDA_RUNTIME_API": api.endpoint, "TRACESPOOL_DIR": spool.path]))
                p.waitUntilExit()
                await api.stop()
                let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                #expect(message.contains("crash after flushing 3 spans (flushed: true)"))
                #expect(p.terminationReason == .uncaughtSignal)
                #expect(p.terminationStatus == SIGABRT)
                let spans = try Self.spans(of: "crash-1", in: spool.path)
                #expect(spans.count == 3)
                #expect(!spans.contains { $0.kind == .server })
                #expect(api.posts.isEmpty)
            }
        }

        @Test("SIGTERM (Lambda's shutdown of the runtime): the tracer is shut down, the segment sealed, exit 0")
        func sigterm() async throws {
            try await withTemporarySpool { spool in
                let api = try await LoopbackRuntimeAPI.start([.init(requestID: "term-1", event: #"{"spans": 2}"#)])
                let (p, _) = try Self.start(
                    Self.environment(["AWS_LAMBDA_RUNTIME_API": api.endpoint, "TRACESPOOL_DIR": spool.path]))
                await api.waitForPosts(1)
                kill(p.processIdentifier, SIGTERM)
                p.waitUntilExit()
                await api.stop()
                #expect(p.terminationReason == .exit)
                #expect(p.terminationStatus == 0)
                let names = try segmentFileNames(spool.path)
                #expect(!names.isEmpty)
                #expect(names.allSatisfy { $0.hasSuffix(".seg") }, "sealed: \(names)")
                #expect(try Self.spans(of: "term-1", in: spool.path).count == 2)
            }
        }

        @Test("no AWS_LAMBDA_RUNTIME_API, or not host:port: exit 64 naming the variable")
        func missingEndpoint() throws {
            for value in [nil, "", "localhost", "127.0.0.1:0", "127.0.0.1:99999", ":9001", "a b:1"] as [String?] {
                var env = Self.environment([:])
                env["AWS_LAMBDA_RUNTIME_API"] = value
                let (p, stderr) = try Self.start(env)
                p.waitUntilExit()
                let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                #expect(p.terminationReason == .exit)
                #expect(p.terminationStatus == 64, "\(value ?? "unset")")
                #expect(message.contains("AWS_LAMBDA_RUNTIME_API"))
            }
        }

        @Test("an unexpected Runtime API answer (no request id) ends the runtime with exit 1 and a message")
        func unexpectedAnswer() async throws {
            try await withTemporarySpool { spool in
                let api = try await LoopbackRuntimeAPI.start([.init(requestID: "", event: "{}")])
                let (p, stderr) = try Self.start(
                    Self.environment(["AWS_LAMBDA_RUNTIME_API": api.endpoint, "TRACESPOOL_DIR": spool.path]))
                p.waitUntilExit()
                await api.stop()
                let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                #expect(p.terminationStatus == 1)
                #expect(message.contains("Lambda-Runtime-Aws-Request-Id"))
            }
        }

        @Test("an unusable spool directory is reported to init/error, then exit 1")
        func initError() async throws {
            try await withTemporarySpool { spool in
                FileManager.default.createFile(atPath: spool.path + "/file", contents: Data())
                let api = try await LoopbackRuntimeAPI.start([])
                let (p, _) = try Self.start(
                    Self.environment([
                        "AWS_LAMBDA_RUNTIME_API": api.endpoint, "TRACESPOOL_DIR": spool.path + "/file/spool",
                    ]))
                p.waitUntilExit()
                await api.stop()
                #expect(p.terminationStatus == 1)
                #expect(api.posts.map(\.path) == ["/2018-06-01/runtime/init/error"])
                #expect(api.posts.first?.errorType == "Runtime.SpoolUnavailable")
                #expect(api.nextRequests == 0)
            }
        }

        @Test("on Lambda (no TMPDIR, read-only working directory and HOME) the default spool is /tmp/tracespool-<uid>")
        func defaultSpoolUnderTmp() async throws {
            guard let mount = HostileDiskTests.TmpfsMount(sizeKiB: 64) else {
                return skipRealFaultTest("the read-only task root test", needs: "root and tmpfs mounts")
            }
            defer { mount.tearDown() }
            #expect(mount.remount(readOnly: true))
            #expect(open(mount.path + "/probe", O_WRONLY | O_CREAT, 0o600) == -1, "the directory is read-only")
            let id = "tmp-" + UUID().uuidString.lowercased()
            let api = try await LoopbackRuntimeAPI.start([.init(requestID: id, event: #"{"spans": 3}"#)])
            var env = Self.environment(["AWS_LAMBDA_RUNTIME_API": api.endpoint, "HOME": mount.path])
            env["LAMBDA_TASK_ROOT"] = mount.path
            let spool = "/tmp/tracespool-\(getuid())"
            let before = Set((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? [])
            let (p, _) = try Self.start(env, directory: mount.path)
            await api.waitForPosts(1)
            Self.stop(p)
            await api.stop()
            // The shared directory keeps nothing of this test's: the files the demo created go once read.
            defer {
                let after = Set((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? [])
                for name in after.subtracting(before) {
                    try? FileManager.default.removeItem(atPath: spool + "/" + name)
                }
            }
            #expect(api.posts.map(\.path) == ["/2018-06-01/runtime/invocation/\(id)/response"])
            #expect(FileManager.default.fileExists(atPath: spool + "/invocation-\(id).done"))
            #expect(try Self.spans(of: id, in: spool).count == 3)
        }
    }
}
