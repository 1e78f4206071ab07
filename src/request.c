/*
 * request.c — the request pipeline: one FastCGI request in, one response out.
 *
 * Order of checks (each answers with its own Japanese error page and a log line):
 *   body size (413) → route (404) → method (405) → form parse: percent-escapes,
 *   NUL, UTF-8, control characters, field sizes (400); on an upload route
 *   (R_UPLOAD) multipart/form-data only and its own body limit, on the headers
 *   (400, 413) → session → for an upload: Origin (403), member (303), then the
 *   body is read: multipart framing, size of each file (400, 413) → CSRF + Origin on
 *   POST (403) → access flags (303 to /login) → terms due (303 to /consent) →
 *   handler.
 * Every response passes through response_open(), which sets the security headers.
 * The request path is never echoed into a page or a log (it may carry a token):
 * logs name the route.
 */
#include "autoconf.h"
#include "request.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <fcgiapp.h>

#include "captcha_provider.h"
#include "clientip.h"
#include "config.h"
#include "cookie.h"
#include "crypto.h"
#include "form.h"
#include "header.h"
#include "log.h"
#include "redirect.h"
#include "metrics.h"
#include "oidc_authz.h"
#include "multipart.h"
#include "router.h"
#include "session.h"
#include "staff_session.h"
#include "template.h"
#include "terms.h"
#include "worker.h"

/* A request that takes this long is logged whatever its status. */
#define SLOW_MS		1000

/*
 * An upload form (R_UPLOAD) has a handful of fields: the CSRF token, a photo,
 * a few choices. A browser writes some 150 bytes of headers per part, plus the
 * photo's file name: the cap leaves room for the longest one (MP_FILENAME_MAX,
 * a long Japanese name from Windows) and refuses a padded header.
 */
#define UPLOAD_MAX_PARTS	16
#define UPLOAD_MAX_HEADER	2048
/* Where a refused upload leads back to: the identity verification page. */
#define UPLOAD_BACK		"/verify"

/* The FastCGI request being served (one per process at a time). */
static FCGX_Request	*cur;
/* This process serves the staff console (request_console): its own route
 * table, staff sessions, Staff.BaseURL for the Origin check, no-store. */
static int		 console;

void
request_console(int on)
{
	console = on;
}

/* ---- input ---- */

/*
 * Parse urlencoded data into Query.<name> (form.c). Returns 0, or 400 with the
 * reason logged (never the value: it may be a password or a token).
 */
static int
form_parse_req(struct req *r, char *data)
{
	const char	*name;
	size_t		 maxfield = (size_t)config_int("Server.MaxField");

	switch (form_parse(r->hdf, "Query", data, maxfield, &name)) {
	case FORM_OK:
		return 0;
	case FORM_BAD_ESCAPE:
		log_warn("bad request: malformed or NUL percent-escape");
		return 400;
	case FORM_BAD_NAME:
		log_warn("bad request: unacceptable field name");
		return 400;
	case FORM_TOO_LONG:
		log_warn("bad request: field %s too long", name);
		r->error_key = "TooLong";
		return 400;
	case FORM_BAD_TEXT:
		log_warn("bad request: field %s is not valid UTF-8 text", name);
		r->error_key = "BadText";
		return 400;
	case FORM_NOMEM:
	default:
		log_err("form: could not store a field");
		return 500;
	}
}

/*
 * A multipart/form-data body of len bytes on a one-click route (R_ONECLICK):
 * only whether it holds the part List-Unsubscribe with the value One-Click
 * matters (RFC 8058 §3.1), which sets Query.List-Unsubscribe as the urlencoded
 * form would; anything else in it is ignored. 0 or 400.
 */
static int
oneclick_parse(struct req *r, long long len)
{
	char	*body;
	int	 n;

	body = xmalloc((size_t)len + 1);
	n = FCGX_GetStr(body, (int)len, cur->in);
	if (n != (int)len) {
		log_warn("bad request: body shorter than Content-Length");
		free(body);
		return 400;
	}
	body[len] = '\0';
	if (header_oneclick_multipart(body, (size_t)len))
		req_set(r, "Query.List-Unsubscribe", "One-Click");
	free(body);
	return 0;
}

/* An upload route's refusal: status, with L.Error.<key> and the way back. */
static int
upload_refused(struct req *r, int status, const char *key)
{
	r->error_key = key;
	req_set(r, "Error.Back", UPLOAD_BACK);
	return status;
}

