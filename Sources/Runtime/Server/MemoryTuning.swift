// Sources/Runtime/Server/MemoryTuning.swift - give large buffers back to the OS

#if canImport(Glibc)
import Glibc
#endif

/// glibc keeps freed heap memory, so a burst of large frames (a presence list fanned out to
/// every socket) would leave the process at its peak size. Serving allocations of 64 KiB and up
/// from mmap returns them to the OS as soon as they are freed.
public enum MemoryTuning {
    public static func apply() {
        #if canImport(Glibc)
        // mallopt is not in Swift's Glibc module; look it up. M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3 (malloc.h).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 64 * 1024)
        _ = mallopt(-1, 1 << 20)
        #endif
    }
}
