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

    /// Reads only: other tests of the process run in parallel, and changing the environment under them is a race.
    @Test func processEnvironmentReadsTheProcessVariables() throws {
        let current = ProcessEnvironment.current
        let path = try #require(current["PATH"])
        #expect(ProcessEnvironment.value("PATH") == path)
        #expect(String(cString: getenv("PATH")) == path)
        #expect(ProcessEnvironment.value("SPOOLBASE_TEST_UNSET_VARIABLE") == nil)
        #expect(current.count > 1)
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
