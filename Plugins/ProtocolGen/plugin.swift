// Plugins/ProtocolGen/plugin.swift - runs protocol-gen over the package's top-level spec/ for the Generated target

import Foundation
import PackagePlugin

@main
struct ProtocolGenPlugin: BuildToolPlugin {
    static let outputs = [
        "Types.swift", "Methods.swift", "Events.swift", "Client.swift", "Constants.swift", "Config.swift", "Precedence.swift", "Commands.swift", "Tools.swift",
    ]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let spec = context.package.directoryURL.appending(path: "spec")
        let inputs = try specFiles(in: spec)
        let out = context.pluginWorkDirectoryURL.appending(path: "Generated")
        return [
            .buildCommand(
                displayName: "Generating Swift from spec/ for \(target.name)",
                executable: try context.tool(named: "protocol-gen").url,
                arguments: ["--spec", spec.path(), "--swift-out", out.path()],
                inputFiles: inputs,
                outputFiles: Self.outputs.map { out.appending(path: $0) }
            )
        ]
    }

    private func specFiles(in directory: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
    }
}
