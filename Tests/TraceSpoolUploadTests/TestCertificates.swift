import Foundation
import Testing

/// Certificates made with `/usr/bin/openssl` for TLS tests: a CA, and leaf certificates it signs.
struct TestCertificates {
    /// The directory holding the files.
    let directory: String

    /// Whether openssl is there.
    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") }

    /// The CA's certificate.
    var caCertificate: String { directory + "/ca.pem" }
    private var caKey: String { directory + "/ca.key" }

    /// Makes the CA in `directory`.
    init(directory: String) throws {
        self.directory = directory
        try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=TraceSpool Test CA", "-keyout", caKey, "-out", caCertificate,
        ])
    }

    /// A new key and certificate request for `name`, and the extension file for `subjectAltName`: (certificate
    /// path to write, key path, request path, extension file path).
    private func request(_ name: String, subjectAltName: String, usage: String) throws -> (
        String, String, String, String
    ) {
        let (cert, key) = ("\(directory)/\(name).pem", "\(directory)/\(name).key")
        let (csr, ext) = ("\(directory)/\(name).csr", "\(directory)/\(name).ext")
        try Self.openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj",
            "/CN=\(name)",
            "-keyout", key, "-out", csr,
        ])
        try "subjectAltName=\(subjectAltName)\nextendedKeyUsage=\(usage)\n".write(
            toFile: ext, atomically: true, encoding: .utf8)
        return (cert, key, csr, ext)
    }

    /// A certificate signed by the CA for `subjectAltName` (e.g. `IP:127.0.0.1`): (certificate path, key path).
    func leaf(_ name: String, subjectAltName: String, clientAuth: Bool = false) throws -> (String, String) {
        let (cert, key, csr, ext) = try request(
            name, subjectAltName: subjectAltName, usage: clientAuth ? "clientAuth" : "serverAuth")
        try Self.openssl([
            "x509", "-req", "-in", csr, "-CA", caCertificate, "-CAkey", caKey, "-CAcreateserial", "-days", "2",
            "-extfile", ext, "-out", cert,
        ])
        return (cert, key)
    }

    /// A certificate signed by the CA for `subjectAltName` that was valid on 2020-01-01 only (expired on
    /// 2020-01-02): (certificate path, key path).
    func expired(_ name: String, subjectAltName: String) throws -> (String, String) {
        let (cert, key, csr, ext) = try request(name, subjectAltName: subjectAltName, usage: "serverAuth")
        let config = "\(directory)/\(name)-ca.cnf"
        try "".write(toFile: "\(directory)/\(name)-index.txt", atomically: true, encoding: .utf8)
        try "1000\n".write(toFile: "\(directory)/\(name)-serial", atomically: true, encoding: .utf8)
        try """
        [ca]
        default_ca = test
        [test]
        database = \(directory)/\(name)-index.txt
        new_certs_dir = \(directory)
        serial = \(directory)/\(name)-serial
        default_md = sha256
        policy = anything
        [anything]
        commonName = supplied

        """.write(toFile: config, atomically: true, encoding: .utf8)
        try Self.openssl([
            "ca", "-batch", "-config", config, "-cert", caCertificate, "-keyfile", caKey, "-in", csr, "-out", cert,
            "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-extfile", ext, "-notext",
        ])
        return (cert, key)
    }

    /// A self-signed certificate for `subjectAltName`: (certificate path, key path).
    func selfSigned(_ name: String, subjectAltName: String) throws -> (String, String) {
        let cert = "\(directory)/\(name).pem"
        let key = "\(directory)/\(name).key"
        try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=\(name)", "-addext", "subjectAltName=\(subjectAltName)", "-keyout", key, "-out", cert,
        ])
        return (cert, key)
    }

    private static func openssl(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "openssl \(arguments.joined(separator: " ")) failed")
    }
}
