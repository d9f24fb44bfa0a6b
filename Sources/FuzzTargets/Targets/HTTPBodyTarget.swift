// Sources/FuzzTargets/Targets/HTTPBodyTarget.swift - request bodies of the HTTP routes (OpenAI, Responses, tools, hooks)

import Foundation
import Runtime

extension FuzzTarget {
    /// `HTTPBodyProbe.parse`: the body readers of `/v1/chat/completions`, `/v1/responses`, `/tools/invoke`,
    /// `/hooks/wake`, `/hooks/agent`, the `gmail` preset mapping and a templated mapping.
    ///
    /// Input: `<route>\n<body>`; for `hook-template`, `<route>\n<template>\n<body>`. Invariants: a refusal is a
    /// 4xx with a message (a 5xx would blame the gateway for the caller's body); the same body read twice gives
    /// the same answer.
    public static let httpBody = FuzzTarget(
        name: "http-body",
        summary: "HTTP body readers (chat completions, responses, tools invoke, hooks incl. mappings/templates): 4xx refusals, stable",
        seeds: HTTPBodySeeds.all,
        dictionary: HTTPBodySeeds.dictionary,
        check: { input throws(InvariantBreak) in try HTTPBodyCheck.run(input) }
    )
}

enum HTTPBodyCheck {
    static func run(_ input: [UInt8]) throws(InvariantBreak) -> Bool {
        let (head, rest) = splitHead(input)
        let route = variant(head, of: HTTPBodyProbe.Route.allCases) { $0.rawValue }
        var body = rest
        var template = "{{payload.text}}"
        if route == .hookTemplate {
            let (line, remainder) = splitHead(Array(rest))
            template = String(decoding: line, as: UTF8.self)
            body = remainder
        }
        let outcome = HTTPBodyProbe.parse(route, body: Data(body), template: template)
        switch outcome {
        case .accepted:
            break
        case .refused(let status, let message):
            guard (400..<500).contains(status), !message.isEmpty else {
                throw InvariantBreak("\(route.rawValue): refused with \(status) \(message.debugDescription); a body fault is a 4xx with a message")
            }
        }
        // Templates render `now`, which changes between two reads; the rest must not.
        if !template.contains("now"), HTTPBodyProbe.parse(route, body: Data(body), template: template) != outcome {
            throw InvariantBreak("\(route.rawValue): the same body read twice gave two answers")
        }
        if case .accepted = outcome { return true }
        return false
    }
}

enum HTTPBodySeeds {
    static let all: [[UInt8]] = [
        "chat-completions\n" + #"{"model":"openclaw","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}]}"#,
        "chat-completions\n"
            + #"{"model":"openclaw:ops","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"user":"u1","max_tokens":10,"temperature":0.5,"stop":["x"]}"#,
        "chat-completions\n"
            + #"{"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"tool_choice":{"type":"function","function":{"name":"f"}}}"#,
        "responses\n" + #"{"model":"openclaw","input":"hello","instructions":"be brief","max_output_tokens":20}"#,
        "responses\n"
            + #"{"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":"ok"}],"tools":[{"type":"function","name":"f","parameters":{}}],"tool_choice":"auto","stream":true,"previous_response_id":"resp_1"}"#,
        "tools-invoke\n" + #"{"tool":"sessions_list","args":{"limit":1},"sessionKey":"main"}"#,
        "tools-invoke\n" + #"{"name":"session_status","action":"get","agentId":"main","dryRun":true}"#, "tools-invoke\n",
        "hook-wake\n" + #"{"text":"wake up","mode":"next-heartbeat"}"#,
        "hook-agent\n"
            + ##"{"message":"run","name":"CI","agentId":"main","sessionKey":"hook:ci","idempotencyKey":"k","waitForCompletion":true,"timeoutSeconds":30,"deliver":true,"channel":"irc","to":"#ops"}"##,
        "hook-gmail\n" + #"{"messages":[{"id":"m1","from":"a@b","subject":"s","snippet":"x","body":"y"}]}"#,
        "hook-template\n{{payload.text}} {{headers.content-type}} {{query.q}} {{path}} {{messages[0].id}}\n" + #"{"text":"t","messages":[{"id":1}]}"#,
        "hook-template\n{{a[99999999999999999999].b}}{{[0]}}{{.}}{{ }}\n[1]",
    ].map(bytes)

    static let dictionary: [[UInt8]] =
        (HTTPBodyProbe.Route.allCases.map { $0.rawValue + "\n" } + [
            #""messages":"#, #""role":"user""#, #""content":"#, #""tool_calls":"#, #""tools":"#, #""tool_choice":"#, #""input":"#, #""stream":true"#,
            #""args":"#, #""message":"#, #""text":"#, "{{", "}}", "[0]", "payload.", "headers.", "query.",
        ]).map(bytes)
}
