// Tests/Conformance/HTTP/ToolsInvokeTests.swift - POST /tools/invoke over real HTTP

import Foundation
import NIOHTTP1
import ProtocolSupport
import Testing

@Suite("POST /tools/invoke")
struct ToolsInvokeTests {
    @Test func onlyPostIsAllowed() async throws {
        try await HooksHarness.with { harness async throws in
            for method in [HTTPMethod.GET, .PUT, .DELETE] {
                let answer = try await harness.send(method, "/tools/invoke", headers: ["Authorization": "Bearer \(harness.token)"])
                #expect(answer.status == 405)
                #expect(answer.headers.first(name: "Allow") == "POST")
            }
        }
    }

    @Test func refusesWithoutTheGatewayToken() async throws {
        try await HooksHarness.with { harness async throws in
            let body = #"{"tool":"current_time"}"#
            let missing = try await harness.send(.POST, "/tools/invoke", body: body)
            #expect(missing.status == 401)
            #expect(missing.json == ["ok": false, "error": ["type": "unauthorized", "message": "Unauthorized"]])
            let wrong = try await harness.send(.POST, "/tools/invoke", body: body, headers: ["Authorization": "Bearer nope"])
            #expect(wrong.status == 401)
            #expect(wrong.json["ok"] == false)
        }
    }

    /// As `connect` and upstream's HTTP auth: the try that reaches the limit is still a 401; the next one is locked out.
    @Test func rateLimitsWrongTokensWithRetryAfter() async throws {
        try await HooksHarness.with(setup: GatewaySetup(rateLimitMaxAttempts: 10)) { harness async throws in
            var statuses: [Int] = []
            for _ in 0..<11 {
                statuses.append(try await harness.send(.POST, "/tools/invoke", body: "{}", headers: ["Authorization": "Bearer wrong"]).status)
            }
            #expect(statuses == Array(repeating: 401, count: 10) + [429])
            // Locked out: even the right token waits.
            let locked = try await harness.invoke(["tool": "current_time"])
            #expect(locked.status == 429)
            #expect(locked.json["error"]?["type"] == "rate_limited")
            #expect(Int(locked.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
        }
    }

    @Test func refusesBodiesOverTwoMegabytes() async throws {
        try await HooksHarness.with { harness async throws in
            let big = #"{"tool":"current_time","args":{},"pad":""# + String(repeating: "x", count: 2 * 1024 * 1024) + #""}"#
            let answer = try await harness.send(.POST, "/tools/invoke", body: big, headers: ["Authorization": "Bearer \(harness.token)"])
            #expect(answer.status == 413)
            #expect(answer.json["ok"] == false)
            #expect(answer.json["error"]?["type"] == "payload_too_large")
        }
    }

    @Test func refusesMalformedRequests() async throws {
        try await HooksHarness.with { harness async throws in
            let auth = ["Authorization": "Bearer \(harness.token)"]
            let malformed = try await harness.send(.POST, "/tools/invoke", body: #"{"tool":"#, headers: auth)
            #expect(malformed.status == 400)
            #expect(malformed.json["error"]?["type"] == "invalid_request")
            let noTool = try await harness.send(.POST, "/tools/invoke", headers: auth)
            #expect(noTool.status == 400)
            #expect(noTool.json["error"]?["message"]?.stringValue?.contains("body.tool") == true)
            let badArgs = try await harness.invoke(["tool": "current_time", "args": "now"])
            #expect(badArgs.status == 400)
        }
    }

    @Test func unknownAndDeniedToolsAreTheSame404() async throws {
        try await HooksHarness.with(config: ["gateway": ["tools": ["deny": ["session_status"]]]]) { harness async throws in
            for name in ["no_such_tool", "exec", "sessions_send", "session_status"] {
                let answer = try await harness.invoke(["tool": .string(name)])
                #expect(answer.status == 404, "\(name)")
                #expect(answer.json == ["ok": false, "error": ["type": "not_found", "message": .string("Tool not available: \(name)")]])
            }
            #expect(try await harness.invoke(["tool": "current_time"]).status == 200)
        }
    }

    @Test func allowListOnlyLiftsTheDefaultDenyList() async throws {
        // `allow` takes `cron` off the deny list, but the gateway has no such tool; `deny` wins over `allow`.
        let tools: JSONValue = ["allow": ["cron", "current_time"], "deny": ["current_time"]]
        try await HooksHarness.with(config: ["gateway": ["tools": tools]]) { harness async throws in
            #expect(try await harness.invoke(["tool": "cron"]).status == 404)
            #expect(try await harness.invoke(["tool": "current_time"]).status == 404)
            #expect(try await harness.invoke(["tool": "sessions_list"]).status == 200)
        }
    }

    @Test func invalidArgumentsAreA400WithThePreciseIssue() async throws {
        try await HooksHarness.with { harness async throws in
            let wrongType = try await harness.invoke(["tool": "current_time", "args": ["timeZone": 5]])
            #expect(wrongType.status == 400)
            #expect(wrongType.json["error"]?["type"] == "invalid_request")
            #expect(wrongType.json["error"]?["message"]?.stringValue?.contains("timeZone") == true)
            let extra = try await harness.invoke(["tool": "sessions_list", "args": ["bogus": 1]])
            #expect(extra.status == 400)
            #expect(extra.json["error"]?["message"]?.stringValue?.contains("bogus") == true)
            let badZone = try await harness.invoke(["tool": "current_time", "args": ["timeZone": "Mars/Olympus"]])
            #expect(badZone.status == 400)
            #expect(badZone.json["error"]?["message"]?.stringValue?.contains("Mars/Olympus") == true)
        }
    }

    @Test func successCarriesTheResultAsTextAndDetails() async throws {
        try await HooksHarness.with { harness async throws in
            // `name` wins over `tool`.
            let answer = try await harness.invoke(["tool": "nope", "name": "current_time", "args": ["timeZone": "Europe/Paris"]])
            #expect(answer.status == 200)
            #expect(answer.contentType.hasPrefix("application/json"))
            #expect(answer.json["ok"] == true)
            let result = answer.json["result"] ?? .null
            let details = result["details"] ?? .null
            #expect(details["timeZone"] == "Europe/Paris")
            #expect(details["epochMs"]?.intValue ?? 0 > 1_700_000_000_000)
            #expect(result["content"]?[0]?["type"] == "text")
            let text = result["content"]?[0]?["text"]?.stringValue ?? ""
            #expect(try JSONValue.parse(text) == details)
        }
    }

    @Test func sessionKeyDefaultsToTheMainSessionAndMustMatchTheAgent() async throws {
        try await HooksHarness.with { harness async throws in
            let main = try await harness.invoke(["tool": "session_status"])
            #expect(main.json["result"]?["details"]?["sessionKey"] == "agent:main:main")
            let explicitMain = try await harness.invoke(["tool": "session_status", "sessionKey": "main", "agentId": "ops"])
            #expect(explicitMain.json["result"]?["details"]?["sessionKey"] == "agent:ops:main")
            let bare = try await harness.invoke(["tool": "session_status", "sessionKey": "work"])
            #expect(bare.json["result"]?["details"]?["sessionKey"] == "agent:main:work")
            #expect(bare.json["result"]?["details"]?["exists"] == false)
            let conflict = try await harness.invoke(["tool": "session_status", "sessionKey": "agent:ops:work", "agentId": "main"])
            #expect(conflict.status == 400)
            #expect(conflict.json["error"]?["type"] == "invalid_request")
            let unknownAgent = try await harness.invoke(["tool": "session_status", "agentId": "ghost"])
            #expect(unknownAgent.status == 400)
        }
    }
}
