/// Placeholder for the loopback stand-in of the providers' HTTP APIs.
package enum FakeLLMProviderPlaceholder {}
