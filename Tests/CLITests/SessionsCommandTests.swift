// Tests/CLITests/SessionsCommandTests.swift - `openclaw sessions list|export` against a database the test fills

import Foundation
import Generated
import Runtime
import Testing

@Suite("sessions command")
struct SessionsCommandTests {
    private func run(_ arguments: [String], _ sandbox: Sandbox) async throws -> (status: Int32, text: String) {
        let process = try await OpenClawProcess(arguments, environment: sandbox.environment())
        let status = await process.wait()
        return (status, process.text)
    }

    /// Two sessions in `<stateDir>/agents/sessions.sqlite`, the way the gateway writes them.
    private func fill(_ sandbox: Sandbox) throws -> (store: SessionStore, main: SessionEntry, group: SessionEntry) {
        let store = try SessionStore(path: SessionStore.defaultPath(stateDir: sandbox.stateDir), cwd: sandbox.stateDir)
        let now = Int(Date().timeIntervalSince1970 * 1000)
        _ = try store.ensure(key: "agent:main:main", agentId: "main", now: now - 3 * 3_600_000)
        _ = try store.ensure(key: "agent:main:telegram:group:42", agentId: "main", now: now - 60_000)
        for (index, role) in ["user", "assistant", "user"].enumerated() {
            let text = role == "user" ? "Question \(index) about invoices" : "Answer \(index)"
            let message: JSONValue = ["role": .string(role), "content": [["type": "text", "text": .string(text)]], "timestamp": .int(now - 3_000_000 + index)]
            try store.append(key: "agent:main:main", TranscriptMessage(role: role, message: message, timestamp: now - 3 * 3_600_000 + index))
        }
        _ = try store.update(key: "agent:main:telegram:group:42") { $0.label = "Team chat" }
        return (store, try #require(try store.entry(key: "agent:main:main")), try #require(try store.entry(key: "agent:main:telegram:group:42")))
    }

    @Test func listPrintsJSONNewestFirstWithFilters() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let (store, main, group) = try fill(sandbox)

        let all = try await run(["sessions", "list", "--json"], sandbox)
        #expect(all.status == 0, "\(all.text)")
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(all.text.utf8))
        #expect(json["path"]?.stringValue == store.path)
        #expect(json["count"]?.intValue == 2)
        let rows = try #require(json["sessions"]?.arrayValue)
        #expect(rows.map { $0["key"]?.stringValue } == [group.key, main.key])
        #expect(rows.map { $0["kind"]?.stringValue } == ["group", "direct"])
        #expect(rows[0]["label"]?.stringValue == "Team chat")
        #expect(rows[1]["sessionId"]?.stringValue == main.sessionId)
        #expect(rows[1]["derivedTitle"]?.stringValue == "Question 0 about invoices")
        #expect(rows[1]["updatedAt"]?.intValue == main.updatedAt)

        let active = try await run(["sessions", "list", "--json", "--active", "30"], sandbox)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(active.text.utf8))["sessions"]?.arrayValue?.count == 1)
        let searched = try await run(["sessions", "list", "--json", "--search", "INVOICES", "--limit", "5"], sandbox)
        let found = try JSONDecoder().decode(JSONValue.self, from: Data(searched.text.utf8))["sessions"]?.arrayValue
        #expect(found?.map { $0["key"]?.stringValue } == [main.key])

        let table = try await run(["sessions", "list", "--limit", "1"], sandbox)
        #expect(table.status == 0)
        #expect(table.text.contains("Sessions listed: 1"))
        #expect(table.text.contains("group  agent:main:telegram:group:42"))
        #expect(table.text.contains("Team chat"))
        #expect(!table.text.contains("agent:main:main"))
    }

    @Test func exportPrintsTheTranscriptAsJSONL() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let (store, main, _) = try fill(sandbox)
        let expected = try #require(try store.exportJSONL(key: main.key))

        let printed = try await run(["sessions", "export", main.key], sandbox)
        #expect(printed.status == 0)
        #expect(printed.text == expected)
        let lines = printed.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix(#"{"type":"session","version":3,"id":"\#(main.sessionId)","#))
        let records = try store.transcript(key: main.key)
        for (line, record) in zip(lines.dropFirst(), records) {
            let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
            #expect(parsed["type"] == "message" && parsed["id"]?.stringValue == record.id)
            #expect(parsed["parentId"] == (record.parentId.map(JSONValue.string) ?? .null))
            #expect(parsed["message"] == record.message)
        }

        let file = sandbox.home + "/export.jsonl"
        let written = try await run(["sessions", "export", main.key, "--output", file], sandbox)
        #expect(written.status == 0 && written.text.isEmpty)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == expected)
    }

    @Test func unknownKeysAndAMissingDatabaseFailClearly() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let missing = try await run(["sessions", "export", "agent:main:main"], sandbox)
        #expect(missing.status == 1)
        #expect(missing.text.contains("No session database at \(sandbox.stateDir)/agents/sessions.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.stateDir + "/agents/sessions.sqlite"))

        _ = try fill(sandbox)
        let unknown = try await run(["sessions", "export", "agent:main:nope"], sandbox)
        #expect(unknown.status == 1)
        #expect(unknown.text == "No session found for key \"agent:main:nope\"\n")
    }
}
