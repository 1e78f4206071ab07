/*
 * request.c — the request pipeline: one FastCGI request in, one response out.
 *
 * Order of checks (each answers with its own Japanese error page and a log line):
 *   body size (413) → route (404) → method (405) → form parse: percent-escapes,
 *   NUL, UTF-8, control characters, field sizes (400) → session → CSRF + Origin on
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
#include "router.h"
#include "session.h"
#include "staff_session.h"
#include "template.h"
#include "terms.h"
#include "worker.h"

/* A request that takes this long is logged whatever its status. */
#define SLOW_MS		1000

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

/* Read and parse the POST body (urlencoded only). 0, 400, 413 or 500. */
static int
body_parse(struct req *r)
{
	const char	*ct = FCGX_GetParam("CONTENT_TYPE", cur->envp);
	const char	*cl = FCGX_GetParam("CONTENT_LENGTH", cur->envp);
	long long	 len = 0;
	char		*body;
	int		 n, rc;

	if (cl != NULL && cl[0] != '\0' &&
	    util_parse_int(cl, 0, 1LL << 40, &len) != 0) {
		log_warn("bad request: bad Content-Length");
		return 400;
	}
	if (len > config_int("Server.MaxBody")) {
		log_warn("request body of %lld bytes refused", len);
		return 413;
	}
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
 * change token, a deletion request's contact link, a CAPTCHA challenge): the
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
	};
	size_t	 i;

	if (r->path == NULL)
		return 0;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(r->path, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
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

static void
send_error(struct req *r, int status)
{
	struct buf	 out = { 0 };
	char		 key[64];
	const char	*msg;

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
	} else {
		snprintf(key, sizeof(key), "Error.S%d.Message", status);
		msg = req_text(r, key);
	}
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

static void
send_redirect(struct req *r)
{
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
	if ((r->route->flags & R_MEMBER) &&
	    (r->sess == NULL || r->sess->state == NULL ||
	    strcmp(r->sess->state, "active") != 0)) {
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
	return r->route->fn(r);
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
		response_open(&r, 200, r.content_type ? r.content_type :
		    "application/octet-stream", r.body.len);
		if (strcmp(r.method, "HEAD") != 0 && r.body.len > 0)
			FCGX_PutStr(r.body.data, (int)r.body.len, fr->out);
		st = 200;
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
	free(r.path);
	buf_free(&r.headers);
	/* A raw body may be a verification image (staff_image.c): no copy of it
	 * stays in this process's heap. */
	if (r.body.data != NULL)
		util_wipe(r.body.data, r.body.len);
	buf_free(&r.body);
	log_set_request(NULL);
	cur = NULL;
}
