// Sources/openclaw/DashboardCommand.swift - `openclaw dashboard`: print (and open) the Control UI URL

import ArgumentParser
import Foundation
import Generated
import Runtime

struct DashboardCommand: CLICommand {
    static let configuration = DashboardOptions.configuration()

    @OptionGroup var options: DashboardOptions

    func execute() async throws {
        let environment = CLIEnvironment.current
        let url: String
        do {
            url = try DashboardURL.resolve(environment: environment)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        print("Dashboard URL: \(url)")
        guard !options.noOpen else { return }
        // Open a browser only where there is a desktop to show it; otherwise say how to reach it.
        if environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil, let opener = Self.opener(environment) {
            if let opened = await ProgramRun.run(opener, [url]), opened.status == 0 {
                print("Opened in your browser. Keep that tab to control OpenClaw.")
                return
            }
        }
        let port = URLComponents(string: url)?.port ?? 18789
        print("No browser to open here. From another machine: ssh -N -L \(port):127.0.0.1:\(port) <this host>, then open the URL there.")
    }

    private static func opener(_ environment: [String: String]) -> String? {
        let dirs = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["xdg-open", "open"] {
            if let dir = dirs.first(where: { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }) { return "\(dir)/\(name)" }
        }
        return nil
    }
}