/*
 * The headers of an upload route's POST (R_UPLOAD), before a byte of its body
 * is read: a Content-Length within Verify.MaxRequestBytes (checked by
 * body_parse), multipart/form-data with a valid boundary, a body at all.
 * 0 or 400; the log line says why and how big.
 */
static int
upload_precheck(struct req *r, const char *ct, long long len)
{
	char	 boundary[MP_BOUNDARY_MAX + 1];

	if (multipart_boundary(ct, boundary) != 0) {
		if (ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0) {
			log_warn("upload refused: bad or no boundary (body %lld bytes)",
			    len);
			return upload_refused(r, 400, "UploadBroken");
		}
		log_warn("upload refused: not multipart/form-data (body %lld bytes)", len);
		return upload_refused(r, 400, "UploadType");
	}
	if (len == 0) {
		log_warn("upload refused: empty body or no Content-Length");
		return upload_refused(r, 400, "UploadBroken");
	}
	return 0;
}

/*
 * Read and parse the multipart/form-data body of an upload route (after
 * upload_precheck and the checks on the session and Origin in dispatch):
 * text parts into Query.<name> as urlencoded fields are (the query string's
 * value wins, then the first part), file parts into r->files. Allocates the
 * body's Content-Length, within Verify.MaxRequestBytes. 0, 400, 413 or 500;
 * the log line says why and how big, never a filename or a byte of content.
 */
static int
upload_read(struct req *r)
{
	const char	*ct = FCGX_GetParam("CONTENT_TYPE", cur->envp);
	const char	*cl = FCGX_GetParam("CONTENT_LENGTH", cur->envp);
	char		 boundary[MP_BOUNDARY_MAX + 1], key[96], *v;
	struct mp_limits lim;
	struct mp_part	*part;
	const char	*bad_name;
	enum mp_status	 st;
	NEOERR		*err;
	long long	 len;
	size_t		 i;

	/* body_parse and upload_precheck passed on these very values. */
	if (multipart_boundary(ct, boundary) != 0 || cl == NULL ||
	    util_parse_int(cl, 1, config_int("Verify.MaxRequestBytes"), &len) != 0) {
		log_err("upload: headers changed after the checks");
		return 500;
	}
	r->upload_body = xmalloc((size_t)len);
	if (FCGX_GetStr((char *)r->upload_body, (int)len, cur->in) != (int)len) {
		log_warn("upload refused: body shorter than Content-Length (%lld bytes)",
		    len);
		return upload_refused(r, 400, "UploadBroken");
	}
	lim.max_parts = UPLOAD_MAX_PARTS;
	lim.max_header = UPLOAD_MAX_HEADER;
	lim.max_field = (size_t)config_int("Server.MaxField");
	lim.max_file = (size_t)config_int("Verify.MaxImageBytes");
	r->upload = xcalloc(1, sizeof(*r->upload));
	st = multipart_parse(r->upload_body, (size_t)len, boundary, &lim, r->upload,
	    &bad_name);
	switch (st) {
	case MP_OK:
		break;
	case MP_FILE_TOO_LARGE:
		log_warn("upload refused: file part %s over %zu bytes (body %lld bytes)",
		    bad_name, lim.max_file, len);
		return upload_refused(r, 413, "UploadTooLarge");
	case MP_FIELD_TOO_LONG:
		log_warn("upload refused: field %s too long (body %lld bytes)", bad_name,
		    len);
		return upload_refused(r, 400, "TooLong");
	case MP_BAD_TEXT:
		log_warn("upload refused: field %s is not valid UTF-8 text (body %lld bytes)",
		    bad_name, len);
		return upload_refused(r, 400, "BadText");
	default:
		log_warn("upload refused: %s (body %lld bytes, %zu parts read)",
		    multipart_status_str(st), len, r->upload->n);
		return upload_refused(r, 400, "UploadBroken");
	}
	r->files = xcalloc(r->upload->n, sizeof(*r->files));
	for (i = 0; i < r->upload->n; i++) {
		part = &r->upload->parts[i];
		if (part->filename != NULL) {
			r->files[r->nfiles].name = part->name;
			r->files[r->nfiles].filename = part->filename;
			r->files[r->nfiles].content_type = part->content_type;
			r->files[r->nfiles].data = part->data;
			r->files[r->nfiles].len = part->len;
			r->nfiles++;
			continue;
		}
		snprintf(key, sizeof(key), "Query.%s", part->name);
		if (hdf_get_value(r->hdf, key, NULL) != NULL)
			continue;
		v = xstrndup((const char *)part->data, part->len);
		err = hdf_set_value(r->hdf, key, v);
		free(v);
		if (err != STATUS_OK) {
			nerr_ignore(&err);
			log_err("upload: could not store a field");
			return 500;
		}
	}
	return 0;
}

