public import Logging
import SpoolBase
import SpoolFormat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Everything a `SpoolTracer` can be configured with. Build it in code, or start from `fromEnvironment()`.
public struct TracerConfiguration: Sendable {
    /// `service.name` of the resource (`OTEL_SERVICE_NAME`, else a `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, else
    /// the detected function, service or job name (`faas.name`, see `platformResource`); default
    /// `unknown_service:<executable>`).
    public var serviceName: String
    /// Extra resource attributes (`OTEL_RESOURCE_ATTRIBUTES`: `k=v,k2=v2`, split at every `,` and then at the
    /// entry's first `=`, blank entries skipped, spaces and tabs trimmed, keys and values percent-decoded as `%XX`
    /// with no other special character, `+` included).
    ///
    /// A malformed value (an entry without `=`, an empty key, bad percent-encoding or UTF-8) is ignored as a whole
    /// and reported in `warnings`, as the OpenTelemetry Resource SDK specification requires ("Specifying resource
    /// information via an environment variable": "In case of any error, e.g. failure during the decoding process,
    /// the entire environment variable value SHOULD be discarded and an error SHOULD be reported following the
    /// Error Handling principles.").
    public var resourceAttributes: [(String, String)]
    /// Whether the resource carries `platformResource`, the attributes of the serverless platform detected from its
    /// variables (`TRACESPOOL_DETECT_PLATFORM`: `off`, `false`, `0` or `no` turns detection off; default on).
    /// Detected attributes come before `resourceAttributes`, which win on a conflict.
    public var detectsPlatform: Bool
    /// The platform attributes `fromEnvironment(_:)` detected (`PlatformResource.detect(_:)`: AWS Lambda, Google
    /// Cloud Run services and jobs); empty in a configuration built with `init(serviceName:spoolDirectory:)`.
    public var platformResource: PlatformResource
    /// The spool directory (`TRACESPOOL_DIR`; default `<tmp>/tracespool-<uid>`). Created with mode 0700; write
    /// permission of group and others is removed from an existing one (`Spool/FORMAT.md`, "Permissions and
    /// ownership").
    public var spoolDirectory: String
    /// The group id of a spool directory shared with an uploader running as another user in that group
    /// (`TRACESPOOL_SPOOL_GROUP`: a group name or id; default none). A spool directory whose group it is keeps its
    /// group write permission, a missing one is created with mode 2770 and this group, and segments are created 0640.
    public var spoolGroup: UInt32?
    /// When true nothing is recorded: no files, no thread, spans are non-recording (`OTEL_SDK_DISABLED=true`).
    public var disabled: Bool
    /// The sampler (`OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG`; default parent-based always-on).
    public var sampler: TraceSampler
    /// Segment rotation size in bytes (`TRACESPOOL_SEGMENT_BYTES`; default 16 MiB).
    public var maxSegmentBytes: Int
    /// Total bytes of segments allowed in the spool directory before new spans are dropped as `diskCap`
    /// (`TRACESPOOL_DISK_CAP_BYTES`; default 1 GiB; 0 = unlimited). The tracer never deletes segments.
    public var diskCapBytes: Int
    /// Maximum attributes per span; further ones are counted in `dropped_attributes_count`
    /// (`OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT`, else `OTEL_ATTRIBUTE_COUNT_LIMIT`; default 128; negative reads as 0).
    public var attributeCountLimit: Int
    /// Maximum UTF-8 bytes of a string attribute value; longer ones are truncated on a Unicode scalar boundary
    /// (`OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT`, else `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`; default unlimited = 0).
    public var attributeValueLengthLimit: Int
    /// Maximum events per span (`OTEL_SPAN_EVENT_COUNT_LIMIT`; default 128; negative reads as 0).
    public var eventCountLimit: Int
    /// Maximum links per span (`OTEL_SPAN_LINK_COUNT_LIMIT`; default 128; negative reads as 0).
    public var linkCountLimit: Int
    /// Whether `Encodable` inputs/outputs are captured as JSON by default (`TRACESPOOL_CAPTURE_IO`; default true).
    public var captureInputOutput: Bool
    /// Maximum bytes of one captured input/output JSON value; longer ones are cut (`TRACESPOOL_MAX_IO_BYTES`;
    /// default 32 KiB).
    public var maxInputOutputBytes: Int
    /// Default timeout of `forceFlush()` and `shutdown()` in milliseconds (`TRACESPOOL_FLUSH_TIMEOUT_MS`; default 5000).
    public var flushTimeoutMillis: Int
    /// Per-thread buffer size in bytes at which encoded spans are handed to the writer (default 64 KiB; clamped to
    /// 4 KiB ... 8 MiB).
    public var bufferBytes: Int
    /// Full buffers that may wait for the writer before further ones are dropped as `queueFull` (default 64,
    /// i.e. about 4 MiB).
    public var maxQueuedBuffers: Int
    /// How often the writer collects partially filled buffers, in milliseconds (default 1000; no fsync; clamped
    /// to 1 ms ... 1 day).
    public var drainIntervalMillis: Int
    /// Whether frames are LZ4-compressed (default true).
    public var compress: Bool
    /// Whether `shutdown()` runs at normal process exit (default true).
    public var shutdownAtExit: Bool
    /// Problems found by `fromEnvironment` (ignored values); the tracer logs them at start.
    public internal(set) var warnings: [String] = []
    /// Log level of the tracer's own logger (`TRACESPOOL_LOG_LEVEL`; default `warning`).
    public var logLevel: Logger.Level
    /// What is redacted before spans reach the disk (`TRACESPOOL_REDACT_KEYS`, `TRACESPOOL_REDACT_DEFAULTS`; default:
    /// the credential shapes, no keys).
    public var redaction = RedactionConfiguration()
    /// In-process observers of this tracer's spans, called in this order as spans start and end (default none; see
    /// `SpanProcessor`). Only for tracers built in code: not read from the environment.
    public var processors: [any SpanProcessor] = []

