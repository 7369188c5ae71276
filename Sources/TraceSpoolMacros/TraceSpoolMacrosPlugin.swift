import SwiftCompilerPlugin
import SwiftSyntax
import SwiftSyntaxMacros
import TraceSpoolMacroCore

/// The compiler plugin that provides TraceSpool's macros (`@Traced`).
@main
struct TraceSpoolMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [TracedBodyMacro.self]
}

/// `@Traced` as the compiler finds it in this plugin (`#externalMacro(module: "TraceSpoolMacros", type:
/// "TracedBodyMacro")`): `TraceSpoolMacroCore.TracedMacro`, which the tests call directly.
struct TracedBodyMacro: BodyMacro {
    static func expansion(
        of node: AttributeSyntax,
        providingBodyFor declaration: some DeclSyntaxProtocol & WithOptionalCodeBlockSyntax,
        in context: some MacroExpansionContext
    ) throws -> [CodeBlockItemSyntax] {
        try TracedMacro.expansion(of: node, providingBodyFor: declaration, in: context)
    }
}
