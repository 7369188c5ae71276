/// When the writer thread sleeps and for how long (see `SpoolWriterThread.run`). While full buffers keep coming, the
/// writer naps between rounds and takes whatever was queued meanwhile, so that the threads handing buffers over need
/// not wake it (a `futex` system call). The nap after a round that wrote buffers is short (`minNapMicros`), so that
/// buffers are compressed and written soon after they fill and a flush finds few left to compress; rounds that find
/// nothing nap `backoffNapMicros`, then twice as long each time up to `maxNapMicros`, then the writer parks: it
/// sleeps until woken by the next full buffer (`TracerCore.enqueue`), a flush, or the drain interval.
struct WriterPacing {
    /// The nap after a round that wrote buffers, in microseconds.
    static let minNapMicros = 250
    /// The nap after the first round that found nothing, in microseconds.
    static let backoffNapMicros = 2_000
    /// The longest nap, in microseconds. After a round that wrote buffers the writer looks again 0.25, 2.25, 6.25,
    /// 14.25 and 30.25 ms later before it parks, so full buffers that come at least every 30 ms never have to wake
    /// it (with 64 KiB buffers, about 380 typical spans each: from about 12,600 spans/s up).
    static let maxNapMicros = 16_000

    /// Whether the writer is parked (sleeping until woken or until the drain interval ends). It starts parked.
    private(set) var parked = true
    /// The next nap, in microseconds, when not parked.
    private var napMicros = Self.maxNapMicros

    /// How long the next sleep may last, in microseconds, when the next periodic drain of partial buffers is due in
    /// `untilDrainMicros`: parked, until then; else the nap, or until then if sooner.
    func sleepMicros(untilDrainMicros: Int) -> Int {
        parked ? untilDrainMicros : min(napMicros, untilDrainMicros)
    }

    /// Updates the pacing after a round: after buffers were written, the shortest nap; after a round without any,
    /// `backoffNapMicros` or a nap twice as long as the last, and after the longest nap, parking — if `park()` (which
    /// marks the queue parked) finds no buffer queued meanwhile; else the shortest nap.
    mutating func roundEnded(wroteBuffers: Bool, park: () -> Bool) {
        if wroteBuffers {
            parked = false
            napMicros = Self.minNapMicros
        } else if napMicros < Self.maxNapMicros {
            parked = false
            napMicros = min(max(napMicros * 2, Self.backoffNapMicros), Self.maxNapMicros)
        } else if park() {
            parked = true
        } else {
            parked = false
            napMicros = Self.minNapMicros
        }
    }
}
