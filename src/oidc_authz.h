/*
 * oidc_authz.h — the authorization endpoint's flow (OpenID Connect Core
 * 3.1.2; issue 15 items 1–2; docs/oidc.md "Authorization, acr and consent"),
 * shared by its pages:
 *
 *   /oidc/authorize                checks the request (client and
 *                                  redirect_uri first: until both are known
 *                                  an error is a page, never a redirect),
 *                                  stores it (oidc_requests) and continues it;
 *   /oidc/authorize/resume/<h>     continues it after whatever the member had
 *                                  to do (login, terms, step-up, re-entering
 *                                  the password): the path is plain enough
 *                                  for every next= of the site;
 *   /oidc/consent                  her answer to the consent page (allow,
 *                                  deny) or to the page of a level she does
 *                                  not have (back to the service);
 *   /oidc/reauth                   the password again (max_age, prompt=login).
 *
 * oidc_authz_continue decides, in this order: a session of an active member
 * (else login, or signup's next step, as /login does), the terms (/consent),
 * the level and freshness (oidc_acr.h: the page of a level she lacks,
 * /oidc/reauth, /sensitive/stepup), consent (first use of the client, new
 * scopes, prompt=consent), then a code (oidc_codes, what /oidc/token
 * redeems) and the redirect to the client. With prompt=none anything to ask
 * is an error to the client instead: login_required, consent_required,
 * interaction_required, unmet_authentication_requirements.
 *
 * Answers to the client carry state and iss (RFC 9207; the issuer is
 * Service.BaseURL without a trailing /, as discovery says); a request is
 * answered once (oidc_requests.used_at).
 */
#ifndef KENPO_OIDC_AUTHZ_H
#define KENPO_OIDC_AUTHZ_H

#include "oidc.h"

struct req;

#define OIDC_HANDLE_LEN		64	/* hex of 32 random bytes */
#define OIDC_RESUME_PREFIX	"/oidc/authorize/resume/"
/* The browser an authorization request was begun in (oidc_authz_bind). */
#define OIDC_BROWSER_COOKIE	"oab"

enum oidc_prompt {
	OIDC_PROMPT_NONE	= 1 << 0,
	OIDC_PROMPT_LOGIN	= 1 << 1,	/* also select_account */
	OIDC_PROMPT_CONSENT	= 1 << 2,
};

/* A checked authorization request. */
struct oidc_authz {
	long long	 id;		/* oidc_requests.id; 0 until stored */
	char		 handle[OIDC_HANDLE_LEN + 1];
	long long	 since;		/* unix time it was stored */
	struct oidc_client client;
	char		*redirect_uri;
	char		*scope;		/* the known scopes asked, "openid …" */
	char		*state;		/* NULL when not given */
	char		*nonce;		/* NULL when not given */
	char		*code_challenge; /* S256; NULL when not given */
	int		 prompt;	/* enum oidc_prompt bits */
	long long	 max_age;	/* -1 when not given */
	int		 essential;	/* essential acr level from claims; 0 none */
	char		 browser[65];	/* SHA-256 hex of the browser's cookie
					   OIDC_BROWSER_COOKIE; "" none */
};

void	 oidc_authz_free(struct oidc_authz *);
/* Store a (a new handle, OIDC.RequestSeconds). 0 or a db_status. */
int	 oidc_authz_store(struct oidc_authz *a);
/*
 * Load the request of handle (64 hex digits) not yet answered and not
 * expired. 1 found, 0 not (malformed, unknown, answered, expired: logged),
 * or a db_status.
 */
int	 oidc_authz_load(const char *handle, struct oidc_authz *a);

/*
 * Bind a (before oidc_authz_store) to the request's browser: the cookie
 * OIDC_BROWSER_COOKIE (a random token for the browser session, set here when
 * the browser has none) is what the request remembers, as its SHA-256. The
 * handle alone then continues nothing: whoever learnt it (a log, a shared
 * URL) could otherwise finish the request with a member session of their
 * own, and the relying party would take that member's code in the browser
 * that began it (the state and PKCE are that browser's).
 */
void	 oidc_authz_bind(struct req *, struct oidc_authz *a);
/*
 * 1 when the request's browser is the one a was begun in (or a predates the
 * binding), else 0 (logged): the pages of the flow (resume, consent, reauth)
 * then answer as for a request that is gone, and a stays as it was.
 */
int	 oidc_authz_browser_ok(struct req *, const struct oidc_authz *a);

/*
 * Answer the client with error (an OAuth/OpenID error code) and description
 * (plain ASCII, may be NULL), as query parameters of its redirect_uri with
 * state and iss. A stored request is marked answered; one answered meanwhile
 * gives the expired-request page instead. Logged (the error, the client).
 * Returns 303, or an error status.
 */
int	 oidc_authz_error(struct req *, struct oidc_authz *a, const char *error,
	    const char *description);
/*
 * Go on with stored request a for the request's browser (the comment at the
 * top). consented: the member has just allowed it on the consent page.
 * Returns 200 (a page: consent, the level she lacks), 303, or an error.
 */
int	 oidc_authz_continue(struct req *, struct oidc_authz *a, int consented);
/* The page for a missing, expired or answered request: 400, logged. */
int	 oidc_authz_gone(struct req *);

/*
 * For a page on the way (login, step-up, terms) whose next (a local path,
 * may be NULL) resumes a live authorization request begun in this browser
 * (oidc_authz_browser_ok; another browser's is logged and ignored): its CSP
 * form-action gets
 * the origin ("https://host:port") of the request's redirect_uri (when the
 * page set none), and OIDC.Via.Client (the service's name) and
 * OIDC.Via.Handle are set, so that layout.cs tells her which service she is
 * logging in to and the step-up page can offer the way back to it. Nothing
 * for any other next.
 */
void	 oidc_authz_next_page(struct req *, const char *next);
/* The origin of uri, malloc'd, or NULL when it has none we can name. */
char	*oidc_authz_origin(const char *uri);

/* The text of the scope's items for the consent and connected-services
 * pages: Prefix.<n> = L.OIDC.Scope.<scope>, the identifier always first. */
void	 oidc_authz_scope_list(struct req *, const char *scope, const char *prefix);

#endif
