// Sources/protocol-gen/main.swift - the generator's command line: thin on purpose
//
// protocol-gen --spec <dir> [--swift-out <dir>] [--docs-out <dir>] [--check-docs <dir>]

import Foundation
import ProtocolGenCore

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard flag.hasPrefix("--"), let value = arguments.popFirst() else {
        fail("usage: protocol-gen --spec <dir> [--swift-out <dir>] [--docs-out <dir>] [--check-docs <dir>]")
    }
    options[String(flag.dropFirst(2))] = value
}
guard let specPath = options["spec"] else { fail("protocol-gen: --spec <dir> is required") }

let pipeline = GeneratorPipeline()
do {
    let spec = try pipeline.loadSpec(try SpecFile.load(root: URL(fileURLWithPath: specPath)))
    if let out = options["swift-out"] {
        try GeneratorPipeline.write(pipeline.swiftFiles(for: spec), to: URL(fileURLWithPath: out))
    }
    if let out = options["docs-out"] {
        try GeneratorPipeline.write(pipeline.docFiles(for: spec), to: URL(fileURLWithPath: out))
    }
    if let dir = options["check-docs"] {
        var stale: [String] = []
        for file in try pipeline.docFiles(for: spec) {
            let existing = try? String(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent(file.name), encoding: .utf8)
            if existing != file.contents { stale.append(file.name) }
        }
        if !stale.isEmpty { fail("docs out of date: \(stale.joined(separator: ", ")); run scripts/gen-docs") }
    }
} catch let errors as SpecErrors {
    fail(errors.description)
} catch {
    fail("protocol-gen: \(error)")
}
