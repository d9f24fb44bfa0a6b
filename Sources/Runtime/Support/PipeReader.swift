// Sources/Runtime/Support/PipeReader.swift - draining a pipe with blocking reads on a thread of its own

import Foundation

/// Reads a child's pipe until end of file, handing each chunk to `onChunk`, then calls `onEnd`.
///
/// Why not `FileHandle.readabilityHandler`: on Linux its libdispatch read source races its own
/// teardown and crashes the whole process in `_dispatch_event_loop_drain` when many pipes come
/// and go (swift-corelibs-libdispatch #949, swift-corelibs-foundation #3276) — the test suite
/// hit it under load. A blocking read never registers the descriptor with libdispatch.
/// The thread keeps `handle` alive until end of file, so the descriptor is closed only after it.
public enum PipeReader {
    public static func drain(_ handle: FileHandle, onChunk: @escaping @Sendable (Data) -> Void, onEnd: @escaping @Sendable () -> Void = {}) {
        let thread = Thread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                onChunk(chunk)
            }
            onEnd()
        }
        thread.start()
    }

    /// Everything until end of file, without blocking a thread of the caller's executor (a blocked
    /// cooperative thread stalls every task on it: there are only as many as cores).
    public static func collect(_ handle: FileHandle) async -> Data {
        let buffer = DataBuffer()
        return await withCheckedContinuation { continuation in
            drain(handle, onChunk: { buffer.append($0) }, onEnd: { continuation.resume(returning: buffer.data) })
        }
    }

    /// The pipe's text as lines (without their newline); a last unterminated line is dropped.
    public static func lines(of handle: FileHandle) -> AsyncStream<String> {
        AsyncStream { continuation in
            let pending = LineBuffer()
            drain(
                handle,
                onChunk: { chunk in
                    for line in pending.append(chunk) { continuation.yield(line) }
                }, onEnd: { continuation.finish() })
        }
    }
}

/// Bytes gathered by one reader thread, handed over once at end of file.
private final class DataBuffer: @unchecked Sendable {
    private(set) var data = Data()

    func append(_ chunk: Data) { data.append(chunk) }
}

/// Splits a byte stream at newlines; used by one reader thread at a time.
private final class LineBuffer: @unchecked Sendable {
    private var pending = Data()

    func append(_ chunk: Data) -> [String] {
        pending.append(chunk)
        var lines: [String] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
            pending.removeSubrange(pending.startIndex...newline)
        }
        return lines
    }
}
