// Sources/Runtime/Config/ConfigWatcher.swift - notices edits to the config file and its `$include`s

import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Watches a set of files by watching their DIRECTORIES, so an editor that writes a temp file and renames it
/// over the config (a new inode) is still seen; events are filtered by file name. On Linux this is inotify
/// (Swift's Glibc module exports it); where inotify is unavailable (or `inotify_init1` fails, e.g. the
/// per-user instance limit) it falls back to polling `stat` (inode, size, mtime) every 250 ms.
/// Every relevant event bumps `generation` and wakes `events`; the reloader debounces on the generation.
final class ConfigWatcher: Sendable {
    /// Wakes the reloader; the buffer keeps only the newest wake-up.
    let events: AsyncStream<Void>
    private let sink: AsyncStream<Void>.Continuation
    private let state = Mutex<(generation: Int, stopped: Bool)>((0, false))
    let files: [String]

    /// Watches are in place when this returns (an edit right after is seen); reading happens on a thread.
    init(files: [String]) {
        self.files = files
        (events, sink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        #if canImport(Glibc)
        let inotify = Self.setUpInotify(files)
        #else
        let inotify: (fd: Int32, names: [Int32: Set<String>])? = nil
        #endif
        let initial = files.map(Self.signature)
        let thread = Thread { [self] in
            #if canImport(Glibc)
            if let inotify {
                self.readInotify(fd: inotify.fd, names: inotify.names)
                return
            }
            #endif
            self.watchByPolling(initial)
        }
        thread.name = "openclaw-config-watcher"
        thread.start()
    }

    /// Counts relevant file events since the watcher started.
    var generation: Int { state.withLock { $0.generation } }

    func stop() {
        state.withLock { $0.stopped = true }
        sink.finish()
    }

    private var stopped: Bool { state.withLock { $0.stopped } }

    private func changed() {
        state.withLock { $0.generation += 1 }
        sink.yield()
    }

    #if canImport(Glibc)
    /// One inotify instance watching each directory; nil when inotify is unavailable (the caller polls instead).
    private static func setUpInotify(_ files: [String]) -> (fd: Int32, names: [Int32: Set<String>])? {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { return nil }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB)
        var names: [Int32: Set<String>] = [:]
        for (directory, members) in Dictionary(grouping: files, by: { ($0 as NSString).deletingLastPathComponent }) {
            let wd = inotify_add_watch(fd, directory, mask)
            guard wd >= 0 else {
                close(fd)
                return nil
            }
            names[wd, default: []].formUnion(members.map { ($0 as NSString).lastPathComponent })
        }
        return (fd, names)
    }

    private func readInotify(fd: Int32, names: [Int32: Set<String>]) {
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !stopped {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 250) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            var relevant = false
            buffer.withUnsafeBytes { raw in
                var offset = 0
                let header = MemoryLayout<inotify_event>.size
                while offset + header <= count {
                    let wd = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset + header - 4, as: UInt32.self))
                    if length > 0 {
                        let bytes = raw[(offset + header)..<(offset + header + length)].prefix { $0 != 0 }
                        if names[wd]?.contains(String(decoding: bytes, as: UTF8.self)) == true { relevant = true }
                    }
                    offset += header + length
                }
            }
            if relevant { changed() }
        }
    }
    #endif

    private func watchByPolling(_ initial: [[Int]?]) {
        var last = initial
        while !stopped {
            Thread.sleep(forTimeInterval: 0.25)
            let now = files.map(Self.signature)
            if now != last {
                last = now
                changed()
            }
        }
    }

    /// Identity and content stamp of a file; nil when it does not exist.
    private static func signature(_ path: String) -> [Int]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [Int(info.st_ino), Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
    }
}
