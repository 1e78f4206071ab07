/*
 * oidc_acr.c — the acr decision of the authorization endpoint (oidc_acr.h).
 */
#include "autoconf.h"
#include "oidc_acr.h"

#include <string.h>
#include <time.h>

#include <jansson.h>

#include "config.h"
#include "oidc.h"
#include "request.h"
#include "session.h"
#include "stepup.h"

int
oidc_acr_fresh(const struct oidc_acr_ctx *c, int level)
{
	if (level < 1 || level > 3 || level > c->level)
		return 0;
	if (level == 3)
		return c->kba_usable && c->stepup_time > 0 &&
		    c->now - c->stepup_time <= c->maxage[3];
	return c->auth_time > 0 &&
	    (c->maxage[level] == 0 || c->now - c->auth_time <= c->maxage[level]);
}

enum oidc_acr_decision
oidc_acr_decide(const struct oidc_acr_ctx *c, const struct oidc_acr_req *q,
    int *required, int *granted)
{
	int	 r = q->min_level < 1 ? 1 : q->min_level, l;

	if (q->essential > r)
		r = q->essential;
	if (required != NULL)
		*required = r;
	*granted = 0;
	if (r > 3 || c->level < r)
		return OIDC_ACR_UNMET;
	/* The primary factor first: a step-up proves nothing alone. */
	if (c->auth_time <= 0)
		return OIDC_ACR_REAUTH;
	if (q->force_login && c->auth_time < q->since)
		return OIDC_ACR_REAUTH;
	if (q->max_age >= 0 && c->now - c->auth_time > q->max_age &&
	    c->auth_time < q->since)
		return OIDC_ACR_REAUTH;
	if (r <= 2 && !oidc_acr_fresh(c, r))
		return OIDC_ACR_REAUTH;
	if (r == 3 && !c->kba_usable)
		return OIDC_ACR_UNMET;	/* locked: only a new level 3 helps */
	if (r == 3 && !oidc_acr_fresh(c, 3))
		return OIDC_ACR_STEPUP;
	for (l = c->level; l > r; l--)
		if (oidc_acr_fresh(c, l))
			break;
	*granted = l;
	return OIDC_ACR_GRANT;
}

/* The level of one acr string, OIDC_ACR_UNKNOWN for another; -1 not a string. */
static int
acr_string_level(const json_t *v)
{
	int	 l;

	if (!json_is_string(v))
		return -1;
	l = oidc_acr_level(json_string_value(v));
	return l > 0 ? l : OIDC_ACR_UNKNOWN;
}

int
oidc_acr_claims(const char *json, size_t len, int *essential)
{
	json_t		*root, *idt, *acr, *v, *e, *x;
	json_error_t	 err;
	size_t		 i;
	int		 st = -1, lowest = OIDC_ACR_UNKNOWN, l;

	*essential = 0;
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL || !json_is_object(root))
		goto out;
	if ((idt = json_object_get(root, "id_token")) == NULL ||
	    json_is_null(idt)) {
		st = 0;
		goto out;
	}
	if (!json_is_object(idt))
		goto out;
	if ((acr = json_object_get(idt, "acr")) == NULL || json_is_null(acr)) {
		st = 0;
		goto out;
	}
	if (!json_is_object(acr))
		goto out;
	e = json_object_get(acr, "essential");
	if (e != NULL && !json_is_boolean(e))
		goto out;
	if ((v = json_object_get(acr, "value")) != NULL) {
		if ((l = acr_string_level(v)) < 0)
			goto out;
		lowest = l;
	}
	if ((v = json_object_get(acr, "values")) != NULL) {
		if (!json_is_array(v))
			goto out;
		json_array_foreach(v, i, x) {
			if ((l = acr_string_level(x)) < 0)
				goto out;
			if (l < lowest)
				lowest = l;
		}
	}
	st = 0;
	if (e == NULL || !json_is_true(e))
		goto out;	/* voluntary: what she has fresh is given */
	/* Essential without a value: any acr of ours will do. */
	if (json_object_get(acr, "value") == NULL &&
	    json_object_get(acr, "values") == NULL)
		lowest = 1;
	*essential = lowest;
 out:
	json_decref(root);
	return st;
}

int
oidc_acr_context(struct req *r, int level, struct oidc_acr_ctx *c)
{
	int	 st;

	memset(c, 0, sizeof(*c));
	c->level = level;
	c->now = (long long)time(NULL);
	c->maxage[1] = config_int("OIDC.MaxAge.Insurer");
	c->maxage[2] = config_int("OIDC.MaxAge.Identity");
	c->maxage[3] = config_int("OIDC.MaxAge.Sensitive");
	if (r->sess == NULL)
		return 0;
	c->auth_time = r->sess->auth_time;
	c->stepup_time = r->sess->stepup_time;
	if (level >= 3) {
		if ((st = stepup_state(r, r->sess->account_id, NULL, NULL,
		    NULL)) < 0)
			return st;
		c->kba_usable = st == STEPUP_NEEDED || st == STEPUP_FRESH;
	}
	return 0;
}
