/*
 * oidc_acr.h — which acr a member can be given now, and what she must do
 * first when not (issue 15 item 2; docs/oidc.md "Authorization, acr and
 * consent").
 *
 * Levels (accounts.level) and acr values: 1 urn:kenpo:acr:insurer,
 * 2 urn:kenpo:acr:identity, 3 urn:kenpo:acr:sensitive. A level is fresh now
 * when the member has it and:
 *   1, 2: the primary authentication (sessions.auth_time) is within
 *         OIDC.MaxAge.Insurer / .Identity seconds (0: any live session);
 *   3:    a step-up (sessions.stepup_at) within OIDC.MaxAge.Sensitive, and
 *         her secret question is there and not locked (stepup.h).
 *
 * The pure part (oidc_acr_decide, oidc_acr_claims) reads only its arguments:
 * tests/unit/t_oidc_acr.c; the claims parser is fuzzed
 * (tests/fuzz/fuzz_oidc_claims.c).
 */
#ifndef KENPO_OIDC_ACR_H
#define KENPO_OIDC_ACR_H

#include <stddef.h>

struct req;

/* Where the member stands (oidc_acr_context fills it from the session). */
struct oidc_acr_ctx {
	int		 level;		/* 0 (cannot use the provider) .. 3 */
	long long	 now;		/* unix time */
	long long	 auth_time;	/* the session's primary authentication; 0 none */
	long long	 stepup_time;	/* its last step-up; 0 none */
	int		 kba_usable;	/* level 3 with a secret question not locked */
	long long	 maxage[4];	/* [1..3]: OIDC.MaxAge.Insurer, .Identity,
					   .Sensitive (seconds; 0 for 1, 2: any) */
};

/* What the client asks. */
struct oidc_acr_req {
	int		 min_level;	/* the client's min_acr (1..3) */
	int		 essential;	/* claims id_token.acr essential: the lowest
					   level among its values; 0 none;
					   OIDC_ACR_UNKNOWN none we know */
	long long	 max_age;	/* seconds, or -1 when not given */
	int		 force_login;	/* prompt=login (select_account) */
	long long	 since;		/* when the request was made: a primary
					   authentication at or after it satisfies
					   max_age and prompt=login */
};

#define OIDC_ACR_UNKNOWN	99	/* an essential acr we do not have */

enum oidc_acr_decision {
	OIDC_ACR_GRANT = 0,	/* *granted is the acr level to put in the code */
	OIDC_ACR_UNMET,		/* she does not have the level: say how to get it */
	OIDC_ACR_REAUTH,	/* the primary factor again (password) */
	OIDC_ACR_STEPUP,	/* the step-up only (/sensitive/stepup) */
};

/* 1 when level (1..3) is fresh for ctx (the comment at the top), else 0. */
int	 oidc_acr_fresh(const struct oidc_acr_ctx *ctx, int level);
/*
 * The decision for ctx and q: the required level R = max(min_level,
 * essential); L < R (or an unknown essential acr) → UNMET; no primary
 * authentication, one older than max_age or before a prompt=login, or one
 * older than the max age of R (R ≤ 2) → REAUTH; R = 3 without a fresh
 * step-up → STEPUP (UNMET when the question is locked); else GRANT with
 * *granted the highest level fresh now (≥ R). *required (may be NULL) gets R.
 */
enum oidc_acr_decision oidc_acr_decide(const struct oidc_acr_ctx *ctx,
	    const struct oidc_acr_req *q, int *required, int *granted);

/*
 * Parse the claims request parameter (OpenID Connect Core 5.5): len bytes of
 * JSON. *essential gets the level of id_token.acr when it is essential (the
 * lowest of its "value"/"values" we know; OIDC_ACR_UNKNOWN when none is
 * ours), else 0. Voluntary acr claims and userinfo members are accepted and
 * ignored. 0, or -1 when it is not a JSON object, or id_token / acr / value /
 * values / essential has the wrong type.
 */
int	 oidc_acr_claims(const char *json, size_t len, int *essential);

/*
 * ctx for the request's session and its member's level (0..3; the caller
 * passes 0 for an account that cannot use the provider): times from the
 * session, the max ages from the configuration, the state of the secret
 * question (stepup.h). 0 or a db_status.
 */
int	 oidc_acr_context(struct req *, int level, struct oidc_acr_ctx *ctx);

#endif
