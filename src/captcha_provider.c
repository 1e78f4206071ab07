/*
 * captcha_provider.c — verify a reCAPTCHA-compatible token with the provider's
 * siteverify endpoint. See captcha_provider.h for the model and the rules.
 *
 * libcurl does the HTTP and TLS (its OpenSSL flavour: kenpod already links
 * OpenSSL through libmariadb and libesmtp, so no second TLS stack comes in), and
 * jansson reads the answer: a JSON object in which only "success", "hostname" and
 * "error-codes" matter. A real parser is used rather than a scan for the word
 * "success", because a hostile or broken answer (a string holding `"success":
 * true`, a duplicate key, trailing bytes) must not read as a pass.
 */
#include "autoconf.h"
#include "captcha_provider.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>

#include "config.h"
#include "log.h"
#include "util.h"

/* Largest answer read from the provider (real ones are under 300 bytes). */
#define RESPONSE_MAX	(16 * 1024)
/* Longest token passed on (reCAPTCHA's are about 2 KB, hCaptcha's longer). */
#define TOKEN_MAX	(16 * 1024)
/* Buffer for a host name taken from a URL. */
#define HOST_MAX	256

static CURL	*easy;			/* kept per process: connection reuse */
static int	 curl_ready;		/* curl_global_init done */
static char	 last_problem[256];	/* the configuration problem logged last */

/* The answer being read, refused past RESPONSE_MAX. */
struct sink {
	struct buf	 b;
	int		 over;
};

/* libcurl write callback: append, or stop the transfer when the cap is passed. */
static size_t
sink_write(char *data, size_t size, size_t n, void *arg)
{
	struct sink	*s = arg;
	size_t		 len = size * n;

	if (len > RESPONSE_MAX || s->b.len + len > RESPONSE_MAX) {
		s->over = 1;
		return 0;	/* anything but len: CURLE_WRITE_ERROR */
	}
	buf_append(&s->b, data, len);
	return len;
}

int
captcha_provider_enabled(void)
{
	return strcmp(config_str("Login.Captcha"), "off") != 0 &&
	    strcmp(config_str("Login.CaptchaProvider"), "recaptcha") == 0;
}

/*
 * The scheme and host of url, as libcurl will understand them (lower-case scheme;
 * IPv6 host without its brackets). 0, or -1 when url is not an absolute URL.
 */
static int
url_parts(const char *url, char *scheme, size_t scap, char *host, size_t hcap)
{
	CURLU		*u;
	char		*s = NULL, *h = NULL;
	size_t		 len;
	int		 rc = -1;

	if ((u = curl_url()) == NULL)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &s, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK)
		goto out;
	len = strlen(h);
	if (len >= 2 && h[0] == '[' && h[len - 1] == ']') {
		memmove(h, h + 1, len - 2);
		h[len - 2] = '\0';
	}
	if (strlen(s) >= scap || strlen(h) >= hcap || h[0] == '\0')
		goto out;
	snprintf(scheme, scap, "%s", s);
	snprintf(host, hcap, "%s", h);
	rc = 0;
out:
	curl_free(s);
	curl_free(h);
	curl_url_cleanup(u);
	return rc;
}

int
captcha_provider_check(char *err, size_t errlen)
{
	char		 scheme[16], host[HOST_MAX];
	const char	*url = config_str("Login.RecaptchaVerifyURL");

	if (!captcha_provider_enabled())
		return 0;
	if (config_str("Login.RecaptchaSiteKey")[0] == '\0') {
		snprintf(err, errlen, "Login.RecaptchaSiteKey must be set when "
		    "Login.CaptchaProvider is recaptcha");
		return -1;
	}
	if (config_str("Login.RecaptchaSecret")[0] == '\0') {
		snprintf(err, errlen, "Login.RecaptchaSecret must be set when "
		    "Login.CaptchaProvider is recaptcha");
		return -1;
	}
	if (url_parts(url, scheme, sizeof(scheme), host, sizeof(host)) != 0) {
		snprintf(err, errlen, "Login.RecaptchaVerifyURL is not an absolute "
		    "URL");
		return -1;
	}
	/*
	 * Plain HTTP would hand the secret and the member's token to anyone on the
	 * path and let them answer "success": only a fake on this host may use it.
	 */
	if (strcmp(scheme, "https") != 0 && !(strcmp(scheme, "http") == 0 &&
	    (strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0))) {
		snprintf(err, errlen, "Login.RecaptchaVerifyURL must be https:// "
		    "(http:// only to 127.0.0.1 or [::1], for tests)");
		return -1;
	}
	if (url_parts(config_str("Service.BaseURL"), scheme, sizeof(scheme), host,
	    sizeof(host)) != 0) {
		snprintf(err, errlen, "Service.BaseURL is not an absolute URL (its "
		    "host is checked against the CAPTCHA provider's answer)");
		return -1;
	}
	return 0;
}

