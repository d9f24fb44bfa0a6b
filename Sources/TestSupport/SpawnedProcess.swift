// Sources/TestSupport/SpawnedProcess.swift - a long-running child (a gateway, an IRC server, a browser) that tests own

import Foundation
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// A child process started with swift-subprocess and kept running in a task this object owns.
///
/// Why a wrapper: swift-subprocess scopes a child to one `run` call, while tests start a gateway, talk to it for a
/// while, signal it and read its exit status. The `run` call lives in `task`; `pid` is known once it has spawned. The
/// child's standard streams are descriptors the caller chooses (a `Pipe`, a log file, or nothing), so no pipe is read
/// on the caller's behalf and a grandchild that inherits one can never hold up the exit status. Cancelling, `kill()`
/// or dropping the last reference stops the child (SIGKILL): a test cannot leave one behind.
public final class SpawnedProcess: Sendable {
    /// How the child ended: its exit code, or the signal that killed it.
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)

        /// The shell's `$?`: the exit code, or 128 + the signal.
        public var status: Int32 {
            switch self {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
        }
    }

    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// The test process's own stream.
        case inherit
        /// The child's end of a pipe; the parent's copy is closed once the child has it.
        case pipe(Pipe)
        /// An open file (a log); stays open in the parent.
        case file(FileHandle)
    }

    public let pid: Int32
    private let exit: ExitBox
    private let task: Task<Void, Never>

    private init(pid: Int32, exit: ExitBox, task: Task<Void, Never>) {
        self.pid = pid
        self.exit = exit
        self.task = task
    }

    deinit {
        if isRunning { Glibc.kill(pid, SIGKILL) }
    }

    /// Starts `executable` (an absolute path or a name on `PATH`); returns once it has spawned.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, workingDirectory: String? = nil,
        input: Stream = .null, output: Stream = .null, error: Stream = .null
    ) async throws -> SpawnedProcess {
        let target: Executable = executable.hasPrefix("/") ? .path(FilePath(executable)) : .name(executable)
        let env: Environment =
            environment.map { values in
                .custom(Dictionary(uniqueKeysWithValues: values.compactMap { key, value in Environment.Key(rawValue: key).map { ($0, value) } }))
            } ?? .inherit
        let configuration = Configuration(
            executable: target, arguments: Arguments(arguments), environment: env, workingDirectory: workingDirectory.map { FilePath($0) })
        let exit = ExitBox()
        let (spawned, spawnedSink) = AsyncThrowingStream.makeStream(of: Int32.self)
        let descriptors = Descriptors(input: input, output: output, error: error)
        let task = Task {
            do {
                let result = try await Subprocess.run(
                    configuration, input: descriptors.makeInput(), output: descriptors.makeOutput(), error: descriptors.makeError()
                ) { execution in
                    spawnedSink.yield(execution.processIdentifier.value)
                    spawnedSink.finish()
                }
                switch result.terminationStatus {
                case .exited(let code): exit.finish(.exited(code))
                case .signaled(let signal): exit.finish(.signaled(signal))
                }
            } catch {
                spawnedSink.finish(throwing: error)
                exit.finish(.exited(127))
            }
        }
        var iterator = spawned.makeAsyncIterator()
        defer { descriptors.closeChildEnds() }
        guard let pid = try await iterator.next() else { throw CancellationError() }
        return SpawnedProcess(pid: pid, exit: exit, task: task)
    }

    public var isRunning: Bool { exit.termination == nil }

    /// How it ended, once it has (nil while running).
    public var termination: Termination? { exit.termination }

    /// Waits for the child to end, without blocking a thread.
    @discardableResult
    public func exited() async -> Termination { await exit.wait() }

    /// Waits up to `timeout`, then SIGKILLs the child and waits for that.
    @discardableResult
    public func exited(within timeout: Duration) async -> Termination {
        let killer = Task { [pid, exit] in
            try await Task.sleep(for: timeout)
            if exit.termination == nil { Glibc.kill(pid, SIGKILL) }
        }
        defer { killer.cancel() }
        return await exit.wait()
    }

    public func signal(_ number: Int32) {
        if isRunning { Glibc.kill(pid, number) }
    }

    public func terminate() { signal(SIGTERM) }

    /// SIGTERM, then SIGKILL if it is still there after `grace`; returns how it ended.
    @discardableResult
    public func stop(grace: Duration = .seconds(10)) async -> Termination {
        terminate()
        return await exited(within: grace)
    }
}

/// The termination, handed from the `run` task to every waiter.
private final class ExitBox: Sendable {
    private let state = Mutex<(termination: SpawnedProcess.Termination?, waiters: [CheckedContinuation<SpawnedProcess.Termination, Never>])>((nil, []))

    var termination: SpawnedProcess.Termination? { state.withLock { $0.termination } }

    func finish(_ termination: SpawnedProcess.Termination) {
        let waiters = state.withLock { state in
            state.termination = termination
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: termination) }
    }

    func wait() async -> SpawnedProcess.Termination {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> SpawnedProcess.Termination? in
                if let termination = state.termination { return termination }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }
}

/// The three streams as swift-subprocess inputs/outputs. Each given descriptor is duplicated and the duplicate is what
/// swift-subprocess closes after the spawn, so the caller's `FileHandle`s keep sole ownership of theirs (closing a raw
/// descriptor a `FileHandle` still owns would later close whatever reused its number).
private struct Descriptors: Sendable {
    var input: SpawnedProcess.Stream
    var output: SpawnedProcess.Stream
    var error: SpawnedProcess.Stream

    func makeInput() -> FileDescriptorInput {
        switch input {
        case .pipe(let pipe): return .fileDescriptor(Self.duplicate(pipe.fileHandleForReading), closeAfterSpawningProcess: true)
        case .file(let handle): return .fileDescriptor(Self.duplicate(handle), closeAfterSpawningProcess: true)
        case .inherit: return .fileDescriptor(.standardInput, closeAfterSpawningProcess: false)
        case .null: return .fileDescriptor(Self.devNull(), closeAfterSpawningProcess: true)
        }
    }

    func makeOutput() -> FileDescriptorOutput { Self.writeEnd(output, inherited: .standardOutput) }

    func makeError() -> FileDescriptorOutput { Self.writeEnd(error, inherited: .standardError) }

    /// The parent's copies of the pipes' child ends: closed once the child has its own, so the parent sees end of file.
    func closeChildEnds() {
        if case .pipe(let pipe) = input { try? pipe.fileHandleForReading.close() }
        if case .pipe(let pipe) = output { try? pipe.fileHandleForWriting.close() }
        if case .pipe(let pipe) = error { try? pipe.fileHandleForWriting.close() }
    }

    private static func writeEnd(_ stream: SpawnedProcess.Stream, inherited: FileDescriptor) -> FileDescriptorOutput {
        switch stream {
        case .pipe(let pipe): return .fileDescriptor(duplicate(pipe.fileHandleForWriting), closeAfterSpawningProcess: true)
        case .file(let handle): return .fileDescriptor(duplicate(handle), closeAfterSpawningProcess: true)
        case .inherit: return .fileDescriptor(inherited, closeAfterSpawningProcess: false)
        case .null: return .fileDescriptor(devNull(), closeAfterSpawningProcess: true)
        }
    }

    private static func duplicate(_ handle: FileHandle) -> FileDescriptor {
        FileDescriptor(rawValue: fcntl(handle.fileDescriptor, F_DUPFD_CLOEXEC, 0))
    }

    private static func devNull() -> FileDescriptor { FileDescriptor(rawValue: open("/dev/null", O_RDWR | O_CLOEXEC)) }
}
