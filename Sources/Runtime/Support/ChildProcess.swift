// Sources/Runtime/Support/ChildProcess.swift - spawning programs without Foundation.Process

import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A drop-in for the parts of `Foundation.Process` this project uses, built on `posix_spawn`.
///
/// Why: on Linux, Swift 6.3.1's `Process.run()` intermittently crashes the *parent* with an
/// over-read while listing `/proc/self/fd` (swift-corelibs-foundation PR #5472). The test suite
/// spawns hundreds of processes from a process full of sockets and hit it about one run in five.
/// Here the child closes every descriptor above 2 with `posix_spawn_file_actions_addclosefrom_np`
/// (glibc ≥ 2.34) instead.
public final class ChildProcess: @unchecked Sendable {
    public enum TerminationReason: Sendable {
        case exit, uncaughtSignal
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public var errno: Int32
        public var path: String
        public var description: String { "cannot start \(path): \(String(cString: strerror(errno)))" }
    }

    public var executableURL: URL?
    public var arguments: [String]?
    public var environment: [String: String]?
    public var currentDirectoryURL: URL?
    /// A `Pipe` or a `FileHandle` (nil: inherit the parent's).
    public var standardInput: Any?
    public var standardOutput: Any?
    public var standardError: Any?
    /// Called once, on a background thread, when the process has exited.
    public var terminationHandler: (@Sendable (ChildProcess) -> Void)?

    private struct State {
        var pid: pid_t = 0
        var status: Int32?
        var reason = TerminationReason.exit
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let exited = DispatchSemaphore(value: 0)

    public init() {}

    public var processIdentifier: Int32 { state.withLock { $0.pid } }
    public var isRunning: Bool { state.withLock { $0.pid != 0 && $0.status == nil } }
    /// The exit status, or the signal number when `terminationReason` is `.uncaughtSignal`.
    public var terminationStatus: Int32 { state.withLock { $0.status ?? 0 } }
    public var terminationReason: TerminationReason { state.withLock { $0.reason } }

    public func run() throws {
        guard let executable = executableURL?.path else { throw SpawnError(errno: ENOENT, path: "(no executable)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [FileHandle] = []
        for (target, value) in [(Int32(0), standardInput), (1, standardOutput), (2, standardError)] {
            switch value {
            case let pipe as Pipe:
                let childEnd = target == 0 ? pipe.fileHandleForReading : pipe.fileHandleForWriting
                posix_spawn_file_actions_adddup2(&actions, childEnd.fileDescriptor, target)
                parentEnds.append(childEnd)
            case let handle as FileHandle:
                posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, target)
            default:
                break
            }
        }
        if let closeFrom = Self.closeFrom { _ = closeFrom(&actions, 3) }
        if let directory = currentDirectoryURL?.path, let chdir = Self.chdir {
            _ = directory.withCString { chdir(&actions, $0) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Signals start at their defaults and unblocked, whatever this process ignores or blocks.
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + (arguments ?? [])).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, env)
        guard result == 0 else { throw SpawnError(errno: result, path: executable) }
        // The child has its copies; the parent's would keep pipes from ever reaching end of file.
        for handle in parentEnds { try? handle.close() }
        let spawned = pid
        state.withLock { $0.pid = spawned }
        let thread = Thread { [self] in self.reap(spawned) }
        thread.start()
    }

    public func waitUntilExit() {
        if state.withLock({ $0.status != nil }) { return }
        exited.wait()
        exited.signal()
    }

    /// Waits without blocking a thread.
    public func exit() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.status != nil { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    public func terminate() { signal(SIGTERM) }
    public func interrupt() { signal(SIGINT) }

    private func signal(_ number: Int32) {
        let pid = state.withLock { $0.status == nil ? $0.pid : 0 }
        if pid > 0 { kill(pid, number) }
    }

    private func reap(_ pid: pid_t) {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG spelled out: the macros are not imported.
        let signaled = (raw & 0x7F) != 0 && (raw & 0x7F) != 0x7F
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.status = signaled ? raw & 0x7F : (raw >> 8) & 0xFF
            state.reason = signaled ? .uncaughtSignal : .exit
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        exited.signal()
        terminationHandler?(self)
        for waiter in waiters { waiter.resume() }
    }

    private typealias FileActionsInt = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias FileActionsPath = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's GNU extensions, looked up at run time (Swift's Glibc module does not import them).
    private static let closeFrom: FileActionsInt? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: FileActionsInt.self) }
    private static let chdir: FileActionsPath? = dlsym(nil, "posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: FileActionsPath.self) }
}
