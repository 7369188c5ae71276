import SwiftDiagnostics
public import SwiftSyntax
import SwiftSyntaxBuilder
public import SwiftSyntaxMacros

/// `@Traced`: a function body macro that runs the function's body inside a span of a `SpoolTracer`, through the same
/// `with…` helper a hand-written call would use (`withSpan`, or `withTool`/`withAgent`/`withRetrieval`/
/// `withGuardrail`/`trace` for those span types).
///
/// ```text
/// @Traced(type: .tool, captureInput: true)
/// func lookup(order: String) async throws -> Status { … }
/// // expands to
/// func lookup(order: String) async throws -> Status {
///     return try await TraceSpoolTraced.TracedTracer.current.withTool(
///         "lookup(order:)", input: TraceSpoolTraced.TracedArguments(("order", TraceSpoolTraced.TracedArguments.value(order)))
///     ) { _ async throws in
///         …
///     }
/// }
/// ```
public struct TracedMacro: BodyMacro {
    /// The function's new body: a `return` of the helper call with the original statements in its closure; the
    /// original statements unchanged, with an error diagnosed, for a declaration the macro cannot trace.
    public static func expansion(
        of node: AttributeSyntax,
        providingBodyFor declaration: some DeclSyntaxProtocol & WithOptionalCodeBlockSyntax,
        in context: some MacroExpansionContext
    ) throws -> [CodeBlockItemSyntax] {
        guard let function = declaration.as(FunctionDeclSyntax.self) else {
            context.diagnose(Diagnostic(node: node, message: TracedDiagnostic.notAFunction(kindName(declaration))))
            return Array(declaration.body?.statements ?? [])
        }
        guard let body = function.body else {
            context.diagnose(Diagnostic(node: node, message: TracedDiagnostic.noBody))
            return []
        }
        guard let options = Options(node, context) else { return Array(body.statements) }
        let effects = function.signature.effectSpecifiers
        let isAsync = effects?.asyncSpecifier != nil
        var isThrowing = false
        if let clause = effects?.throwsClause {
            if clause.throwsSpecifier.tokenKind == .keyword(.rethrows) {
                context.diagnose(Diagnostic(node: clause, message: TracedDiagnostic.rethrowsFunction))
                return Array(body.statements)
            }
            if clause.type != nil {
                context.diagnose(Diagnostic(node: clause, message: TracedDiagnostic.typedThrows))
                return Array(body.statements)
            }
            isThrowing = true
        }
        var resultType: TypeSyntax?
        if options.captureOutput {
            resultType = function.signature.returnClause?.type.trimmed
            if let type = resultType, isVoid(type) { resultType = nil }
            if resultType == nil {
                context.diagnose(Diagnostic(node: node, message: TracedDiagnostic.noResult))
            } else if let type = function.signature.returnClause?.type, containsOpaqueType(type) {
                context.diagnose(Diagnostic(node: type, message: TracedDiagnostic.opaqueResult))
                return Array(body.statements)
            }
        }

        let name = options.name ?? "\(literal: spanName(function))"
        let tracer = options.tracer.map(tracerExpression) ?? "TraceSpoolTraced.TracedTracer.current"
        let input: ExprSyntax? = options.captureInput ? arguments(function.signature.parameterClause) : nil
        let call = helperCall(tracer: tracer, type: options.type, name: name, input: input)
        let tryAwait = (isThrowing ? "try " : "") + (isAsync ? "await " : "")
        let closureEffects = (isAsync ? " async" : "") + (isThrowing ? " throws" : "")

        // Fixed names: the compiler's unique names start with `$`, which a closure parameter cannot.
        let statements = body.statements.trimmed
        let closure: ExprSyntax
        if let resultType {
            closure = """
                { __tracedSpan\(raw: closureEffects) in
                    let __tracedResult: \(resultType) = \(raw: tryAwait){ ()\(raw: closureEffects) -> \(resultType) in
                        \(statements)
                    }()
                    TraceSpoolTraced.TracedArguments.setOutput(__tracedResult, on: __tracedSpan)
                    return __tracedResult
                }
                """
        } else {
            closure = """
                { _\(raw: closureEffects) in
                    \(statements)
                }
                """
        }
        return ["return \(raw: tryAwait)\(call) \(closure)"]
    }

    /// The `tracer:` argument as an expression inside the function: a key path (`\Self.tracer`, for a tracer held
    /// by the instance) becomes the member access it names on `self` (`self.tracer`), or a key-path subscript when it
    /// has other components; any other expression is used as written.
    static func tracerExpression(_ tracer: ExprSyntax) -> ExprSyntax {
        guard let keyPath = tracer.as(KeyPathExprSyntax.self) else { return tracer }
        var path = "self"
        for component in keyPath.components {
            guard case .property(let property) = component.component, component.period != nil else {
                return "self[keyPath: \(keyPath)]"
            }
            path += ".\(property.declName.trimmedDescription)"
        }
        return "\(raw: path)"
    }

