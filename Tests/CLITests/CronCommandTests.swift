// Tests/CLITests/CronCommandTests.swift - `openclaw cron …` against a real gateway process

import Foundation
import Generated
import Runtime
import TestUpstream
import Testing

@Suite("cron command", .serialized)
struct CronCommandTests {
    private func run(_ arguments: [String], _ environment: [String: String]) async throws -> (status: Int32, text: String) {
        let process = try await OpenClawProcess(["cron"] + arguments, environment: environment)
        let status = await process.wait()
        return (status, process.text)
    }

    /// Output that must be one generated result as JSON.
    private func decode<T: Decodable>(_ type: T.Type, _ output: (status: Int32, text: String)) throws -> T {
        #expect(output.status == 0, "\(output.text)")
        return try WireJSON.decode(type, from: Data(output.text.utf8))
    }

    @Test(.timeLimit(.minutes(3)))
    func addListRunHistoryDisableEnableEditAndRemove() async throws {
        let stack = try await ControlUIStack.start(replies: [OpenAIScript.text(["HEARTBEAT_OK"])])
        do {
            try await drive(stack)
        } catch {
            Issue.record("\(error)\n--- gateway:\n\(stack.gateway.text.suffix(4000))")
        }
        await stack.stop()
    }

    private func drive(_ stack: ControlUIStack) async throws {
        let env = stack.sandbox.environment()
        let empty = try await run(["list"], env)
        #expect(empty.status == 0 && empty.text == "No cron jobs.\n", "\(empty.text)")

        let added = try decode(
            CronJob.self, try await run(["add", "--name", "Inbox check", "--every", "10m", "--system-event", "Check the inbox"], env))
        #expect(added.name == "Inbox check" && added.enabled && added.sessionTarget == .main && added.wakeMode == .now)
        #expect(added.schedule == CronSchedule(kind: .every, everyMs: 600_000, anchorMs: added.schedule.anchorMs))
        #expect(added.payload.kind == .systemEvent && added.payload.text == "Check the inbox")
        let id = added.id

        let table = try await run(["list"], env)
        #expect(table.status == 0, "\(table.text)")
        let lines = table.text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID                                   Name                     Schedule") == true, "\(table.text)")
        let row = try #require(lines.first { $0.hasPrefix(id) }, "\(table.text)")
        for cell in ["Inbox check", "every 10m", "in 10m", "idle", "main", "default"] { #expect(row.contains(cell), "\(row)") }

        let listed = try decode(CronListResult.self, try await run(["list", "--json"], env))
        #expect(listed.jobs.map(\.id) == [id])
        let status = try decode(CronStatusResult.self, try await run(["status"], env))
        #expect(status.jobs == 1 && status.storePath.hasSuffix("cron/jobs.json"))

        // Run now: the answer comes at once; the outcome is the `finished` event, then a line in the run log.
        let watcher = try await GatewayClient.connect(
            GatewayClientOptions(url: "ws://127.0.0.1:\(stack.port)", token: ControlUIStack.token, identity: DeviceIdentity()))
        let events = watcher.events
        let finished = Task {
            for await frame in events where frame.event == "cron" {
                guard let payload = frame.payload, let event = try? WireJSON.decode(CronEvent.self, from: WireJSON.encode(payload)) else { continue }
                if event.jobId == id, event.action == .finished { return Optional(event) }
            }
            return nil
        }
        let started = try? decode(CronRunResult.self, try await run(["run", id], env))
        let outcome = started == nil ? nil : try? await within(30) { await finished.value }
        await watcher.close()
        finished.cancel()
        #expect(started?.ok == true && (started?.enqueued == true || started?.ran == true))
        #expect(outcome != nil, "no cron finished event")
        #expect(outcome?.status != nil && outcome?.status != .error, "\(String(describing: outcome))")
        let runs = try decode(CronRunsResult.self, try await run(["runs", "--id", id], env))
        #expect(runs.entries.count == 1 && runs.entries.first?.jobId == id && runs.entries.first?.status == outcome?.status)
        let afterRun = try await run(["list"], env)
        #expect(afterRun.text.contains(outcome?.status?.rawValue ?? "?") && afterRun.text.contains("ago"), "\(afterRun.text)")

        // Not due: `--due` starts nothing and exits 1.
        let notDue = try await run(["run", id, "--due"], env)
        #expect(notDue.status == 1 && notDue.text.contains("not-due"), "\(notDue.text)")

        let disabled = try decode(CronJob.self, try await run(["disable", id], env))
        #expect(!disabled.enabled)
        #expect(try await run(["list"], env).text == "No cron jobs.\n")
        let all = try await run(["list", "--all"], env)
        #expect(all.text.contains(id) && all.text.contains("disabled"), "\(all.text)")
        #expect(try decode(CronJob.self, try await run(["enable", id], env)).enabled)

        let edited = try decode(CronJob.self, try await run(["edit", id, "--name", "Renamed", "--every", "1h", "--agent", "ops"], env))
        #expect(edited.name == "Renamed" && edited.schedule.everyMs == 3_600_000 && edited.agentId == "ops")
        #expect(try decode(CronJob.self, try await run(["edit", id, "--clear-agent"], env)).agentId == nil)

        let refused = try await run(["add", "--name", "No payload", "--every", "10m"], env)
        #expect(refused.status != 0 && refused.text.contains("Choose exactly one payload: --system-event or --message"), "\(refused.text)")
        let noId = try await run(["runs"], env)
        #expect(noId.status != 0 && noId.text.contains("--id is required"), "\(noId.text)")
        let unknown = try await run(["enable", "no-such-job"], env)
        #expect(unknown.status == 1 && unknown.text.contains("no-such-job"), "\(unknown.text)")

        let removed = try decode(CronRemoveResult.self, try await run(["rm", id], env))
        #expect(removed.ok && removed.removed)
        #expect(try decode(CronRemoveResult.self, try await run(["delete", id], env)).removed == false, "the alias runs rm")
        #expect(try await run(["list", "--all"], env).text == "No cron jobs.\n")
    }
}
