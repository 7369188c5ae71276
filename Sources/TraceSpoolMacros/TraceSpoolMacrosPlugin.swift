import SwiftCompilerPlugin
import SwiftSyntaxMacros

/// The compiler plugin that provides TraceSpool's macros (`@Traced`).
@main
struct TraceSpoolMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [TracedMacro.self]
}