    /// The helper that records a span of `type`, as a call expression without its trailing closure.
    static func helperCall(tracer: ExprSyntax, type: ExprSyntax?, name: ExprSyntax, input: ExprSyntax?) -> ExprSyntax {
        let member = type?.as(MemberAccessExprSyntax.self)
        let isSpanTypeLiteral =
            member.map { $0.base == nil || $0.base?.trimmedDescription == "SpanType" } ?? false
        let inputArgument: (String) -> String = { label in input.map { ", \(label): \($0)" } ?? "" }
        if let member, isSpanTypeLiteral {
            switch member.declName.baseName.text {
            case "tool": return "\(tracer).withTool(\(name)\(raw: inputArgument("input")))"
            case "agent": return "\(tracer).withAgent(\(name)\(raw: inputArgument("input")))"
            case "retrieval": return "\(tracer).withRetrieval(\(name)\(raw: inputArgument("query")))"
            case "guardrail": return "\(tracer).withGuardrail(\(name)\(raw: inputArgument("input")))"
            case "trace": return "\(tracer).trace(\(name)\(raw: inputArgument("input")))"
            default: break
            }
        }
        let type = type ?? ".chain"
        return "\(tracer).withSpan(\(type), \(name)\(raw: inputArgument("input")))"
    }

    /// The JSON object of the arguments: every named parameter except `inout` and function-typed ones, by its name
    /// inside the function; `TracedArguments.value` leaves out values that are not `Encodable` (its overloads taking
    /// `Any` and functions).
    static func arguments(_ parameters: FunctionParameterClauseSyntax) -> ExprSyntax {
        var members: [String] = []
        for parameter in parameters.parameters {
            let name = (parameter.secondName ?? parameter.firstName).trimmed
            guard name.tokenKind != .wildcard, !isInout(parameter.type), !isFunction(parameter.type) else { continue }
            let key = name.identifier?.name ?? name.text
            members.append(
                "(\(StringLiteralExprSyntax(content: key)), TraceSpoolTraced.TracedArguments.value(\(name)))")
        }
        return "TraceSpoolTraced.TracedArguments(\(raw: members.joined(separator: ", ")))"
    }

    /// The function's name as `#function` spells it: `name(label:_:)`.
    static func spanName(_ function: FunctionDeclSyntax) -> String {
        let labels = function.signature.parameterClause.parameters.map { "\($0.firstName.trimmed.text):" }
        return "\(function.name.trimmed.text)(\(labels.joined()))"
    }

    static func isInout(_ type: TypeSyntax) -> Bool {
        guard let attributed = type.as(AttributedTypeSyntax.self) else { return false }
        return attributed.specifiers.contains { specifier in
            specifier.as(SimpleTypeSpecifierSyntax.self)?.specifier.tokenKind == .keyword(.inout)
        }
    }

    static func isFunction(_ type: TypeSyntax) -> Bool {
        if let attributed = type.as(AttributedTypeSyntax.self) { return isFunction(attributed.baseType) }
        if let tuple = type.as(TupleTypeSyntax.self), tuple.elements.count == 1, let element = tuple.elements.first {
            return isFunction(element.type)
        }
        return type.is(FunctionTypeSyntax.self)
    }

    static func isVoid(_ type: TypeSyntax) -> Bool {
        if let tuple = type.as(TupleTypeSyntax.self) { return tuple.elements.isEmpty }
        return type.as(IdentifierTypeSyntax.self)?.name.text == "Void"
    }

    static func containsOpaqueType(_ type: TypeSyntax) -> Bool {
        type.tokens(viewMode: .sourceAccurate).contains { $0.tokenKind == .keyword(.some) }
    }

    static func kindName(_ declaration: some DeclSyntaxProtocol) -> String {
        if declaration.is(InitializerDeclSyntax.self) { return "initializers" }
        if declaration.is(DeinitializerDeclSyntax.self) { return "deinitializers" }
        if declaration.is(AccessorDeclSyntax.self) { return "accessors" }
        return "this declaration"
    }

    /// The attribute's arguments: `@Traced(_ name:, type:, tracer:, captureInput:, captureOutput:)`.
    struct Options {
        var name: ExprSyntax?
        var type: ExprSyntax?
        var tracer: ExprSyntax?
        var captureInput = false
        var captureOutput = false

        /// Nil when a flag is not a Boolean literal (diagnosed).
        init?(_ node: AttributeSyntax, _ context: some MacroExpansionContext) {
            guard case .argumentList(let list) = node.arguments else { return }
            for argument in list {
                let expression = argument.expression.trimmed
                switch argument.label?.text {
                case nil where !expression.is(NilLiteralExprSyntax.self): name = expression
                case "type": type = expression
                case "tracer" where !expression.is(NilLiteralExprSyntax.self): tracer = expression
                case let label? where label == "captureInput" || label == "captureOutput":
                    guard let literal = expression.as(BooleanLiteralExprSyntax.self) else {
                        context.diagnose(
                            Diagnostic(node: argument.expression, message: TracedDiagnostic.notALiteral(label)))
                        return nil
                    }
                    let value = literal.literal.tokenKind == .keyword(.true)
                    if label == "captureInput" { captureInput = value } else { captureOutput = value }
                default: break
                }
            }
        }
    }
}
