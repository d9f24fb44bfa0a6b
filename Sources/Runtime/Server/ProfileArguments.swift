// Sources/Runtime/Server/ProfileArguments.swift - root `--dev` / `--profile NAME`, before the first subcommand word

import Foundation
import Generated

/// Upstream's profile handling (reference/ops.md §1.2): parsed only before the first subcommand word,
/// it fills in environment variables that are not already set and never overrides them.
public enum ProfileArguments {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var description: String { message }
    }

    /// Strips `--dev` / `--profile NAME` from the leading flags and returns the remaining arguments
    /// and the environment to apply.
    public static func apply(arguments: [String], environment: [String: String]) throws(Failure) -> (arguments: [String], environment: [String: String]) {
        var rest: [String] = []
        var profile: String?
        var dev = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if !argument.hasPrefix("-") { break }
            if argument == "--dev" {
                dev = true
            } else if argument == "--profile" {
                guard index + 1 < arguments.count, !arguments[index + 1].hasPrefix("-") else { throw Failure(message: "--profile requires a value") }
                profile = arguments[index + 1]
                index += 1
            } else if argument.hasPrefix("--profile=") {
                profile = String(argument.dropFirst("--profile=".count))
                if profile?.isEmpty == true { throw Failure(message: "--profile requires a value") }
            } else {
                rest.append(argument)
            }
            index += 1
        }
        rest += arguments[index...]
        if dev && profile != nil { throw Failure(message: "Cannot combine --dev with --profile") }
        if let name = profile, !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
            throw Failure(message: #"Invalid --profile (use letters, numbers, "_", "-" only)"#)
        }
        let name = dev ? "dev" : profile
        guard let name, name.lowercased() != "default" else { return (rest, environment) }
        var environment = environment
        environment[EnvironmentVariable.profile] = name
        let home = StatePaths.homeDirectory(environment: environment)
        if environment[EnvironmentVariable.stateDir]?.isEmpty ?? true { environment[EnvironmentVariable.stateDir] = home + "/.openclaw-\(name)" }
        if environment[EnvironmentVariable.configPath]?.isEmpty ?? true {
            environment[EnvironmentVariable.configPath] = environment[EnvironmentVariable.stateDir]! + "/openclaw.json"
        }
        if name == "dev" && (environment[EnvironmentVariable.gatewayPort]?.isEmpty ?? true) { environment[EnvironmentVariable.gatewayPort] = "19001" }
        return (rest, environment)
    }
}
