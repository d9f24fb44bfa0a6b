// Tests/RuntimeTests/LogSettingsTests.swift - level precedence: --log-level > OPENCLAW_LOG_LEVEL > logging.* > info

import Foundation
import Generated
import Logging
import Testing

@testable import Runtime

@Suite("log settings")
struct LogSettingsTests {
    private func config(_ text: String) throws -> OpenClawConfig {
        try ConfigLoader(environment: [:]).parse(Data(text.utf8), path: "/x.json").config
    }

    @Test func defaultsAreInfoAndTheDailyFile() throws {
        let settings = try LogSettings.resolve(config: OpenClawConfig(), flagLevel: nil, verbose: false, environment: [:])
        #expect(settings.fileLevel == .info && settings.consoleLevel == .info)
        #expect(settings.location == .rolling(directory: "/tmp/openclaw"))
        #expect(settings.maxFileBytes == 100 * 1024 * 1024)
    }

    @Test func configThenEnvThenFlag() throws {
        let config = try config(#"{ logging: { level: "debug", consoleLevel: "warn", file: "/var/tmp/x.log" } }"#)
        let fromConfig = try LogSettings.resolve(config: config, flagLevel: nil, verbose: false, environment: [:])
        #expect(fromConfig.fileLevel == .debug && fromConfig.consoleLevel == .warn)
        #expect(fromConfig.location == .fixed(path: "/var/tmp/x.log"))
        let fromEnv = try LogSettings.resolve(config: config, flagLevel: nil, verbose: false, environment: ["OPENCLAW_LOG_LEVEL": "error"])
        #expect(fromEnv.fileLevel == .error && fromEnv.consoleLevel == .error)
        let fromFlag = try LogSettings.resolve(config: config, flagLevel: "trace", verbose: false, environment: ["OPENCLAW_LOG_LEVEL": "error"])
        #expect(fromFlag.fileLevel == .trace && fromFlag.consoleLevel == .trace)
    }

    @Test func verboseRaisesOnlyTheConsole() throws {
        let config = try config(#"{ logging: { level: "warn", consoleLevel: "error" } }"#)
        let settings = try LogSettings.resolve(config: config, flagLevel: nil, verbose: true, environment: [:])
        #expect(settings.consoleLevel == .debug)
        #expect(settings.fileLevel == .warn)
        let trace = try LogSettings.resolve(config: config, flagLevel: "trace", verbose: true, environment: [:])
        #expect(trace.consoleLevel == .trace)
    }

    @Test func thresholdsMapToSwiftLogLevels() {
        #expect(LogThreshold.silent.allows(.critical) == false)
        #expect(LogThreshold.fatal.allows(.critical) && !LogThreshold.fatal.allows(.error))
        #expect(LogThreshold.warn.allows(.warning) && !LogThreshold.warn.allows(.notice))
        #expect(LogThreshold.info.allows(.notice) && !LogThreshold.info.allows(.debug))
        #expect(Logger.Level.warning.upstreamName == "warn" && Logger.Level.critical.upstreamName == "fatal")
    }

    @Test func anUnknownFlagLevelIsRefusedAndAnUnknownEnvLevelIgnored() throws {
        #expect(throws: LogSettingsError.self) {
            try LogSettings.resolve(config: OpenClawConfig(), flagLevel: "loud", verbose: false, environment: [:])
        }
        let settings = try LogSettings.resolve(config: OpenClawConfig(), flagLevel: nil, verbose: false, environment: ["OPENCLAW_LOG_LEVEL": "loud"])
        #expect(settings.fileLevel == .info)
    }

    @Test func anInvalidLoggingValueIsAConfigError() {
        #expect(throws: ConfigError.self) { try config(#"{ logging: { level: "loud" } }"#) }
        #expect(throws: ConfigError.self) { try config(#"{ logging: { verbose: true } }"#) }
    }
}
