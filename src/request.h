/*
 * request.h — one HTTP request as a page handler sees it, and the response it builds.
 *
 * The pipeline (request.c) has already: limited the body size, parsed the form,
 * rejected invalid UTF-8 / control characters / overlong fields (400), matched the
 * route (404/405), loaded the session, checked CSRF and Origin for POST (403), and
 * checked the route's access flags. A handler then reads validated input with
 * req_param(), sets template data with req_set*(), and returns an HTTP status:
 *
 *   200          render r->template ("signup" → templates/pages/signup.cs)
 *   303          redirect to r->location (set by req_redirect())
 *   400…503      the Japanese error page for that status (r->error_key may name
 *                the message under L.Error.*)
 *   REQ_RAW      the handler filled r->body and r->content_type itself (images,
 *                text, JSON), with r->raw_status when it is not 200
 *
 * A handler never writes to the client directly and never exits the process.
 *
 * The functions below (req.c) only read and write struct req. The modules the
 * pipeline calls (session.c) use them as handlers do; none of them calls back
 * into request.c, whose only entry is request_handle (worker.h).
 */
#ifndef KENPO_REQUEST_H
#define KENPO_REQUEST_H

#include <ClearSilver.h>
#include "util.h"

#define REQ_RAW		1
/* The largest body of an R_JSON route (the WebAuthn ceremonies). */
#define REQ_JSON_MAX	16384

struct route;
struct session;
struct staff_session;
struct multipart;

/*
 * A file part of a multipart/form-data body (an R_UPLOAD route). filename and
 * content_type are the client's claims, never to be trusted (either may be
 * NULL or ""); data holds len bytes of anything, len > 0.
 */
struct req_file {
	const char		*name;
	const char		*filename;
	const char		*content_type;
	const unsigned char	*data;
	size_t			 len;
};

struct req {
	HDF		*hdf;		/* request data: Query.*, Cookie.*, page data */
	char		**envp;		/* FastCGI params (HTTP_* headers): req_header */
	const struct route *route;
	char		 id[17];	/* request id, 16 hex digits */
	const char	*method;
	char		*path;		/* path without query string (do not modify) */
	char		*arg;		/* value of the route's '*' segment, or NULL */
	char		 ip[64];	/* client address (REMOTE_ADDR or via trusted proxy) */
	const char	*lang;		/* "ja" or "en" */
	struct session	*sess;		/* loaded session, or NULL */
	struct staff_session *staff;	/* the staff console's session (staff workers), or NULL */
	const char	*csrf_secret;	/* CSRF binding of a staff session (session.c), or NULL */
	int		 console;	/* served on the staff listener (Staff.Socket) */
	int		 https;		/* the client used HTTPS (cookies get Secure) */
	/* an R_UPLOAD route's body (request.c): the parts point into it */
	unsigned char	*upload_body;
	struct multipart *upload;
	struct req_file	*files;		/* its file parts, in body order */
	size_t		 nfiles;
	/* an R_JSON route's body: json_len bytes, NUL-terminated, no NUL inside,
	 * valid UTF-8 (not yet parsed); NULL when the POST had none */
	char		*json;
	size_t		 json_len;

	/* response */
	const char	*template;
	char		*location;
	int		 location_client; /* location is a relying party's registered
					   redirect_uri (req_redirect_client) */
	const char	*error_key;	/* L.Error.<key> shown on an error page */
	char		*form_action;	/* malloc'd origin added to the CSP's
					   form-action (a page in an OpenID
					   Connect flow: its forms end at the
					   relying party), or NULL */
	struct buf	 headers;	/* extra header lines, each ending in \r\n */
	struct buf	 body;		/* for REQ_RAW */
	const char	*content_type;	/* for REQ_RAW */
	int		 raw_status;	/* for REQ_RAW: the status to send (0: 200);
					 * a 303 sends r->headers' Location as it is
					 * (an OIDC client's registered URI) */
	int		 nostore;	/* Cache-Control: no-store (member pages) */
	int		 public_max_age; /* > 0: "public, max-age=N" for a public
					   document (OIDC discovery, JWKS) */
	int		 retry_after;	/* seconds, for a 503 (0: the default) */
	int		 nerrors;	/* form errors recorded */
};