/*
 * The body of an R_JSON route: application/json, at most REQ_JSON_MAX bytes,
 * valid UTF-8 without NUL (the handler parses it). 0, 400 or 413.
 */
static int
json_read(struct req *r, const char *ct, long long len)
{
	int		 n;

	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
		log_warn("bad request: JSON route without application/json");
		return 400;
	}
	if (len > REQ_JSON_MAX) {
		log_warn("JSON body of %lld bytes refused (limit %d)", len,
		    REQ_JSON_MAX);
		return 413;
	}
	if (len == 0)
		return 0;
	r->json = xmalloc((size_t)len + 1);
	n = FCGX_GetStr(r->json, (int)len, cur->in);
	if (n != (int)len) {
		log_warn("bad request: body shorter than Content-Length");
		return 400;
	}
	r->json[len] = '\0';
	r->json_len = (size_t)len;
	if (memchr(r->json, '\0', (size_t)len) != NULL ||
	    !util_utf8_valid(r->json, (size_t)len)) {
		log_warn("bad request: JSON body is not UTF-8 text");
		return 400;
	}
	return 0;
}

/*
 * Read and parse the POST body: urlencoded within Server.MaxBody. On an
 * R_UPLOAD route only the headers are checked here (multipart/form-data within
 * Verify.MaxRequestBytes, upload_precheck): dispatch reads the body with
 * upload_read once the session and Origin allow it. The size is checked on
 * CONTENT_LENGTH before a byte is read or allocated. 0, 400, 413 or 500.
 */
static int
body_parse(struct req *r)
{
	const char	*ct = FCGX_GetParam("CONTENT_TYPE", cur->envp);
	const char	*cl = FCGX_GetParam("CONTENT_LENGTH", cur->envp);
	int		 upload = (r->route->flags & R_UPLOAD) != 0;
	long long	 len = 0, max;
	char		*body;
	int		 n, rc;

	if (cl != NULL && cl[0] != '\0' &&
	    util_parse_int(cl, 0, 1LL << 40, &len) != 0) {
		log_warn("bad request: bad Content-Length");
		return upload ? upload_refused(r, 400, "UploadBroken") : 400;
	}
	max = config_int(upload ? "Verify.MaxRequestBytes" : "Server.MaxBody");
	if (len > max) {
		log_warn("%s body of %lld bytes refused (limit %lld)",
		    upload ? "upload" : "request", len, max);
		return upload ? upload_refused(r, 413, "UploadTooLarge") : 413;
	}
	if (upload)
		return upload_precheck(r, ct, len);
	if (r->route->flags & R_JSON)
		return json_read(r, ct, len);
	if (len == 0)
		return 0;
	/* RFC 8058 one-click unsubscribe: mail providers SHOULD send multipart. */
	if ((r->route->flags & R_ONECLICK) && ct != NULL &&
	    strncasecmp(ct, "multipart/form-data", 19) == 0)
		return oneclick_parse(r, len);
	/* Compare the media type only: "; charset=UTF-8" is fine (STACK-NOTES). */
	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0 ||
	    (ct[33] != '\0' && ct[33] != ';' && ct[33] != ' ')) {
		log_warn("bad request: unsupported content type");
		return 400;
	}
	body = xmalloc((size_t)len + 1);
	n = FCGX_GetStr(body, (int)len, cur->in);
	if (n != (int)len) {
		log_warn("bad request: body shorter than Content-Length");
		free(body);
		return 400;
	}
	body[len] = '\0';
	if (memchr(body, '\0', (size_t)len) != NULL) {
		free(body);
		return 400;
	}
	rc = form_parse_req(r, body);
	free(body);
	return rc;
}

/* ---- response ---- */

static const char *
status_text(int st)
{
	switch (st) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default:  return st >= 500 ? "Internal Server Error" : "Error";
	}
}

/*
 * Whether the request path carries a secret (an activation, reset or address
 * change token, a deletion request's contact link, a CAPTCHA challenge, an
 * RP-initiated logout's id_token_hint, an OpenID Connect authorization's
 * handle, also when a page's r= or next= names it): the
 * same prefixes that nginx keeps out of its error log
 * (contrib/nginx/kenpo.conf.in). Such a page is sent with
 * Referrer-Policy: strict-origin, or the browser would repeat its URL in the
 * Referer of every request it makes next, and nginx writes the referrer of a
 * request it refuses (a 404 of a static file, a 502) into its error log.
 * Not no-referrer: under it a browser sends "Origin: null" with the page's own
 * form POST (Fetch, "append a request Origin header"), which origin_ok refuses.
 */
