// FuzzTesting/Sources/FuzzGateway/FuzzGateway.swift - libFuzzer's entry points over the gateway-stress fuzz targets

import Dispatch
import FuzzTargets
import Synchronization

/// The target `--target=<name>` picked (default `frame`); set once before libFuzzer starts.
nonisolated(unsafe) var selected = FuzzTarget.frame

/// libFuzzer calls this per input. The targets are async (params decoding goes through the generated `call`),
/// so each input runs in a task and this thread waits for it. A broken invariant aborts, which libFuzzer
/// records as a crash and saves (`crash-<sha1>`); copy such files to `Tests/Fixtures/fuzz/<target>/`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    let done = DispatchSemaphore(value: 0)
    let failure = Failure()
    let target = selected
    Task {
        do {
            _ = try await target.check(input)
        } catch {
            failure.message.withLock { $0 = "\(error)" }
        }
        done.signal()
    }
    done.wait()
    if let message = failure.message.withLock({ $0 }) { fatalError("\(target.name): invariant broken: \(message)") }
    return 0
}

/// The broken invariant of one input, handed from its task to the waiting libFuzzer thread.
final class Failure: Sendable {
    let message = Mutex<String?>(nil)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt
) -> CInt

/// SwiftPM links executables with `main` aliased to `<module>_main`; libFuzzer's own `main` is left out, and
/// this one strips `--target=` before handing the rest of the command line to libFuzzer.
@_cdecl("FuzzGateway_main")
func fuzzGatewayMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var kept: [UnsafeMutablePointer<CChar>?] = []
    for index in 0..<Int(argc) {
        guard let argument = argv[index] else { continue }
        let text = String(cString: argument)
        if text.hasPrefix("--target=") {
            let name = String(text.dropFirst("--target=".count))
            guard let target = FuzzTarget.named(name) else {
                print("unknown target \(name); known: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
                return 2
            }
            selected = target
        } else {
            kept.append(argument)
        }
    }
    kept.append(nil)
    var count = CInt(kept.count - 1)
    return kept.withUnsafeMutableBufferPointer { buffer in
        var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
        return LLVMFuzzerRunDriver(&count, &pointer, { fuzzOneInput($0, $1) })
    }
}
