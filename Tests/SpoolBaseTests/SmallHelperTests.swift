import SpoolBase
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct SmallHelperTests {
    @Test func trimmingSpacesTrimsOnlySpacesAndTabs() {
        #expect(" \t a b \t ".trimmingSpaces == "a b")
        #expect("\n a \n".trimmingSpaces == "\n a \n")
        #expect(" \t ".trimmingSpaces == "")
        #expect("x é ".dropFirst().trimmingSpaces == "é")
    }

    @Test func processEnvironmentReadsTheProcessVariables() {
        setenv("SPOOLBASE_TEST_VARIABLE", "a=b", 1)
        defer { unsetenv("SPOOLBASE_TEST_VARIABLE") }
        #expect(ProcessEnvironment.current["SPOOLBASE_TEST_VARIABLE"] == "a=b")
        #expect(ProcessEnvironment.value("SPOOLBASE_TEST_VARIABLE") == "a=b")
        #expect(ProcessEnvironment.value("SPOOLBASE_TEST_UNSET_VARIABLE") == nil)
    }

    @Test func hostNameAndClocks() {
        #expect(!HostName.current.isEmpty)
        let now = UInt64(time(nil))
        let unix = SystemClock.unixNanos() / 1_000_000_000
        #expect(unix >= now && unix <= now + 5)
        let a = SystemClock.monotonicNanos()
        let b = SystemClock.monotonicNanos()
        #expect(b >= a)
    }
}
