// Tests/Conformance/ConformanceCaseTests.swift - every case file under Cases/, against a real socket

import Testing

@Suite("Conformance cases")
struct ConformanceCaseTests {
    @Test(arguments: ConformanceCase.all)
    func playCase(_ testCase: ConformanceCase) async throws {
        if TestGateway.externalURL != nil && !testCase.gateway.isStandard {
            // An external gateway runs with its own settings; only cases that need the defaults apply.
            return
        }
        try await TestGateway.with(testCase.gateway) { gateway in
            let socket = try await WireClient.connect(gateway.url)
            var runner = CaseRunner(gateway: gateway, socket: socket)
            do {
                try await runner.run(testCase)
            } catch {
                Issue.record(error)
            }
            await socket.close()
        }
    }

    @Test func caseFilesAreLoaded() {
        #expect(ConformanceCase.all.count >= 30)
    }
}
