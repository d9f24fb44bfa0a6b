// Tests/ProtocolGenCoreTests/Layers/Test_TypeRef.swift - the spec's type expressions, as a table

import ProtocolGenCore
import Testing

@Suite("TypeRef")
struct TypeRefTests {
    @Test(
        "parse accepts type expressions",
        arguments: [
            ("string", TypeRef.string, false),
            ("int?", .int, true),
            ("number", .number, false),
            ("bool?", .bool, true),
            ("any", .any, false),
            ("any?", .any, true),
            ("[string]", .array(.string), false),
            ("[string]?", .array(.string), true),
            ("[T]", .array(.named("T")), false),
            ("[PresenceEntry]", .array(.named("PresenceEntry")), false),
            ("[string: any]", .map(.any), false),
            ("[string: string]", .map(.string), false),
            ("[string:int]", .map(.int), false),
            ("[string: bool]?", .map(.bool), true),
            ("[string: HealthAgent]", .map(.named("HealthAgent")), false),
            ("[string: [int]]", .map(.array(.int)), false),
            ("[[string]]?", .array(.array(.string)), true),
            ("[ string ]", .array(.string), false),
            ("  int?  ", .int, true),
            ("ConnectParams", .named("ConnectParams"), false),
            ("HeartbeatEvent?", .named("HeartbeatEvent"), true),
            ("V2", .named("V2"), false),
        ]
    )
    func parses(_ text: String, _ type: TypeRef, _ optional: Bool) throws {
        let parsed = try #require(TypeRef.parse(text))
        #expect(parsed.type == type)
        #expect(parsed.optional == optional)
    }

    @Test(
        "parse rejects what is not a type expression",
        arguments: [
            "", "?", "string??", "[string?]", "[]", "[string", "string]", "strng", "string?x",
            "connectParams", "Foo_Bar", "Foo-Bar", "Foo.Bar", "[int: string]", "[string: ]", "[[string]: int]",
            "[Foo][Bar]", "map<string>", "2fa",
        ]
    )
    func rejects(_ text: String) {
        #expect(TypeRef.parse(text) == nil)
    }

    @Test(
        "description spells the expression back",
        arguments: [
            (TypeRef.string, "string"),
            (.array(.named("PresenceEntry")), "[PresenceEntry]"),
            (.map(.array(.int)), "[string: [int]]"),
            (.any, "any"),
        ]
    )
    func description(_ type: TypeRef, _ text: String) {
        #expect(type.description == text)
        #expect(TypeRef.parse(text)?.type == type)
    }

    @Test("namedReferences lists every named type inside arrays and maps")
    func namedReferences() {
        #expect(TypeRef.map(.array(.named("HealthAgent"))).namedReferences == ["HealthAgent"])
        #expect(TypeRef.named("Snapshot").namedReferences == ["Snapshot"])
        #expect(TypeRef.map(.any).namedReferences == [])
    }
}