static int
path_carries_secret(const struct req *r)
{
	static const char *const prefixes[] = {
		"/users/", "/password/reset/", "/account/email/", "/captcha/",
		"/unsubscribe/",
		"/deletion/confirm/",
		"/enrol/",	/* the staff console's enrolment links */
		"/oidc/logout",	/* id_token_hint in the query (docs/oidc.md) */
		"/oidc/authorize/resume/",	/* an authorization's handle */
	};
	size_t	 i;

	const char	*next;

	if (r->path == NULL)
		return 0;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(r->path, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	/* The pages on the way of an OpenID Connect authorization name its
	 * handle in their query: /oidc/reauth?r=, and the next= of the login,
	 * the terms and the step-up. */
	if (strcmp(r->path, "/oidc/reauth") == 0)
		return 1;
	next = r->hdf != NULL ? hdf_get_value(r->hdf, "Query.next", NULL) : NULL;
	return next != NULL && strncmp(next, "/oidc/authorize/resume/", 23) == 0;
}

/* The one place that opens every response: status and security headers. */
static void
response_open(struct req *r, int status, const char *ctype, size_t len)
{
	char	 head[256];
	int	 n;

	n = snprintf(head, sizeof(head), "Status: %d %s\r\nContent-Type: %s\r\n"
	    "X-Request-Id: %s\r\n", status, status_text(status), ctype, r->id);
	if (n > 0 && (size_t)n < sizeof(head) && len != (size_t)-1)
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		    "Content-Length: %zu\r\n", len);
	if (n < 0 || (size_t)n >= sizeof(head)) {
		log_err("response headers too long");	/* ctype is ours */
		n = snprintf(head, sizeof(head), "Status: 500 %s\r\n",
		    status_text(500));
	}
	FCGX_PutStr(head, n, cur->out);
	/* The login page of an operator who chose a reCAPTCHA-compatible provider
	 * loads its widget (captcha_provider.h); every other page stays strict. */
	if (r->route != NULL && strcmp(r->route->name, "login") == 0 &&
	    captcha_provider_enabled())
		FCGX_PutS("Content-Security-Policy: default-src 'self'; script-src 'self' "
		    "https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/; "
		    "frame-src https://www.google.com/recaptcha/ "
		    "https://recaptcha.google.com/recaptcha/; "
		    "style-src 'self'; img-src 'self' data:; form-action 'self'; "
		    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'\r\n",
		    cur->out);
	else if (r->form_action != NULL)
		/* A page of an OpenID Connect flow (oidc_authz.h): its form's
		 * answer ends in a redirect to the relying party, which
		 * Chromium checks against form-action too. */
		FCGX_FPrintF(cur->out, "Content-Security-Policy: default-src 'self';"
		    " script-src 'self'; style-src 'self'; img-src 'self' data:;"
		    " form-action 'self' %s; frame-ancestors 'none'; base-uri 'none';"
		    " object-src 'none'\r\n", r->form_action);
	else
		FCGX_PutS("Content-Security-Policy: default-src 'self'; script-src 'self'; "
		    "style-src 'self'; img-src 'self' data:; form-action 'self'; "
		    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'\r\n",
		    cur->out);
	FCGX_PutS("X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n", cur->out);
	FCGX_PutS(path_carries_secret(r) ? "Referrer-Policy: strict-origin\r\n" :
	    "Referrer-Policy: same-origin\r\n", cur->out);
	if (r->https)
		FCGX_PutS("Strict-Transport-Security: max-age=31536000\r\n", cur->out);
	if (r->nostore || r->sess != NULL || r->console || status >= 400)
		FCGX_PutS("Cache-Control: no-store\r\n", cur->out);
	else if (r->public_max_age > 0)
		FCGX_FPrintF(cur->out, "Cache-Control: public, max-age=%d\r\n",
		    r->public_max_age);
	else
		FCGX_PutS("Cache-Control: private, no-cache\r\n", cur->out);
	if (r->headers.len > 0)
		FCGX_PutStr(r->headers.data, (int)r->headers.len, cur->out);
	FCGX_PutS("\r\n", cur->out);
}

