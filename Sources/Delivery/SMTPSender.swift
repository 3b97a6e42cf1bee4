import CCurl

/// Sends `MailMessage`s over SMTP with libcurl: the message's own rendered bytes are uploaded unchanged, with
/// `MAIL FROM` the settings' sender and `RCPT TO` the message's recipient.
///
/// One handle is kept for the sender's life, so consecutive messages may reuse the connection. Not thread-safe.
public final class SMTPSender {
    public let settings: SMTPSettings
    private let curl: Curl

    public init(settings: SMTPSettings) throws(DeliveryError) {
        self.settings = settings
        curl = try Curl()
    }

    /// Sends one message and returns the server's final reply code (250).
    /// - Throws: `DeliveryError` with libcurl's error text and the SMTP reply code, never the password.
    @discardableResult
    public func send(_ message: MailMessage) throws(DeliveryError) -> Int {
        let upload = Curl.SMTPUpload(
            url: settings.url, username: settings.username, password: settings.password,
            useSSL: settings.tls == .required ? CURLUSESSL_ALL : settings.tls == .try ? CURLUSESSL_TRY : CURLUSESSL_NONE,
            mailFrom: settings.from.address, recipients: [message.to.address], timeoutSeconds: settings.timeout,
            bytes: message.rendered())
        do {
            return try curl.sendMail(upload)
        } catch {
            throw classify(error, recipient: message.to.address)
        }
    }

    /// Turns libcurl's code into the case a person can act on.
    func classify(_ f: Curl.Failure, recipient: String) -> DeliveryError {
        var reason = f.message.trimmingSpaces
        if let p = settings.password, !p.isEmpty { reason = reason.replacingOccurrences(of: p, with: "•••") }
        if reason.hasSuffix(".") { reason.removeLast() }
        let server = settings.server
        switch f.code {
        // Not reached at all: plain words, not libcurl's ("Couldn't connect to server").
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .unreachable(server: server, reason: "its host name could not be found")
        case CURLE_COULDNT_CONNECT:
            return .unreachable(server: server, reason: "nothing answered on that host and port")
        case CURLE_OPERATION_TIMEDOUT where f.responseCode == 0:
            return .unreachable(server: server, reason: "it did not answer in time")
        case CURLE_USE_SSL_FAILED, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CACERT_BADFILE:
            return .tlsUnavailable(server: server, reason: reason)
        case CURLE_LOGIN_DENIED:
            return .loginFailed(server: server, user: settings.username ?? "(no user)", code: f.responseCode, reason: reason)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_WEIRD_SERVER_REPLY:
            // No reply at all: the connection went away before the server said anything.
            if f.responseCode == 0 { return .unreachable(server: server, reason: "it closed the connection without a reply") }
            fallthrough
        default:
            // 5xx/4xx replies to MAIL FROM, RCPT TO or DATA arrive as CURLE_SEND_ERROR / CURLE_RECV_ERROR /
            // CURLE_UPLOAD_FAILED with the reply code set.
            if f.responseCode >= 400 {
                return .rejected(recipient: recipient, server: server, code: f.responseCode, reason: reason)
            }
            return .sendFailed(recipient: recipient, server: server, code: f.responseCode, reason: reason)
        }
    }
}
