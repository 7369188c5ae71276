// A stand-in for the model helper's `SpoolSpan.setTimeToFirstToken(_:)` (PLAN17.md, "Model API"), so that the
// exchange compiles before the branch `model` is merged. Delete this file when main has it.
package import TraceSpool

extension SpoolSpan {
    package func setTimeToFirstToken(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        setAttribute("gen_ai.response.time_to_first_chunk", .double(Double(seconds) + Double(attoseconds) * 1e-18))
    }
}
