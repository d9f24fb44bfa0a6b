// Sources/Runtime/Support/ProgramRun.swift - running a short program to its end (systemctl, lsof, a browser opener)

import Subprocess

/// What a short-lived helper program said.
///
/// Built on swift-subprocess: the child closes every inherited descriptor (`close_range`), its output is read while
/// it runs (a chatty program can never fill the pipe and stall), and the wait suspends instead of blocking a thread
/// of the concurrency pool.
public struct ProgramRun: Sendable {
    /// The exit code, or 128 + the signal number when a signal ended it (the shell's convention).
    public var status: Int32
    /// Standard output (and standard error too when asked for), decoded as UTF-8.
    public var output: String

    /// Runs `executable` (an absolute path, or a name looked up on `PATH`) with `arguments` and waits for it.
    /// Nil when it could not be started or printed more than `outputLimit` bytes.
    public static func run(
        _ executable: String, _ arguments: [String], includeErrors: Bool = false, environment: [String: String]? = nil, outputLimit: Int = 4 << 20
    ) async -> ProgramRun? {
        let target: Executable = executable.hasPrefix("/") ? .path(.init(executable)) : .name(executable)
        let environment: Environment =
            environment.map { values in
                .custom(Dictionary(uniqueKeysWithValues: values.compactMap { key, value in Environment.Key(rawValue: key).map { ($0, value) } }))
            } ?? .inherit
        do {
            if includeErrors {
                let result = try await Subprocess.run(
                    target, arguments: Arguments(arguments), environment: environment, output: .bytes(limit: outputLimit), error: .combinedWithOutput
                )
                return ProgramRun(status: result.terminationStatus.shellStatus, output: String(decoding: result.standardOutput, as: UTF8.self))
            }
            let result = try await Subprocess.run(
                target, arguments: Arguments(arguments), environment: environment, output: .bytes(limit: outputLimit), error: .discarded
            )
            return ProgramRun(status: result.terminationStatus.shellStatus, output: String(decoding: result.standardOutput, as: UTF8.self))
        } catch {
            return nil
        }
    }
}

extension TerminationStatus {
    var shellStatus: Int32 {
        switch self {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }
}
