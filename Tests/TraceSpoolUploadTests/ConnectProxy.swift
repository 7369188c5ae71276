import Foundation
import Testing

/// A real HTTP `CONNECT` proxy on 127.0.0.1 (a Python child process): it tunnels every connection and records each
/// `CONNECT` target with the `Proxy-Authorization` header it came with.
final class ConnectProxy {
    /// The proxy's port.
    let port: Int
    private let process: Process
    private let logPath: String

    private static let script = #"""
        import socket, sys, threading
        log_path = sys.argv[1]
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        print(server.getsockname()[1], flush=True)
        def pipe(a, b):
            try:
                while True:
                    data = a.recv(65536)
                    if not data:
                        break
                    b.sendall(data)
            except OSError:
                pass
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        def handle(client):
            head = b""
            while b"\r\n\r\n" not in head:
                data = client.recv(4096)
                if not data:
                    client.close()
                    return
                head += data
            lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
            method, target = lines[0].split(" ")[:2]
            auth = "-"
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "proxy-authorization":
                    auth = value.strip()
            with open(log_path, "a") as f:
                f.write(f"{method} {target} {auth}\n")
            if method != "CONNECT":
                client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
                client.close()
                return
            host, _, port = target.rpartition(":")
            try:
                upstream = socket.create_connection((host.strip("[]"), int(port)))
            except OSError:
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
                client.close()
                return
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        while True:
            connection, _ = server.accept()
            threading.Thread(target=handle, args=(connection,), daemon=True).start()
        """#

    /// Whether python3 is there.
    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") }

    /// Starts the proxy; its script and log live in `directory`.
    init(directory: String) throws {
        let scriptPath = directory + "/connect-proxy.py"
        logPath = directory + "/connect-proxy.log"
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [scriptPath, logPath]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        port = try #require(Int(text), "the proxy did not print its port")
    }

    /// The `CONNECT` requests received: "CONNECT host:port <Proxy-Authorization or ->".
    var requests: [String] {
        ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Stops the proxy (SIGKILL: a child of the test process may inherit a blocked SIGTERM).
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
