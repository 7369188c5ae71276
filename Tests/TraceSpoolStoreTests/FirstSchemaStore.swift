import OTLPWire

/// A store as the first version of the uploader created it: the `spans` table without the trace state, flags, links
/// and dropped-count columns, its indexes, and one row.
enum FirstSchemaStore {
    /// The SQL that creates it.
    static let sql = """
        CREATE TABLE spans (
            trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, name TEXT NOT NULL,
            kind INTEGER NOT NULL, start_time_unix_nano INTEGER NOT NULL, end_time_unix_nano INTEGER NOT NULL,
            duration_ns INTEGER NOT NULL, status_code INTEGER NOT NULL, status_message TEXT, service_name TEXT,
            scope_name TEXT, scope_version TEXT, resource_json TEXT NOT NULL, attributes_json TEXT NOT NULL,
            events_json TEXT NOT NULL, session_id TEXT, user_id TEXT, span_type TEXT, segment TEXT,
            inserted_unix_nano INTEGER NOT NULL,
            PRIMARY KEY (trace_id, span_id)
        );
        CREATE INDEX spans_by_trace ON spans(trace_id, start_time_unix_nano);
        CREATE INDEX spans_by_session ON spans(session_id, start_time_unix_nano);
        CREATE INDEX spans_by_start ON spans(start_time_unix_nano);
        INSERT INTO spans VALUES (
            'abababababababababababababababab', '000000000000000e', '000000000000000b', 'old-span', 3, 1000, 1500, 500,
            2, 'boom', 'svc', 'tests', '1.0', '{"service.name":"svc"}', '{"session.id":"s-1","n":3}',
            '[{"name":"exception","time_unix_nano":1200,"attributes":{"exception.type":"E"}}]', 's-1', NULL, 'tool',
            'old.seg', 1700000000000000000);
        """

    /// The number of columns of its table.
    static let columnCount = 21

    /// Its row as a span.
    static let span = OTLPSpan(
        traceID: Array(repeating: 0xAB, count: 16), spanID: [0, 0, 0, 0, 0, 0, 0, 0x0E],
        parentSpanID: [0, 0, 0, 0, 0, 0, 0, 0x0B], name: "old-span", kind: .client, startTimeUnixNano: 1000,
        endTimeUnixNano: 1500, attributes: [OTLPKeyValue("session.id", .string("s-1")), OTLPKeyValue("n", .int(3))],
        events: [
            OTLPEvent(timeUnixNano: 1200, name: "exception", attributes: [OTLPKeyValue("exception.type", .string("E"))])
        ],
        status: OTLPStatus(code: .error, message: "boom"))
}
