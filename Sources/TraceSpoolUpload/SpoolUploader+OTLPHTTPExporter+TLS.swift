package import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SpoolUploader.Configuration.OTLPHTTPExporter {
    /// How a configuration error names the settings of the client certificate and key: properties in code, flags or
    /// variables on a command line.
    package struct ClientCertificateNames: Sendable {
        /// The name of ``SpoolUploader/Configuration/OTLPHTTPExporter/clientCertificateFilePath``'s setting.
        package var certificate: String
        /// The name of ``SpoolUploader/Configuration/OTLPHTTPExporter/clientKeyFilePath``'s setting.
        package var key: String

        /// The property names.
        package static let properties = ClientCertificateNames(
            certificate: "clientCertificateFilePath", key: "clientKeyFilePath")
    }

    /// The HTTP client's TLS settings: certificate and host name verification on, the system trust store plus the
    /// certificates of ``certificateFilePath``, and the client certificate and key when both are set; nil when no
    /// TLS file is configured (the client's defaults are the same). Every file is read and parsed here, so that a
    /// bad file is a configuration error, not a failure of every request.
    ///
    /// - Parameter names: how the error names the client certificate and key settings.
    /// - Throws: `UploadError.invalidConfiguration` with `.clientCertificatePair` when only one of the client
    ///   certificate and key is set, `.tlsFile` naming a file that cannot be read or holds no PEM certificate (or
    ///   no PEM private key).
    package func tlsConfiguration(names: ClientCertificateNames = .properties) throws(UploadError)
        -> TLSConfiguration?
    {
        switch (clientCertificateFilePath, clientKeyFilePath) {
        case (_?, nil):
            throw .invalidConfiguration(.clientCertificatePair(given: names.certificate, missing: names.key))
        case (nil, _?):
            throw .invalidConfiguration(.clientCertificatePair(given: names.key, missing: names.certificate))
        default: break
        }
        guard certificateFilePath != nil || clientCertificateFilePath != nil else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let path = certificateFilePath {
            tls.additionalTrustRoots = [.certificates(try Self.certificates(in: path))]
        }
        if let certificatePath = clientCertificateFilePath, let keyPath = clientKeyFilePath {
            tls.certificateChain = try Self.certificates(in: certificatePath).map { .certificate($0) }
            try Self.checkReadableTLSFile(keyPath)
            do {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
            } catch {
                throw .invalidConfiguration(.tlsFile(path: keyPath, .noPrivateKey))
            }
        }
        return tls
    }

    /// The PEM certificates in a file.
    ///
    /// - Throws: `UploadError.invalidConfiguration(.tlsFile)` when the file cannot be read or holds none.
    private static func certificates(in path: String) throws(UploadError) -> [NIOSSLCertificate] {
        try checkReadableTLSFile(path)
        guard let certificates = try? NIOSSLCertificate.fromPEMFile(path), !certificates.isEmpty else {
            throw .invalidConfiguration(.tlsFile(path: path, .noCertificate))
        }
        return certificates
    }

    private static func checkReadableTLSFile(_ path: String) throws(UploadError) {
        guard access(path, R_OK) == 0 else { throw .invalidConfiguration(.tlsFile(path: path, .unreadable)) }
    }
}
