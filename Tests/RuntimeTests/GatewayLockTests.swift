// Tests/RuntimeTests/GatewayLockTests.swift - the per-config-path gateway lock: path, content, waiting, reclaiming

import Foundation
import TestSupport
import Testing

@testable import Runtime

@Suite("Gateway lock")
struct GatewayLockTests {
    /// A private TMPDIR per test.
    private static func temporaryEnvironment() throws -> [String: String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return ["TMPDIR": directory]
    }

    private static func fastOptions(isGateway: Bool = true) -> GatewayLock.Options {
        var options = GatewayLock.Options()
        options.timeoutMs = 300
        options.pollMs = 20
        options.isGatewayProcess = { _ in isGateway }
        return options
    }

    @Test func pathIsPerConfigPathUnderTheUserTempDir() {
        let configPath = "/home/ada/.openclaw/openclaw.json"
        let hash = "0dfea76f"  // printf %s /home/ada/.openclaw/openclaw.json | sha256sum | cut -c1-8
        #expect(GatewayLock.path(configPath: configPath, environment: ["TMPDIR": "/var/tmp/"]) == "/var/tmp/openclaw-\(getuid())/gateway.\(hash).lock")
        #expect(GatewayLock.path(configPath: configPath, environment: [:]).hasPrefix("/tmp/openclaw-\(getuid())/gateway."))
        #expect(GatewayLock.path(configPath: configPath, environment: [:]) != GatewayLock.path(configPath: configPath + "5", environment: [:]))
    }

    @Test func acquireWritesOwnerAndReleaseRemovesIt() async throws {
        let environment = try Self.temporaryEnvironment()
        defer { try? FileManager.default.removeItem(atPath: environment["TMPDIR"]!) }
        let lock = try #require(try await GatewayLock.acquire(configPath: "/c/openclaw.json", environment: environment, options: Self.fastOptions()))
        let owner = try #require(GatewayLock.readOwner(at: lock.path))
        #expect(owner.pid == getpid())
        #expect(owner.configPath == "/c/openclaw.json")
        #expect(ISO8601DateFormatter().date(from: owner.createdAt) != nil)
        #if os(Linux)
        #expect(owner.startTime != nil)
        #expect(owner.startTime == GatewayLock.processStartTime(getpid()))
        #endif
        let attributes = try FileManager.default.attributesOfItem(atPath: GatewayLock.directory(environment: environment))
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        lock.release()
        #expect(!FileManager.default.fileExists(atPath: lock.path))
    }

    @Test func aLiveGatewayOwnerMakesTheSecondWaitThenFail() async throws {
        let environment = try Self.temporaryEnvironment()
        defer { try? FileManager.default.removeItem(atPath: environment["TMPDIR"]!) }
        let first = try #require(try await GatewayLock.acquire(configPath: "/c/openclaw.json", environment: environment, options: Self.fastOptions()))
        defer { first.release() }
        let started = ContinuousClock.now
        await #expect {
            _ = try await GatewayLock.acquire(configPath: "/c/openclaw.json", environment: environment, options: Self.fastOptions())
        } throws: { error in
            "\(error)" == "gateway already running (pid \(getpid())); lock timeout after 300ms"
        }
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        // Another config path has its own lock.
        let other = try await GatewayLock.acquire(configPath: "/d/openclaw.json", environment: environment, options: Self.fastOptions())
        #expect(other != nil)
        other?.release()
    }

    @Test func deadOwnersPidReuseAndNonGatewaysAreReclaimed() async throws {
        let environment = try Self.temporaryEnvironment()
        defer { try? FileManager.default.removeItem(atPath: environment["TMPDIR"]!) }
        let path = GatewayLock.path(configPath: "/c/openclaw.json", environment: environment)
        try FileManager.default.createDirectory(atPath: GatewayLock.directory(environment: environment), withIntermediateDirectories: true)

        let finished = try await SpawnedProcess.start("/bin/true", [])
        await finished.exited()
        let stale: [GatewayLock.Owner] = [
            .init(pid: finished.pid, createdAt: "2026-01-01T00:00:00Z", configPath: "/c/openclaw.json", startTime: nil),
            .init(
                pid: getpid(), createdAt: "2026-01-01T00:00:00Z", configPath: "/c/openclaw.json", startTime: (GatewayLock.processStartTime(getpid()) ?? 0) + 1),
        ]
        for owner in stale {
            try JSONEncoder().encode(owner).write(to: URL(fileURLWithPath: path))
            #expect(GatewayLock.isStale(path: path, owner: owner, options: Self.fastOptions()))
            let lock = try await GatewayLock.acquire(configPath: "/c/openclaw.json", environment: environment, options: Self.fastOptions())
            #expect(lock?.owner.pid == getpid())
            lock?.release()
        }
        // A live pid whose command line is not a gateway (this test process) is not the owner either.
        let notGateway = GatewayLock.Owner(pid: getpid(), createdAt: "x", configPath: "/c/openclaw.json", startTime: GatewayLock.processStartTime(getpid()))
        #expect(GatewayLock.isStale(path: path, owner: notGateway, options: Self.fastOptions(isGateway: false)))
        #if os(Linux)
        #expect(!GatewayLock.looksLikeGateway(getpid()))
        #endif
        #expect(!GatewayLock.isStale(path: path, owner: notGateway, options: Self.fastOptions(isGateway: true)))
    }

    @Test func runningMeansAliveAndNotAZombie() async throws {
        #expect(GatewayLock.isRunning(getpid()))
        let child = try await SpawnedProcess.start("/bin/true", [])
        await child.exited()
        #expect(!GatewayLock.isRunning(child.pid))
    }

    @Test func allowMultiGatewaySkipsTheLock() async throws {
        let lock = try await GatewayLock.acquire(configPath: "/c/openclaw.json", environment: ["OPENCLAW_ALLOW_MULTI_GATEWAY": "1", "TMPDIR": "/nonexistent"])
        #expect(lock == nil)
        #expect(!GatewayLock.isDisabled(environment: [:]))
    }
}