/* The validated value of a form/query field; NULL if absent. Never contains NUL,
 * control characters or invalid UTF-8. Empty string if sent empty. */
const char	*req_param(struct req *, const char *name);
/*
 * The first file part called name of a multipart/form-data body (R_UPLOAD
 * routes only, each within Verify.MaxImageBytes); NULL when there is none or
 * it is empty (a file input left blank). Valid until the request ends. The
 * text parts of the same body are read with req_param.
 */
const struct req_file *req_file(struct req *, const char *name);
/* Same, with surrounding ASCII/ideographic space trimmed, NULL if empty. */
const char	*req_param_trim(struct req *, const char *name);
/* A request header (e.g. "Origin", "Accept-Language"), or NULL. */
const char	*req_header(struct req *, const char *name);
/* A cookie value (as sent; not URL-decoded), or NULL. */
const char	*req_cookie(struct req *, const char *name);

/* Template data. */
void		 req_set(struct req *, const char *key, const char *value);
void		 req_setf(struct req *, const char *key, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
void		 req_set_int(struct req *, const char *key, long long value);

/* The UI text for key (e.g. "Signup.Title") in the request's language. Never NULL:
 * a missing key yields the key itself and a warning in the log. */
const char	*req_text(struct req *, const char *key);
/*
 * req_text with "{name}" placeholders replaced from vars (name, value, …, NULL;
 * an unknown name stays as it is). malloc'd, never NULL.
 */
char		*req_text_vars(struct req *, const char *key, const char *const *vars);
/* Template data key = req_text_vars(textkey, vars). */
void		 req_set_text(struct req *, const char *key, const char *textkey,
		    const char *const *vars);

/*
 * Record a form error for field (shown next to it and in the summary at the top):
 * Form.Errors.<field> = text of L.<key>; also appended to Form.ErrorList.
 */
void		 req_form_error(struct req *, const char *field, const char *key);
/* req_form_error with the placeholders of req_text_vars filled in. */
void		 req_form_error_vars(struct req *, const char *field, const char *key,
		    const char *const *vars);

/* Set a response header line ("Name: value"); value must not contain CR/LF. */
void		 req_add_header(struct req *, const char *name, const char *value);
/*
 * Set a cookie. Name is given without prefix; the "__Host-" prefix and Secure are
 * added behind HTTPS. Path=/, HttpOnly always; SameSite=Lax on the public site
 * (members arrive from mail links), SameSite=Strict on the staff console (no
 * other site's link or page may use a reviewer's session, not even to open a
 * photo: every view is audited in her name). max_age < 0: session cookie; 0:
 * delete.
 */
void		 req_set_cookie(struct req *, const char *name, const char *value,
		    long max_age);
/* Same lookup rules as req_set_cookie (handles the __Host- prefix). */
const char	*req_get_cookie(struct req *, const char *name);

/* Redirect (303 See Other) to a local path; returns 303. */
int		 req_redirect(struct req *, const char *path_fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/*
 * Redirect (303) to url, a relying party's redirect_uri that the caller has
 * matched against the registered ones (OpenID Connect authorize), with its
 * parameters already percent-encoded. The response refuses (500) a url with a
 * control character or a space, or one not starting with http:// or https://.
 * Returns 303.
 */
int		 req_redirect_client(struct req *, const char *url);
/* Return status with L.Error.<key> as the message. */
int		 req_error(struct req *, int status, const char *key);
/* Map a db_status to the right HTTP outcome (503 for DB_DOWN, 500 otherwise). */
int		 req_db_error(struct req *, int dbstatus);
/* The hashing pool is full (CRYPTO_BUSY): 503 with a short Retry-After and a
 * message asking to send the form again in a moment. */
int		 req_busy(struct req *);
/* After crypto_password_hash returned NULL: req_busy when the pool was full
 * (errno EAGAIN), else 500. */
int		 req_hash_failed(struct req *);

#endif