    /// Which W3C baggage entries are copied onto spans as attributes at span start (`TRACESPOOL_BAGGAGE_ATTRIBUTES`,
    /// `TRACESPOOL_BAGGAGE_ATTRIBUTE_PREFIX`; default none). See `BaggageAttributes`.
    public var baggageAttributes = BaggageAttributes()

    /// A configuration with defaults and the given service name.
    public init(serviceName: String = TracerConfiguration.defaultServiceName, spoolDirectory: String? = nil) {
        self.serviceName = serviceName
        self.resourceAttributes = []
        self.detectsPlatform = true
        self.platformResource = PlatformResource()
        self.spoolDirectory = spoolDirectory ?? TracerConfiguration.defaultSpoolDirectory
        self.disabled = false
        self.sampler = .parentBased(root: .alwaysOn)
        self.maxSegmentBytes = 16 << 20
        self.diskCapBytes = 1 << 30
        self.attributeCountLimit = 128
        self.attributeValueLengthLimit = 0
        self.eventCountLimit = 128
        self.linkCountLimit = 128
        self.captureInputOutput = true
        self.maxInputOutputBytes = 32 << 10
        self.flushTimeoutMillis = 5000
        self.bufferBytes = 64 << 10
        self.maxQueuedBuffers = 64
        self.drainIntervalMillis = 1000
        self.compress = true
        self.shutdownAtExit = true
        self.logLevel = .warning
    }

    /// `unknown_service:<executable name>`, the OTel default.
    public static var defaultServiceName: String {
        let arg0 = CommandLine.arguments.first ?? ""
        let name = arg0.split(separator: "/").last.map(String.init) ?? ""
        return name.isEmpty ? "unknown_service" : "unknown_service:\(name)"
    }

    /// `<TMPDIR or /tmp>/tracespool-<uid>`.
    public static var defaultSpoolDirectory: String {
        var environment = ProcessEnvironment.current
        environment["TRACESPOOL_DIR"] = nil
        return SpoolDirectory.defaultPath(environment: environment)
    }

    /// The configuration the tracer runs with: the writer's knobs clamped to what the spool format and the
    /// writer's arithmetic allow (`bufferBytes` 4 KiB ... 8 MiB, so that a full batch plus one record fits a frame;
    /// `drainIntervalMillis` 1 ms ... 1 day) and negative count limits read as 0, so that no setting can trap or
    /// stall the tracer.
    var clamped: TracerConfiguration {
        var c = self
        c.attributeCountLimit = max(attributeCountLimit, 0)
        c.eventCountLimit = max(eventCountLimit, 0)
        c.linkCountLimit = max(linkCountLimit, 0)
        c.bufferBytes = min(max(bufferBytes, 4 << 10), SpoolLimits.maxFramePayloadBytes / 2)
        c.drainIntervalMillis = min(max(drainIntervalMillis, 1), 86_400_000)
        return c
    }

