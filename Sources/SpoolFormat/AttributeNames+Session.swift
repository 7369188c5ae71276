extension AttributeNames {
    /// `tracespool.session.name`: the display name of the session (`SpoolTracer.session(_:name:user:metadata:)`)
    /// a trace belongs to, written on each trace span of the session; the session's id is `session.id`.
    @inlinable public static var sessionName: String { "tracespool.session.name" }
}
