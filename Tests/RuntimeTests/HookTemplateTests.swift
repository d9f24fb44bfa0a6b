// Tests/RuntimeTests/HookTemplateTests.swift - hook mapping templates and matching

import Foundation
import Generated
import Testing

@testable import Runtime

@Suite("Hook templates")
struct HookTemplateTests {
    private let context = HookTemplate.Context(
        payload: ["a": ["b": [["c": "deep"], ["c": 7]]], "flag": true, "list": [1, 2], "none": .null, "n": .number(1.5)],
        headers: ["x-event": "push"], query: ["q": "search"], path: "github", now: Date(timeIntervalSince1970: 1_700_000_000.25)
    )

    @Test func expressionsResolveLikeUpstream() {
        let cases: [(String, String)] = [
            ("{{a.b[0].c}}", "deep"), ("{{ payload.a.b[1].c }}", "7"), ("{{flag}}", "true"), ("{{list}}", "[1,2]"), ("{{n}}", "1.5"),
            ("{{none}}", ""), ("{{a.b[9].c}}", ""), ("{{a.b.c}}", ""), ("{{headers.X-Event}}", "push"), ("{{query.q}}", "search"),
            ("{{path}}", "github"), ("{{now}}", "2023-11-14T22:13:20.250Z"), ("plain", "plain"), ("{{}} stays", "{{}} stays"),
            ("x {{a.b[0].c}} y {{path}}", "x deep y github"),
        ]
        for (template, expected) in cases {
            #expect(HookTemplate(template).render(context) == expected, "\(template)")
        }
        #expect(HookTemplate("hook:{{id}}").isTemplated)
        #expect(!HookTemplate("hook:static").isTemplated)
    }

    @Test func mappingsMatchOnPathAndSourceAndReportBadEntries() {
        let (mappings, problems) = HookMapping.resolve(
            mappings: [["match": ["path": "/gh/"], "messageTemplate": "x"], ["action": "explode"], "junk"], presets: ["gmail", "nope"]
        )
        #expect(mappings.map(\.id) == ["mapping-1", "gmail"])
        #expect(problems.count == 3, "\(problems)")
        #expect(mappings[0].matches(path: "gh", payload: [:]))
        #expect(!mappings[0].matches(path: "gmail", payload: [:]))
        #expect(mappings[1].matches(path: "gmail/", payload: [:]))
    }
}