    /// Reads the configuration from `environment` (default: the process environment). Unparsable values are
    /// ignored (the default stays) and listed in `warnings`.
    public static func fromEnvironment(_ environment: [String: String]? = nil) -> TracerConfiguration {
        let env = environment ?? ProcessEnvironment.current
        var problems: [String] = []
        var c = TracerConfiguration()
        if let v = env["OTEL_SERVICE_NAME"], !v.isEmpty { c.serviceName = v }
        if let v = env["OTEL_RESOURCE_ATTRIBUTES"] {
            do throws(KeyValueListError) {
                c.resourceAttributes = try KeyValueList.parse(v).map { ($0.key, $0.value) }
            } catch {
                problems.append("OTEL_RESOURCE_ATTRIBUTES: \(error); the whole value is ignored")
            }
            if c.serviceName == defaultServiceName, env["OTEL_SERVICE_NAME"] == nil,
                let name = c.resourceAttributes.last(where: { $0.0 == AttributeNames.serviceName })?.1
            {
                c.serviceName = name
            }
        }
        c.detectPlatform(env, problems: &problems)
        if let v = env["TRACESPOOL_DIR"], !v.isEmpty { c.spoolDirectory = v }
        if let v = env["TRACESPOOL_SPOOL_GROUP"], !v.isEmpty {
            c.spoolGroup = POSIX.groupID(named: v)
            if c.spoolGroup == nil { problems.append("TRACESPOOL_SPOOL_GROUP=\(v): no such group; ignored") }
        }
        if let v = env["OTEL_SDK_DISABLED"] { c.disabled = v.trimmingSpaces.lowercased() == "true" }
        if let name = env["OTEL_TRACES_SAMPLER"], !name.isEmpty {
            var problem: String?
            if let s = TraceSampler.parse(name: name, argument: env["OTEL_TRACES_SAMPLER_ARG"], problem: &problem) {
                c.sampler = s
                if let problem { problems.append(problem) }
            } else {
                problems.append("OTEL_TRACES_SAMPLER=\(name) is not supported; using parentbased_always_on")
            }
        }
        func int(_ key: String, _ apply: (Int) -> Void) {
            guard let raw = env[key], !raw.isEmpty else { return }
            if let v = Int(raw.trimmingSpaces), v >= 0 {
                apply(v)
            } else {
                problems.append("\(key)=\(raw) is not a non-negative integer; ignored")
            }
        }
        int("TRACESPOOL_SEGMENT_BYTES") { c.maxSegmentBytes = $0 }
        int("TRACESPOOL_DISK_CAP_BYTES") { c.diskCapBytes = $0 }
        int("OTEL_ATTRIBUTE_COUNT_LIMIT") { c.attributeCountLimit = $0 }
        int("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT") { c.attributeCountLimit = $0 }
        int("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT") { c.attributeValueLengthLimit = $0 }
        int("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT") { c.attributeValueLengthLimit = $0 }
        int("OTEL_SPAN_EVENT_COUNT_LIMIT") { c.eventCountLimit = $0 }
        int("OTEL_SPAN_LINK_COUNT_LIMIT") { c.linkCountLimit = $0 }
        int("TRACESPOOL_MAX_IO_BYTES") { c.maxInputOutputBytes = $0 }
        int("TRACESPOOL_FLUSH_TIMEOUT_MS") { c.flushTimeoutMillis = $0 }
        if let v = env["TRACESPOOL_CAPTURE_IO"] {
            c.captureInputOutput = !["false", "0", "no", "off"].contains(v.trimmingSpaces.lowercased())
        }
        if let v = env["TRACESPOOL_LOG_LEVEL"], !v.isEmpty {
            if let level = Logger.Level(rawValue: v.trimmingSpaces.lowercased()) {
                c.logLevel = level
            } else {
                problems.append("TRACESPOOL_LOG_LEVEL=\(v) is not a swift-log level; ignored")
            }
        }
        c.redaction.read(env, problems: &problems)
        c.baggageAttributes.read(env)
        if let problem = propagatorWarning(env["OTEL_PROPAGATORS"]) { problems.append(problem) }
        c.warnings = problems
        return c
    }
}
