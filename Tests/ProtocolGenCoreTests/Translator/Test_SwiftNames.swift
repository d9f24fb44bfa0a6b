// Tests/ProtocolGenCoreTests/Translator/Test_SwiftNames.swift - wire names → Swift names, as a table

import ProtocolGenCore
import Testing

@Suite("SwiftNames")
struct SwiftNamesTests {
    @Test(
        "identifier",
        arguments: [
            ("system-presence", "systemPresence"),
            ("connect.challenge", "connectChallenge"),
            ("idempotencyKey", "idempotencyKey"),
            ("minProtocol", "minProtocol"),
            ("maxPayload", "maxPayload"),
            ("NOT_LINKED", "notLinked"),
            ("AUTH_TOKEN_MISSING", "authTokenMissing"),
            ("SERVER_HTTP2", "serverHttp2"),
            ("UNAVAILABLE", "unavailable"),
            ("ID", "id"),
            ("A", "a"),
            ("webchat-ui", "webchatUi"),
            ("openclaw-control-ui", "openclawControlUi"),
            ("ok-empty", "okEmpty"),
            ("trusted-proxy", "trustedProxy"),
            ("allow-unconfigured", "allowUnconfigured"),
            ("password-file", "passwordFile"),
            ("gateway.auth.rateLimit", "gatewayAuthRateLimit"),
            ("$schema", "schema"),
            ("DisplayName", "displayName"),
            ("v2", "v2"),
            ("2fa", "_2fa"),
            ("1000", "_1000"),
            ("protocol", "`protocol`"),
            ("default", "`default`"),
            ("self", "`self`"),
            ("Self", "`self`"),
            ("Type", "type"),
            ("init", "`init`"),
            ("in", "`in`"),
            ("enum", "`enum`"),
            ("true", "`true`"),
            ("nil", "`nil`"),
            ("off", "off"),
            ("none", "none"),
            ("type", "type"),
            ("", "_"),
        ]
    )
    func identifier(_ name: String, _ expected: String) {
        #expect(SwiftNames.identifier(name) == expected)
    }

    @Test(
        "typeName",
        arguments: [
            ("connect.challenge", "ConnectChallenge"),
            ("system-presence", "SystemPresence"),
            ("gateway.auth", "GatewayAuth"),
            ("gateway.auth.rateLimit", "GatewayAuthRateLimit"),
            ("gateway.reload.mode", "GatewayReloadMode"),
            ("NOT_LINKED", "NotLinked"),
            ("call", "Call"),
            ("HelloOk", "HelloOk"),
            ("$schema", "Schema"),
            ("2fa", "_2fa"),
        ]
    )
    func typeName(_ name: String, _ expected: String) {
        #expect(SwiftNames.typeName(name) == expected)
    }

    @Test(
        "escaped",
        arguments: [
            ("protocol", "`protocol`"),
            ("default", "`default`"),
            ("self", "`self`"),
            ("Protocol", "`Protocol`"),
            ("associatedtype", "`associatedtype`"),
            ("idempotencyKey", "idempotencyKey"),
            ("Protocols", "Protocols"),
            ("`protocol`", "`protocol`"),
        ]
    )
    func escaped(_ name: String, _ expected: String) {
        #expect(SwiftNames.escaped(name) == expected)
    }

    @Test(
        "stringLiteral",
        arguments: [
            ("plain", #""plain""#),
            (#"say "hi""#, #""say \"hi\"""#),
            (#"C:\dir"#, #""C:\\dir""#),
            ("two\nlines", #""two\nlines""#),
            ("tab\there", #""tab\there""#),
            (#"\(notInterpolated)"#, #""\\(notInterpolated)""#),
            ("→ ≥", #""→ ≥""#),
        ]
    )
    func stringLiteral(_ text: String, _ expected: String) {
        #expect(SwiftNames.stringLiteral(text) == expected)
    }

    @Test(
        "identifier lowercases an all-caps leading word that contains digits",
        arguments: [
            ("E2E_MODE", "e2eMode"),
            ("HTTP2", "http2"),
            ("HTTP2_SERVER", "http2Server"),
        ]
    )
    func identifierWithDigits(_ name: String, _ expected: String) {
        // Digits belong to an all-caps word wherever it stands (`SERVER_HTTP2` → `serverHttp2`), so a leading one is
        // lowercased whole: not `e2EMode` or `hTTP2`.
        #expect(SwiftNames.identifier(name) == expected)
    }
}
