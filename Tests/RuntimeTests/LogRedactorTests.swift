// Tests/RuntimeTests/LogRedactorTests.swift - secrets, bearer headers, key=value secrets, custom patterns

import Foundation
import Generated
import Testing

@testable import Runtime

@Suite("log redaction")
struct LogRedactorTests {
    @Test func knownSecretsAreMaskedEverywhere() {
        let redactor = LogRedactor(secrets: ["0123456789abcdef0123456789", "shortpw"])
        let text = redactor.redact("token 0123456789abcdef0123456789 and shortpw twice shortpw")
        #expect(text == "token 012345…6789 and *** twice ***")
    }

    @Test func headersAndAssignmentsAreMasked() {
        let redactor = LogRedactor()
        let header = redactor.redact("GET / Authorization: Bearer abcdefghijklmnopqrstuvwxyz")
        #expect(!header.contains("abcdefghijklmnopqrstuvwxyz"))
        #expect(header.contains("Authorization: Bearer abcdef…wxyz"))
        let query = redactor.redact("ws://host/?token=s3cr3tvalue&x=1 password=hunter22")
        #expect(query == "ws://host/?token=***&x=1 password=***")
        let json = redactor.redact(#"{"token":"s3cr3tvalue","ok":true}"#)
        #expect(json == #"{"token":"***","ok":true}"#)
        #expect(redactor.redact("nothing to see") == "nothing to see")
    }

    @Test func offKeepsPatternsOutButStillHidesKnownSecrets() {
        let redactor = LogRedactor(secrets: ["configured-secret"], mode: .off)
        #expect(redactor.redact("token=abc12345 configured-secret") == "token=abc12345 ***")
    }

    @Test func customPatternsReplaceTheDefaults() {
        let redactor = LogRedactor(mode: .tools, patterns: [#"card (\d{4}-\d{4})"#, "internal-[a-z]+"])
        #expect(redactor.redact("card 1234-5678 internal-host token=keepme") == "card *** *** token=keepme")
    }

    @Test func configKeysFlaggedSecretAreCollected() throws {
        let loaded = try ConfigLoader(environment: [:]).parse(
            Data(#"{ gateway: { auth: { token: "tok-from-config" }, remote: { password: "remote-pw" } } }"#.utf8), path: "/x.json"
        )
        #expect(Set(LogRedactor.configSecrets(loaded.config)) == ["tok-from-config", "remote-pw"])
    }
}
