#ifndef DUSANGIRE_CCURL_SHIM_H
#define DUSANGIRE_CCURL_SHIM_H

#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed wrapper per option used
 * by Sources/Delivery (SMTP upload of a rendered message). Each returns libcurl's CURLcode. */

static inline CURLcode ccurl_set_url(CURL *h, const char *url) { return curl_easy_setopt(h, CURLOPT_URL, url); }
static inline CURLcode ccurl_set_mail_from(CURL *h, const char *address) { return curl_easy_setopt(h, CURLOPT_MAIL_FROM, address); }
static inline CURLcode ccurl_set_mail_rcpt(CURL *h, struct curl_slist *recipients) { return curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients); }
static inline CURLcode ccurl_set_username(CURL *h, const char *user) { return curl_easy_setopt(h, CURLOPT_USERNAME, user); }
static inline CURLcode ccurl_set_password(CURL *h, const char *password) { return curl_easy_setopt(h, CURLOPT_PASSWORD, password); }
/* CURLUSESSL_NONE, CURLUSESSL_TRY or CURLUSESSL_ALL (STARTTLS required). */
static inline CURLcode ccurl_set_use_ssl(CURL *h, long mode) { return curl_easy_setopt(h, CURLOPT_USE_SSL, mode); }
static inline CURLcode ccurl_set_upload(CURL *h, long on) { return curl_easy_setopt(h, CURLOPT_UPLOAD, on); }
static inline CURLcode ccurl_set_read_function(CURL *h, curl_read_callback f) { return curl_easy_setopt(h, CURLOPT_READFUNCTION, f); }
static inline CURLcode ccurl_set_read_data(CURL *h, void *data) { return curl_easy_setopt(h, CURLOPT_READDATA, data); }
static inline CURLcode ccurl_set_infile_size(CURL *h, curl_off_t size) { return curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, size); }
/* buffer must hold CURL_ERROR_SIZE bytes and outlive the transfer. */
static inline CURLcode ccurl_set_error_buffer(CURL *h, char *buffer) { return curl_easy_setopt(h, CURLOPT_ERRORBUFFER, buffer); }
static inline CURLcode ccurl_set_timeout_ms(CURL *h, long ms) { return curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms); }
static inline CURLcode ccurl_set_connect_timeout_ms(CURL *h, long ms) { return curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ms); }
/* No SIGALRM for timeouts: required when the process has other threads. */
static inline CURLcode ccurl_set_nosignal(CURL *h, long on) { return curl_easy_setopt(h, CURLOPT_NOSIGNAL, on); }
static inline CURLcode ccurl_set_verbose(CURL *h, long on) { return curl_easy_setopt(h, CURLOPT_VERBOSE, on); }

/* The last SMTP reply code (e.g. 250, 535), 0 when the server never answered. */
static inline CURLcode ccurl_response_code(CURL *h, long *code) { return curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, code); }

#endif