/* Last resort when even the error template cannot render. */
static const char fallback_html[] =
    "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
    "<title>エラー</title></head><body><h1>ただいま表示できません</h1>"
    "<p>しばらくしてからもう一度お試しください。</p></body></html>\n";

/*
 * The upload limits in L.Error.Upload*'s {image_mb} and {request_mb}, in
 * MB as a member reads them (MiB, rounded down: 10485760 bytes is "10 MB").
 */
static void
upload_message(struct req *r, const char *key)
{
	char		 image[24], request[24];
	const char	*vars[] = { "image_mb", image, "request_mb", request, NULL };

	snprintf(image, sizeof(image), "%lld",
	    config_int("Verify.MaxImageBytes") / (1024 * 1024));
	snprintf(request, sizeof(request), "%lld",
	    config_int("Verify.MaxRequestBytes") / (1024 * 1024));
	req_set_text(r, "Error.Message", key, vars);
}

/*
 * The refusal of an R_JSON route by the pipeline (a body too large or not
 * JSON, Origin or CSRF wrong, the database away): {"error": "<word>"} in
 * application/json, as its handler answers, so passkey.js reads one kind
 * of answer.
 */
static void
send_json_error(struct req *r, int status)
{
	char		 body[64];
	const char	*w;
	int		 n;

	switch (status) {
	case 400: w = "malformed"; break;
	case 403: w = "forbidden"; break;
	case 405: w = "method"; break;
	case 413: w = "too_large"; break;
	case 429: w = "throttled"; break;
	case 503: w = "unavailable"; break;
	default:  w = status >= 500 ? "internal" : "refused"; break;
	}
	n = snprintf(body, sizeof(body), "{\"error\":\"%s\"}", w);
	if (status == 405)
		req_add_header(r, "Allow", "POST");
	response_open(r, status, "application/json", (size_t)n);
	if (strcmp(r->method, "HEAD") != 0)
		FCGX_PutStr(body, n, cur->out);
}

/*
 * A refusal of the pipeline on a machine endpoint (R_API): the OAuth error
 * object a client library understands (RFC 6749 §5.2), never an HTML page.
 */
static void
send_api_error(struct req *r, int status)
{
	char		 body[128];
	const char	*code;
	int		 n;

	switch (status) {
	case 405:
	case 400:
	case 413:
		code = "invalid_request";
		break;
	case 503:
		code = "temporarily_unavailable";
		req_add_header(r, "Retry-After", "30");
		break;
	default:
		code = status >= 500 ? "server_error" : "invalid_request";
		break;
	}
	if (status == 405)
		req_add_header(r, "Allow", (r->route->flags & R_GET) ?
		    ((r->route->flags & R_POST) ? "GET, HEAD, POST" : "GET, HEAD") :
		    "POST");
	n = snprintf(body, sizeof(body), "{\"error\":\"%s\"}\n", code);
	response_open(r, status, "application/json", (size_t)n);
	if (strcmp(r->method, "HEAD") != 0)
		FCGX_PutStr(body, n, cur->out);
}

static void
send_error(struct req *r, int status)
{
	struct buf	 out = { 0 };
	char		 key[64];
	const char	*msg;

	if (r->route != NULL && (r->route->flags & R_API)) {
		send_api_error(r, status);
		return;
	}
	if (r->route != NULL && (r->route->flags & R_JSON)) {
		send_json_error(r, status);
		return;
	}
	req_set_int(r, "Error.Status", status);
	snprintf(key, sizeof(key), "Error.S%d.Title", status);
	req_set(r, "Error.Title", req_text(r, key));
	if (r->error_key != NULL) {
		/* A title of its own when the message has one (L.ErrorTitle.<key>). */
		snprintf(key, sizeof(key), "ErrorTitle.%s", r->error_key);
		if (tmpl_text(r->lang, key) != NULL || tmpl_text("ja", key) != NULL)
			req_set(r, "Error.Title", req_text(r, key));
		snprintf(key, sizeof(key), "Error.%s", r->error_key);
		msg = req_text(r, key);
		if (strncmp(r->error_key, "Upload", 6) == 0) {
			upload_message(r, key);	/* with the limits in it */
			msg = NULL;
		}
	} else {
		snprintf(key, sizeof(key), "Error.S%d.Message", status);
		msg = req_text(r, key);
	}
	if (msg != NULL)
		req_set(r, "Error.Message", msg);
	if (status == 405) {
		const struct route *rt = r->route;

		req_add_header(r, "Allow", rt != NULL && (rt->flags & R_POST) ?
		    ((rt->flags & R_GET) ? "GET, HEAD, POST" : "POST") : "GET, HEAD");
	}
	if (status == 503) {
		snprintf(key, sizeof(key), "%d", r->retry_after > 0 ?
		    r->retry_after : 30);
		req_add_header(r, "Retry-After", key);
	}
	if (tmpl_render("error", r->hdf, r->lang, &out) != 0) {
		response_open(r, status, "text/html; charset=utf-8", sizeof(fallback_html) - 1);
		FCGX_PutStr(fallback_html, sizeof(fallback_html) - 1, cur->out);
	} else {
		response_open(r, status, "text/html; charset=utf-8", out.len);
		if (strcmp(r->method, "HEAD") != 0)
			FCGX_PutStr(out.data, (int)out.len, cur->out);
	}
	buf_free(&out);
}

