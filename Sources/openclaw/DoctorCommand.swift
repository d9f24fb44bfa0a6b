// Sources/openclaw/DoctorCommand.swift - `openclaw doctor`: one line per check; repairs only with --fix

import ArgumentParser
import Foundation
import Generated
import Runtime

struct DoctorCommand: CLICommand {
    static let configuration = DoctorOptions.configuration()

    @OptionGroup var options: DoctorOptions

    func execute() async throws {
        let doctor = Doctor(
            options: DoctorRequest(
                environment: CLIEnvironment.current, fix: options.fix || options.repair || options.yes,
                generateGatewayToken: options.generateGatewayToken, nonInteractive: options.nonInteractive
            )
        )
        let checks = await doctor.run()
        if options.json {
            print(try JSONOutput.render(Doctor.json(checks), pretty: true))
        } else {
            for check in checks { print(check.lines().joined(separator: "\n")) }
            let outstanding = checks.filter(\.isOutstandingError).count
            let warnings = checks.filter { $0.status == .warn && $0.fixed != true }.count
            print(
                outstanding == 0
                    ? "Doctor: no errors" + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : "") + "."
                    : "Doctor: \(outstanding) error\(outstanding == 1 ? "" : "s") remain.")
        }
        if checks.contains(where: \.isOutstandingError) { throw ExitCode(1) }
    }
}