/*
 * Run captcha_provider_check() and log its problem, once per process for each
 * distinct problem (a reload that fixes and then breaks it again logs again).
 */
static int
config_usable(void)
{
	char	 err[sizeof(last_problem)];

	if (captcha_provider_check(err, sizeof(err)) == 0) {
		last_problem[0] = '\0';
		return 1;
	}
	if (strcmp(err, last_problem) != 0) {
		log_err("captcha provider: %s; every login is refused until this "
		    "is fixed", err);
		snprintf(last_problem, sizeof(last_problem), "%s", err);
	}
	return 0;
}

/*
 * The request body: secret=…&response=…[&remoteip=…], form-encoded, in one
 * allocation of exactly the right size, so no copy of the secret or the token is
 * left behind by a reallocation. Wipe and free it with util_free_secret().
 * NULL on an escaping failure (logged).
 */
static char *
body_build(const char *secret, const char *token, const char *ip)
{
	char		*es = NULL, *et = NULL, *ei = NULL, *body = NULL;
	size_t		 n;

	es = curl_easy_escape(easy, secret, 0);
	et = curl_easy_escape(easy, token, 0);
	if (ip != NULL && ip[0] != '\0')
		ei = curl_easy_escape(easy, ip, 0);
	if (es == NULL || et == NULL || (ip != NULL && ip[0] != '\0' &&
	    ei == NULL)) {
		log_err("captcha provider: cannot encode the request");
		goto out;
	}
	n = strlen("secret=") + strlen(es) + strlen("&response=") + strlen(et) +
	    (ei != NULL ? strlen("&remoteip=") + strlen(ei) : 0) + 1;
	body = xmalloc(n);
	snprintf(body, n, "secret=%s&response=%s%s%s", es, et,
	    ei != NULL ? "&remoteip=" : "", ei != NULL ? ei : "");
out:
	if (es != NULL) {
		util_wipe(es, strlen(es));
		curl_free(es);
	}
	if (et != NULL) {
		util_wipe(et, strlen(et));
		curl_free(et);
	}
	curl_free(ei);
	return body;
}

/*
 * The "error-codes" of an answer, for the log: up to four codes of letters,
 * digits and '-', comma-separated, into out ("" when there are none). Sets
 * *secret_bad when a code says kenpo's secret is wrong (an operator's problem,
 * not the member's).
 */
static void
error_codes(json_t *root, char *out, size_t cap, int *secret_bad)
{
	json_t		*codes, *c;
	const char	*s, *p;
	size_t		 i, o = 0;
	int		 shown = 0;

	out[0] = '\0';
	*secret_bad = 0;
	codes = json_object_get(root, "error-codes");
	if (!json_is_array(codes))
		return;
	json_array_foreach(codes, i, c) {
		if ((s = json_string_value(c)) == NULL)
			continue;
		if (strcmp(s, "invalid-input-secret") == 0 ||
		    strcmp(s, "missing-input-secret") == 0)
			*secret_bad = 1;
		if (shown == 4 || strlen(s) > 40)
			continue;
		for (p = s; *p != '\0'; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '-'))
				break;
		if (*p != '\0' || o + strlen(s) + 2 > cap)
			continue;
		o += (size_t)snprintf(out + o, cap - o, "%s%s", shown ? "," : "", s);
		shown++;
	}
}

/*
 * Judge the provider's answer (len bytes at data). Returns an enum
 * captcha_provider_verdict, having logged why when it is not OK.
 */
static int
answer_judge(const char *data, size_t len)
{
	json_t		*root, *success, *hostname;
	json_error_t	 jerr;
	char		 codes[200], scheme[16], base[HOST_MAX];
	const char	*h;
	int		 rc = CAPTCHA_PROVIDER_UNAVAILABLE, secret_bad;

	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL || !json_is_object(root)) {
		log_err("captcha provider: the answer is not a JSON object");
		goto out;
	}
	success = json_object_get(root, "success");
	if (!json_is_boolean(success)) {
		log_err("captcha provider: the answer has no boolean \"success\"");
		goto out;
	}
	error_codes(root, codes, sizeof(codes), &secret_bad);
	if (json_is_false(success)) {
		if (secret_bad) {
			log_err("captcha provider: the provider does not accept "
			    "Login.RecaptchaSecret (%s)", codes);
			goto out;
		}
		log_info("captcha provider: token refused (%s)",
		    codes[0] != '\0' ? codes : "no reason given");
		rc = CAPTCHA_PROVIDER_REFUSED;
		goto out;
	}
	/*
	 * A site key may be valid on several domains, and the provider's own origin
	 * check may be switched off in its console: the hostname it reports is
	 * where the token was solved, and that must be us.
	 */
	hostname = json_object_get(root, "hostname");
	if (hostname != NULL && !json_is_string(hostname)) {
		log_err("captcha provider: the answer's \"hostname\" is not a "
		    "string");
		goto out;
	}
	h = json_string_value(hostname);
	if (h != NULL && h[0] != '\0') {
		if (url_parts(config_str("Service.BaseURL"), scheme, sizeof(scheme),
		    base, sizeof(base)) != 0) {
			log_err("captcha provider: Service.BaseURL has no host");
			goto out;
		}
		if (strcasecmp(h, base) != 0) {
			log_warn("captcha provider: token solved on another host, "
			    "not on %s", base);
			rc = CAPTCHA_PROVIDER_REFUSED;
			goto out;
		}
	}
	rc = CAPTCHA_PROVIDER_OK;
