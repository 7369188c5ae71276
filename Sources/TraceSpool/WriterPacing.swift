/// When the writer thread sleeps and for how long (see `SpoolWriterThread.run`). While full buffers keep coming, the
/// writer naps between rounds and takes whatever was queued meanwhile, so that the threads handing buffers over need
/// not wake it (a `futex` system call); rounds that find nothing double the nap up to `maxNapMillis`, then the
/// writer parks: it sleeps until woken by the next full buffer (`TracerCore.enqueue`), a flush, or the drain interval.
struct WriterPacing {
    /// The nap after a round that wrote buffers, in milliseconds.
    static let minNapMillis = 1
    /// The longest nap, in milliseconds. After a round that wrote buffers the writer looks again 1, 3, 7, 15 and
    /// 31 ms later before it parks, so full buffers that come at least every 31 ms never have to wake it (with
    /// 64 KiB buffers, about 380 typical spans each: from about 12,000 spans/s up).
    static let maxNapMillis = 16

    /// Whether the writer is parked (sleeping until woken or until the drain interval ends). It starts parked.
    private(set) var parked = true
    /// The next nap, in milliseconds, when not parked.
    private var napMillis = Self.maxNapMillis

    /// How long the next sleep may last, in milliseconds, when the next periodic drain of partial buffers is due in
    /// `untilDrainMillis`: parked, until then; else the nap, or until then if sooner.
    func sleepMillis(untilDrainMillis: Int) -> Int {
        parked ? untilDrainMillis : min(napMillis, untilDrainMillis)
    }

    /// Updates the pacing after a round: after buffers were written, the shortest nap; after a round without any, a
    /// nap twice as long, and after the longest nap, parking — if `park()` (which marks the queue parked) finds no
    /// buffer queued meanwhile; else the shortest nap.
    mutating func roundEnded(wroteBuffers: Bool, park: () -> Bool) {
        if wroteBuffers {
            parked = false
            napMillis = Self.minNapMillis
        } else if napMillis < Self.maxNapMillis {
            parked = false
            napMillis = min(napMillis * 2, Self.maxNapMillis)
        } else if park() {
            parked = true
        } else {
            parked = false
            napMillis = Self.minNapMillis
        }
    }
}
