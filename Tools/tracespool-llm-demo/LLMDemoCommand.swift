import TraceSpoolLLM

@main
struct LLMDemoCommand {
    static func main() {}
}
