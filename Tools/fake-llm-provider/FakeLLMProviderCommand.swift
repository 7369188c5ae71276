import FakeLLMProvider

@main
struct FakeLLMProviderCommand {
    static func main() {}
}
