import Foundation
import TraceSpoolTraced

// `traced-quickbench traced|helper N`: N spans through a `@Traced(tracer:)` function, or through the hand-written
// `withSpan` call it expands to, for instruction counts per span with callgrind (two runs, N = 2,000 and 12,000,
// the difference ÷ 10,000); see Benchmarks/README.md, "`@Traced` vs the helper".

let directory = "/tmp/traced-qb-\(getpid())"
var configuration = TracerConfiguration(serviceName: "qb", spoolDirectory: directory)
configuration.shutdownAtExit = false
let tracer = SpoolTracer(configuration: configuration)

@inline(never)
@Traced(tracer: tracer)
func tracedWork(_ i: Int) -> Int {
    i &* 3 &+ 1
}

@inline(never)
func helperWork(_ i: Int) -> Int {
    tracer.withSpan(.chain, "tracedWork(_:)") { _ in
        i &* 3 &+ 1
    }
}

let n = Int(CommandLine.arguments[2])!
var sum = 0
if CommandLine.arguments[1] == "traced" {
    for i in 0..<n { sum &+= tracedWork(i) }
} else {
    for i in 0..<n { sum &+= helperWork(i) }
}
_ = tracer.shutdown()
try? FileManager.default.removeItem(atPath: directory)
print(sum)
