// Tests/RuntimeTests/SSEDoneMarkerTests.swift - the end of an OpenAI-style stream, recognised without Foundation

import Testing

@testable import Runtime

@Suite("OpenAI stream end marker")
struct SSEDoneMarkerTests {
    @Test(arguments: ["[DONE]", " [DONE]", "[DONE] ", "\t[DONE]\t "])
    func theMarkerWithSpacesAroundIt(_ data: String) {
        #expect(OpenAITranslator.isDoneMarker(data))
    }

    @Test(arguments: ["", "DONE", "[DONE]x", "[done]", #"{"choices":[]}"#, "[DONE]\n[DONE]"])
    func anythingElse(_ data: String) {
        #expect(!OpenAITranslator.isDoneMarker(data))
    }
}