static void
send_page(struct req *r, int status)
{
	struct buf	 out = { 0 };
	size_t		 skip;

	if (tmpl_render(r->template, r->hdf, r->lang, &out) != 0) {
		buf_free(&out);
		send_error(r, 500);
		return;
	}
	/* Templates start with their macro definitions: skip the blank lines. */
	skip = strspn(out.data, "\r\n\t ");
	response_open(r, status, "text/html; charset=utf-8", out.len - skip);
	if (strcmp(r->method, "HEAD") != 0)
		FCGX_PutStr(out.data + skip, (int)(out.len - skip), cur->out);
	buf_free(&out);
}

/* A relying party's redirect_uri (req_redirect_client): an absolute http(s)
 * URL without controls or spaces, so it cannot break the header. */
static int
client_location_ok(const char *u)
{
	const unsigned char *p;

	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		return 0;
	for (p = (const unsigned char *)u; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static void
send_redirect(struct req *r)
{
	if (r->location_client) {
		if (!client_location_ok(r->location)) {
			log_err("refusing redirect to a malformed client URI");
			send_error(r, 500);
			return;
		}
		req_add_header(r, "Location", r->location);
		response_open(r, 303, "text/html; charset=utf-8", 0);
		return;
	}
	/* Same-site paths only (redirect.h): handlers check what a request
	 * supplied before they get here, so a refusal is a bug of ours. */
	if (!redirect_target_ok(r->location)) {
		log_err("refusing redirect to a non-local location");
		send_error(r, 500);
		return;
	}
	req_add_header(r, "Location", r->location);
	response_open(r, 303, "text/html; charset=utf-8", 0);
}

/* ---- the pipeline ---- */

/* REMOTE_ADDR, or the client behind a trusted proxy (clientip.h). */
static void
client_ip(struct req *r)
{
	clientip_pick(FCGX_GetParam("REMOTE_ADDR", cur->envp),
	    req_header(r, "X-Forwarded-For"), config_str("Server.TrustedProxies"),
	    r->ip, sizeof(r->ip));
}

/*
 * Cookie "lang" (set by /lang) wins; else whichever of ja/en comes first in
 * Accept-Language (browsers list languages in preference order); else ja.
 */
static void
pick_lang(struct req *r)
{
	r->lang = header_pick_lang(req_cookie(r, "lang"),
	    req_header(r, "Accept-Language"));
}

/* The Origin (or, without it, the Referer) of a POST must be this site. */
static int
origin_ok(struct req *r)
{
	return header_origin_ok(req_header(r, "Origin"), req_header(r, "Referer"),
	    req_header(r, "Host"), r->https,
	    config_str(r->console ? "Staff.BaseURL" : "Service.BaseURL"));
}

static void
make_id(char id[17])
{
	unsigned char	 b[8];

	crypto_random(b, sizeof(b));
	util_hex(b, sizeof(b), id);
}

/* A session of an active account is loaded (what R_MEMBER routes need). */
static int
session_active(const struct req *r)
{
	return r->sess != NULL && r->sess->state != NULL &&
	    strcmp(r->sess->state, "active") == 0;
}

/* Run checks and the handler; returns the status to send. */
static int
dispatch(struct req *r)
{
	const char	*qs = FCGX_GetParam("QUERY_STRING", cur->envp);
	const char	*uri = FCGX_GetParam("DOCUMENT_URI", cur->envp);
	char		*q, *path;
	int		 st, is_get, is_post;
	size_t		 n;

	if (uri == NULL && (uri = FCGX_GetParam("SCRIPT_NAME", cur->envp)) == NULL)
		uri = "/";
	/* nginx hands over a normalised, decoded path; still refuse oddities. */
	n = strlen(uri);
	if (n == 0 || uri[0] != '/' || n > 1024 || !util_utf8_valid(uri, n))
		return 400;
	r->path = path = xstrdup(uri);
	/* The language switch returns here: only plain paths (no token segment). */
	req_set(r, "Page.Back", "/");
	/* The member menu of the layout marks the page it is on. */
	req_set(r, "Page.Path", path);
	/* Each listener knows only its own table: a member route is never
	 * served on the staff socket, nor a staff route on the public one. */
	if ((r->route = (r->console ? router_match_staff : router_match)(path,
	    &r->arg)) == NULL)
		return 404;
	is_get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	is_post = strcmp(r->method, "POST") == 0;
	if (!((is_get && (r->route->flags & R_GET)) || (is_post && (r->route->flags & R_POST))))
		return 405;
	if (r->route->flags & R_NOSTORE)
		r->nostore = 1;
	if (r->arg == NULL && is_get)
		req_set(r, "Page.Back", path);
	if (qs != NULL && qs[0] != '\0') {
		if (strlen(qs) > (size_t)config_int("Server.MaxField") * 4)
			return 400;
		q = xstrdup(qs);
		st = form_parse_req(r, q);
		free(q);
		if (st != 0)
			return st;
	}
	if (is_post && (st = body_parse(r)) != 0)
		return st;
	if (!(r->route->flags & R_NOSESSION) &&
	    (st = (r->console ? staff_session_load : session_load)(r)) != 0)
		return req_db_error(r, st);
	/*
	 * An upload's body (up to Verify.MaxRequestBytes) is read only for a
	 * member's session and from our own pages: a stranger or another site
	 * cannot make a worker read and hold it. Its size and type were checked
	 * on the headers above; the CSRF token is one of its parts.
	 */
	if (is_post && (r->route->flags & R_UPLOAD)) {
		const char *cl = FCGX_GetParam("CONTENT_LENGTH", cur->envp);

		if (!(r->route->flags & R_NOCSRF) && !origin_ok(r)) {
			log_warn("upload refused: foreign Origin/Referer (body %s bytes)", cl);
			return req_error(r, 403, "Origin");
		}
		if ((r->route->flags & R_MEMBER) && !session_active(r)) {
			log_warn("upload refused: no member session (body %s bytes)", cl);
			return req_redirect(r, "/login");
		}
		if ((st = upload_read(r)) != 0)
			return st;
	}
	if (is_post && (r->route->flags & R_JSON) && req_param(r, "csrf") == NULL) {
		/* A JSON POST carries its token in a header (passkey.js). */
		const char *tok = req_header(r, "X-CSRF-Token");

		if (tok != NULL && strlen(tok) <= 64 &&
		    util_utf8_valid(tok, strlen(tok)))
			req_set(r, "Query.csrf", tok);
	}
	if (is_post && !(r->route->flags & R_NOCSRF)) {
		if (!origin_ok(r)) {
			log_warn("POST refused: foreign Origin/Referer");
			return req_error(r, 403, "Origin");
		}
		if (!session_csrf_check(r)) {
			log_warn("POST refused: missing or wrong CSRF token");
			return req_error(r, 403, "CSRF");
		}
	}
	if ((r->route->flags & R_STAFF) && r->staff == NULL) {
		if (is_get && r->arg == NULL)
			return req_redirect(r, "/login?next=%s", path);
		return req_redirect(r, "/login");
	}
	if ((r->route->flags & R_MEMBER) && !session_active(r)) {
		/* Come back here after logging in: plain member paths only (no
		 * token segment, no query); login.c checks next again. */
		/* /login says why (a next= brings its notice), /top included. */
		if (is_get && r->arg == NULL && strspn(path, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789/_-") == strlen(path))
			return req_redirect(r, "/login?next=%s", path);
		return req_redirect(r, "/login");
	}
	/*
	 * A member who has not agreed to the current version of every terms
	 * that apply to her (a new version was published, terms.h) gets
	 * /consent before anything else of the member area, whichever way she
	 * came in (login, remember-me, a session already open). Logout is not a
	 * member route; withdrawal stays open (R_NOCONSENT): she may leave
	 * rather than agree.
	 */
	if ((r->route->flags & R_MEMBER) && !(r->route->flags & R_NOCONSENT)) {
		long long due = terms_due(r->sess->account_id);

		if (due < 0)
			return req_db_error(r, (int)due);
		if (due > 0) {
			if (is_get && r->arg == NULL && strspn(path,
			    "abcdefghijklmnopqrstuvwxyz0123456789/_-") == strlen(path))
				return req_redirect(r, "/consent?next=%s", path);
			return req_redirect(r, "/consent");
		}
	}
	if (!(r->route->flags & R_NOSESSION))
		req_set(r, "Page.CSRF", session_csrf_token(r));
	if (r->sess != NULL && r->sess->state != NULL &&
	    strcmp(r->sess->state, "active") == 0)
		req_set(r, "Page.LoggedIn", "1");
	st = r->route->fn(r);
	/* A page shown on the way through an OpenID Connect authorization
	 * (login, step-up, terms) lets its form end at the relying party and
	 * names the service she is logging in to. */
	if (st == 200)
		oidc_authz_next_page(r, req_param(r, "next"));
	return st;
}

void
request_handle(FCGX_Request *fr)
{
	struct req	 r;
	NEOERR		*err;
	int64_t		 t0 = util_mono_ms(), ms;
	const char	*https;
	int		 st;

	cur = fr;
	memset(&r, 0, sizeof(r));
	r.envp = fr->envp;
	r.console = console;
	make_id(r.id);
	log_set_request(r.id);
	r.method = FCGX_GetParam("REQUEST_METHOD", fr->envp);
	if (r.method == NULL)
		r.method = "GET";
	https = FCGX_GetParam("HTTPS", fr->envp);
	if (strcmp(config_str("Server.HTTPS"), "on") == 0)
		r.https = 1;
	else if (strcmp(config_str("Server.HTTPS"), "auto") == 0)
		r.https = https != NULL && strcasecmp(https, "on") == 0;
	client_ip(&r);

	if ((err = hdf_init(&r.hdf)) != STATUS_OK) {
		nerr_ignore(&err);
		r.hdf = NULL;
	}
	if (r.hdf == NULL ||
	    cookie_parse(r.hdf, FCGX_GetParam("HTTP_COOKIE", fr->envp)) != 0) {
		/* Without an HDF we cannot render; send the static page. */
		r.lang = "ja";
		response_open(&r, 500, "text/html; charset=utf-8", sizeof(fallback_html) - 1);
		FCGX_PutStr(fallback_html, sizeof(fallback_html) - 1, fr->out);
		log_err("%s - 500 (no memory for the request data)", r.method);
		goto out;
	}
	pick_lang(&r);
	req_set(&r, "Page.Lang", r.lang);
	if (r.console)
		req_set(&r, "Page.Console", "1");
	req_set(&r, "Page.RequestId", r.id);

	st = dispatch(&r);
	if (st == REQ_RAW) {
		st = r.raw_status > 0 ? r.raw_status : 200;
		response_open(&r, st, r.content_type ? r.content_type :
		    "application/octet-stream", r.body.len);
		if (strcmp(r.method, "HEAD") != 0 && r.body.len > 0)
			FCGX_PutStr(r.body.data, (int)r.body.len, fr->out);
	} else if (st == 303)
		send_redirect(&r);
	else if (st == 200) {
		if (r.template == NULL) {
			log_err("handler returned 200 without a template");
			st = 500;
			send_error(&r, st);
		} else
			send_page(&r, 200);
	} else {
		if (st < 400 || st > 599)
			st = 500;
		send_error(&r, st);
	}
	metrics_add(st >= 500 ? M_REQ_5XX : st >= 400 ? M_REQ_4XX : st >= 300 ?
	    M_REQ_3XX : M_REQ_2XX, 1);
	ms = util_mono_ms() - t0;
	metrics_add(M_REQ_MS, ms);
	/* nginx's access log has a line per request, with this request id; here
	 * only the requests worth a look, unless Server.LogLevel is debug. */
	(st >= 400 || ms >= SLOW_MS ? log_info : log_debug)("%s %s %d %lldms",
	    r.method, r.route ? r.route->name : "-", st, (long long)ms);
out:
	if (r.hdf != NULL)
		hdf_destroy(&r.hdf);
	if (r.sess != NULL)
		session_free(r.sess);
	staff_session_free(r.staff);
	free(r.arg);
	free(r.location);
	free(r.form_action);
	free(r.path);
	buf_free(&r.headers);
	/* A raw body may be a verification image (staff_image.c): no copy of it
	 * stays in this process's heap. */
	if (r.body.data != NULL)
		util_wipe(r.body.data, r.body.len);
	buf_free(&r.body);
	multipart_free(r.upload);
	free(r.upload);
	free(r.files);
	free(r.upload_body);
	free(r.json);
	log_set_request(NULL);
	cur = NULL;
}