out:
	json_decref(root);
	return rc;
}

/* The handle for this process, made on first use. NULL on failure (logged). */
static CURL *
handle_get(void)
{
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			log_err("captcha provider: curl_global_init failed");
			return NULL;
		}
		curl_ready = 1;
	}
	if (easy == NULL && (easy = curl_easy_init()) == NULL)
		log_err("captcha provider: curl_easy_init failed");
	return easy;
}

int
captcha_provider_verify(const char *response_token, const char *remote_ip)
{
	struct sink	 sink;
	struct curl_slist *hdrs = NULL, *h;
	char		 errbuf[CURL_ERROR_SIZE], scheme[16], host[HOST_MAX];
	char		*body = NULL;
	const char	*url;
	long		 status = 0, ms;
	CURLcode	 cc;
	int		 rc = CAPTCHA_PROVIDER_UNAVAILABLE;

	memset(&sink, 0, sizeof(sink));
	if (response_token == NULL || response_token[0] == '\0' ||
	    strlen(response_token) > TOKEN_MAX)
		return CAPTCHA_PROVIDER_REFUSED;
	if (!config_usable())
		return CAPTCHA_PROVIDER_UNAVAILABLE;
	url = config_str("Login.RecaptchaVerifyURL");
	if (url_parts(url, scheme, sizeof(scheme), host, sizeof(host)) != 0)
		return CAPTCHA_PROVIDER_UNAVAILABLE;	/* checked just above */
	if (handle_get() == NULL)
		return CAPTCHA_PROVIDER_UNAVAILABLE;
	if ((body = body_build(config_str("Login.RecaptchaSecret"),
	    response_token, remote_ip)) == NULL)
		goto out;
	/* No "Expect: 100-continue" round trip for a long token. */
	if ((h = curl_slist_append(NULL, "Expect:")) == NULL)
		goto nomem;
	hdrs = h;
	if ((h = curl_slist_append(hdrs, "Accept: application/json")) == NULL)
		goto nomem;
	hdrs = h;

	ms = 1000L * (long)config_int("Login.RecaptchaTimeout");
	errbuf[0] = '\0';
	curl_easy_reset(easy);
	/*
	 * Only the one scheme the check allowed, no redirects (the default, kept),
	 * certificate and host name always verified, and no signals: the worker has
	 * its own handlers and the resolver is threaded, so timeouts still hold.
	 * Loopback never goes through a proxy from the environment.
	 */
	if (curl_easy_setopt(easy, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, scheme) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "https") != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_NOPROXY, "127.0.0.1,::1") != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, ms) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, ms) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE, (long)RESPONSE_MAX) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_USERAGENT, "kenpo/" KENPO_VERSION) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, (long)strlen(body)) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, sink_write) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &sink) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK) {
		log_err("captcha provider: libcurl refused an option");
		goto out;
	}
	cc = curl_easy_perform(easy);
	if (cc != CURLE_OK) {
		/* libcurl's messages name the host and the cause, never the body. */
		if (sink.over || cc == CURLE_FILESIZE_EXCEEDED)
			log_err("captcha provider: %s: the answer is larger than "
			    "%d bytes", host, RESPONSE_MAX);
		else
			log_err("captcha provider: %s: %s", host, errbuf[0] != '\0' ?
			    errbuf : curl_easy_strerror(cc));
		goto out;
	}
	if (curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK ||
	    status != 200) {
		log_err("captcha provider: %s answered HTTP status %ld", host, status);
		goto out;
	}
	rc = answer_judge(sink.b.data != NULL ? sink.b.data : "", sink.b.len);
	goto out;
nomem:
	log_err("captcha provider: out of memory");
out:
	/* Drop every pointer into this call's memory; the connection stays. */
	if (easy != NULL)
		curl_easy_reset(easy);
	curl_slist_free_all(hdrs);
	util_free_secret(body);
	buf_free(&sink.b);
	return rc;
}

void
captcha_provider_cleanup(void)
{
	if (easy != NULL) {
		curl_easy_cleanup(easy);
		easy = NULL;
	}
	if (curl_ready) {
		curl_global_cleanup();
		curl_ready = 0;
	}
}
