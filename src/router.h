/*
 * router.h — the one table of routes (routes.def). Each route names its path
 * pattern ('*' matches exactly one non-empty path segment), the methods it accepts,
 * its handler and its flags. request.c checks methods and flags before any handler
 * runs, in one place.
 */
#ifndef KENPO_ROUTER_H
#define KENPO_ROUTER_H

struct req;

typedef int	(*page_fn)(struct req *);

enum route_flag {
	R_GET		= 1 << 0,
	R_POST		= 1 << 1,
	R_MEMBER	= 1 << 2,	/* needs a session of an active account */
	R_NOCSRF	= 1 << 3,	/* POST without CSRF and Origin check (unsubscribe) */
	R_NOSTORE	= 1 << 4,	/* Cache-Control: no-store */
	R_NOSESSION	= 1 << 5,	/* do not load the session (healthz, metrics, static-like) */
	R_NOCONSENT	= 1 << 6,	/* R_MEMBER route served while terms are due (terms.h) */
	R_ONECLICK	= 1 << 7,	/* also a multipart/form-data body: RFC 8058 one-click */
	R_UPLOAD	= 1 << 8,	/* POST body multipart/form-data only, with files:
					 * Verify.MaxRequestBytes, Verify.MaxImageBytes
					 * per file (request.h: req_file) */
	R_STAFF		= 1 << 9,	/* staff console: needs a staff session (staff_routes.def) */
	R_API		= 1 << 10,	/* a machine endpoint (OIDC token, userinfo …): the
					 * pipeline's refusals (400, 405, 413, 500, 503) are
					 * JSON {"error": …} (RFC 6749 §5.2), not a page */
	R_JSON		= 1 << 11,	/* POST body application/json within REQ_JSON_MAX
					 * (request.h: r->json); the CSRF token may come in
					 * the header X-CSRF-Token */
};

struct route {
	const char	*pattern;
	const char	*name;		/* for logs: never the raw path (tokens!) */
	page_fn		 fn;
	unsigned	 flags;
};

/* Handler prototypes, one per route. */
#define ROUTE(pat, name, fn, flags)	int fn(struct req *);
#include "routes.def"
#include "staff_routes.def"
#undef ROUTE

/*
 * Find the route for path. Returns it and sets *arg to a malloc'd copy of the '*'
 * segment (or NULL); NULL when no pattern matches.
 */
const struct route *router_match(const char *path, char **arg);
/* The same over the staff console's table (staff_routes.def): the only table
 * a staff worker consults, and one the public workers never do. */
const struct route *router_match_staff(const char *path, char **arg);

#endif
