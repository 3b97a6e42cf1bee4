import CCurl

/// A libcurl easy handle, owned: created in `init`, freed in `deinit`, with its error buffer. The only Swift code
/// that touches libcurl pointers. Not thread-safe: one handle per thread.
final class Curl {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// `curl_global_init` exactly once per process (Swift runs a static initialiser once, thread-safely).
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    init() throws(DeliveryError) {
        let g = Curl.globalInit
        guard g == CURLE_OK else { throw .libcurl(reason: String(cString: curl_easy_strerror(g))) }
        guard let h = curl_easy_init() else { throw .libcurl(reason: "curl_easy_init returned no handle") }
        handle = h
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// What one `perform` ended with.
    struct Failure: Error {
        var code: CURLcode
        /// libcurl's detailed message (CURLOPT_ERRORBUFFER), else its generic text for the code.
        var message: String
        /// The last SMTP reply code, 0 when the server never answered.
        var responseCode: Int
    }

    /// The settings of one SMTP upload.
    struct SMTPUpload {
        var url: String
        var username: String?
        var password: String?
        var useSSL: curl_usessl
        var mailFrom: String
        var recipients: [String]
        var timeoutSeconds: Int
        var bytes: [UInt8]
    }

    /// Uploads `bytes` as one message: `MAIL FROM:<mailFrom>`, a `RCPT TO` per recipient, then `DATA` streamed by the
    /// read callback (libcurl dot-stuffs lines and ends the data). Returns the last SMTP reply code (250 on success).
    func sendMail(_ u: SMTPUpload) throws(Failure) -> Int {
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        let source = UploadSource(bytes: u.bytes)
        var recipients: UnsafeMutablePointer<curl_slist>? = nil
        for r in u.recipients { recipients = curl_slist_append(recipients, "<\(r)>") }
        defer { curl_slist_free_all(recipients) }
        let unmanaged = Unmanaged.passRetained(source)
        defer { unmanaged.release() }

        var code = CURLE_OK
        func set(_ r: CURLcode) { if code == CURLE_OK { code = r } }
        set(ccurl_set_error_buffer(handle, errorBuffer))
        set(ccurl_set_nosignal(handle, 1))
        set(ccurl_set_url(handle, u.url))
        set(ccurl_set_use_ssl(handle, Int(u.useSSL.rawValue)))
        if let user = u.username { set(ccurl_set_username(handle, user)) }
        if let password = u.password { set(ccurl_set_password(handle, password)) }
        set(ccurl_set_mail_from(handle, "<\(u.mailFrom)>"))
        set(ccurl_set_mail_rcpt(handle, recipients))
        set(ccurl_set_upload(handle, 1))
        set(ccurl_set_read_function(handle, curlReadCallback))
        set(ccurl_set_read_data(handle, unmanaged.toOpaque()))
        set(ccurl_set_infile_size(handle, curl_off_t(u.bytes.count)))
        set(ccurl_set_connect_timeout_ms(handle, min(u.timeoutSeconds, 30) * 1000))
        set(ccurl_set_timeout_ms(handle, u.timeoutSeconds * 1000))
        if code == CURLE_OK { code = curl_easy_perform(handle) }

        var reply = 0
        _ = ccurl_response_code(handle, &reply)
        // Drop the password from the handle at once rather than at the next reset.
        _ = ccurl_set_password(handle, "")
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            throw Failure(code: code, message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail,
                          responseCode: reply)
        }
        return reply
    }
}

/// The rendered message, handed out to libcurl in the pieces it asks for.
private final class UploadSource {
    let bytes: [UInt8]
    var offset = 0
    init(bytes: [UInt8]) { self.bytes = bytes }
}

/// CURLOPT_READFUNCTION: copies the next piece of the message into libcurl's buffer; 0 means the end.
private let curlReadCallback: curl_read_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let source = Unmanaged<UploadSource>.fromOpaque(userdata).takeUnretainedValue()
    let n = min(size * count, source.bytes.count - source.offset)
    guard n > 0 else { return 0 }
    source.bytes.withUnsafeBufferPointer { all in
        UnsafeMutableRawPointer(buffer).copyMemory(from: all.baseAddress! + source.offset, byteCount: n)
    }
    source.offset += n
    return n
}
