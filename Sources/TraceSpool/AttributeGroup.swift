/// A set of attributes the agent API writes in one bulk set (`SpanStorage.set(contentsOf:group:)`).
///
/// The keys of one group are distinct, and no key of one group is a key of another: the first bulk set of each group
/// on a span marks its entries `SpoolAttribute.Marks.distinctKey`, and the encoder then compares keys only where one of
/// the two entries is unmarked (an attribute set one at a time, a group set a second time). The keys are the tracer's
/// own, none of them a key a span type reserves (`SpanType.reservesListKey(_:)`), which the encoder therefore does not
/// look for among marked entries. `AttributeGroupTests` checks the keys of every group.
struct AttributeGroup: OptionSet, Sendable {
    let rawValue: UInt16

    /// `gen_ai.operation.name`.
    static var operation: AttributeGroup { AttributeGroup(rawValue: 1 << 0) }
    /// `gen_ai.request.model`, `llm.model_name` and the provider: `gen_ai.system`, `gen_ai.provider.name`,
    /// `llm.system`, `llm.provider`.
    static var model: AttributeGroup { AttributeGroup(rawValue: 1 << 1) }
    /// `llm.invocation_parameters` and `gen_ai.request.*` but `gen_ai.request.model`.
    static var parameters: AttributeGroup { AttributeGroup(rawValue: 1 << 2) }
    /// `llm.tools.*`.
    static var tools: AttributeGroup { AttributeGroup(rawValue: 1 << 3) }
    /// `input.value`, `input.mime_type` and `llm.input_messages.*`.
    static var inputMessages: AttributeGroup { AttributeGroup(rawValue: 1 << 4) }
    /// `output.value`, `output.mime_type` and `llm.output_messages.*`.
    static var outputMessages: AttributeGroup { AttributeGroup(rawValue: 1 << 5) }
    /// `gen_ai.response.id`, `.model` and `.finish_reasons`.
    static var response: AttributeGroup { AttributeGroup(rawValue: 1 << 6) }
    /// `gen_ai.usage.*` and `llm.token_count.*`.
    static var usage: AttributeGroup { AttributeGroup(rawValue: 1 << 7) }
}
