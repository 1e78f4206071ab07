/*
 * stepup.c — the secret question's step-up (see stepup.h).
 */
#include "autoconf.h"
#include "stepup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "member.h"
#include "normalize.h"
#include "request.h"
#include "session.h"
#include "util.h"

int
stepup_state(struct req *r, long long account_id, int *tries_left,
    char **question, int *preset)
{
	struct db_res	*res = NULL;
	long long	 tries = config_int("Verify.StepUpTries");
	const char	*hash = r->sess != NULL ? r->sess->id_hash : "";
	const char	*q;
	int		 st;

	if (question != NULL)
		*question = NULL;
	if (preset != NULL)
		*preset = 0;
	if (tries_left != NULL)
		*tries_left = 0;
	st = db_query(&res, "SELECT q.locked_at IS NOT NULL, q.failures,"
	    " (SELECT COUNT(*) FROM sessions s WHERE s.id_hash = ?"
	    "  AND s.account_id = q.account_id AND s.stepup_at IS NOT NULL"
	    "  AND s.stepup_at >= NOW(6) - INTERVAL ? MINUTE),"
	    " q.question, q.preset FROM secret_questions q WHERE q.account_id = ?",
	    "sii", hash, config_int("Verify.StepUpMinutes"), account_id);
	if (st < 0)
		return st;
	if ((st = db_res_next(res)) <= 0)
		goto out;	/* 0: STEPUP_NONE */
	if (question != NULL && (q = db_res_str(res, 3)) != NULL)
		*question = xstrdup(q);
	if (preset != NULL)
		*preset = (int)db_res_int(res, 4);
	if (db_res_int(res, 0) || db_res_int(res, 1) >= tries)
		st = STEPUP_LOCKED;
	else {
		if (tries_left != NULL)
			*tries_left = (int)(tries - db_res_int(res, 1));
		st = db_res_int(res, 2) > 0 ? STEPUP_FRESH : STEPUP_NEEDED;
	}
 out:
	db_res_free(res);
	return st;
}

struct count {
	struct req	*r;
	long long	 account_id;
	long long	 tries;
	char		*hash;		/* out: the stored answer hash */
	long long	 audit_id;	/* out */
	int		 result;	/* out: STEPUP_* when nothing is to check */
};

/* In db_txn: count the attempt as wrong before checking it. */
static int
count_fn(void *arg)
{
	struct count	*c = arg;
	struct db_res	*res = NULL;
	long long	 n;
	int		 st;

	free(c->hash);
	c->hash = NULL;
	c->result = -1;
	st = db_query(&res, "SELECT locked_at IS NOT NULL, failures, answer_hash"
	    " FROM secret_questions WHERE account_id = ? FOR UPDATE", "i",
	    c->account_id);
	if (st < 0)
		return st;
	if ((st = db_res_next(res)) < 0)
		goto out;
	if (st == 0) {
		c->result = STEPUP_NO_QUESTION;
		goto out;
	}
	if (db_res_int(res, 0) || db_res_int(res, 1) >= c->tries) {
		c->result = STEPUP_IS_LOCKED;
		st = 0;
		goto out;
	}
	c->hash = xstrdup(db_res_str(res, 2) != NULL ? db_res_str(res, 2) : "");
	db_res_free(res);
	res = NULL;
	n = db_exec("UPDATE secret_questions SET failures = failures + 1"
	    " WHERE account_id = ?", "i", c->account_id);
	if (n < 0) {
		st = (int)n;
		goto out;
	}
	if ((n = audit_open(c->r, "stepup.fail", c->account_id)) < 0) {
		st = (int)n;
		goto out;
	}
	c->audit_id = n;
	st = 0;
 out:
	db_res_free(res);
	return st;
}

struct settle {
	struct req	*r;
	const struct member *m;
	long long	 audit_id;
	long long	 tries;
	int		 outcome;	/* in: 1 right, 0 wrong, -1 not checked */
	int		 result;	/* out: STEPUP_* */
	int		 tries_left;	/* out */
};

/* In db_txn: the answer's outcome. */
static int
settle_fn(void *arg)
{
	struct settle	*s = arg;
	char		*url;
	HDF		*vars;
	long long	 n, failures = 0;
	int		 st;

	s->result = STEPUP_WRONG;
	s->tries_left = 0;
	if (s->outcome < 0) {
		s->result = STEPUP_BUSY;
		n = db_exec("UPDATE secret_questions SET failures ="
		    " GREATEST(failures - 1, 0) WHERE account_id = ?", "i",
		    s->m->id);
		return n < 0 ? (int)n : audit_settle(s->audit_id, NULL);
	}
	if (s->outcome == 1) {
		s->result = STEPUP_OK;
		if ((n = db_exec("UPDATE secret_questions SET failures = 0"
		    " WHERE account_id = ?", "i", s->m->id)) < 0 ||
		    (n = session_add_factor(s->r, "kba")) < 0)
			return (int)n;
		return audit_settle(s->audit_id, "stepup.ok");
	}
	if ((st = db_int(&failures, "SELECT failures FROM secret_questions"
	    " WHERE account_id = ? FOR UPDATE", "i", s->m->id)) < 0)
		return st;
	if (failures < s->tries) {
		s->tries_left = (int)(s->tries - failures);
		return 0;
	}
	n = db_exec("UPDATE secret_questions SET locked_at = NOW(6)"
	    " WHERE account_id = ? AND locked_at IS NULL", "i", s->m->id);
	if (n <= 0)
		return n < 0 ? (int)n : 0;
	s->result = STEPUP_NOW_LOCKED;
	if ((vars = member_vars()) == NULL)
		return DB_ERR;
	url = config_url("/verify");
	st = member_var(vars, "Mail.VerifyURL", url) != 0 ? DB_ERR : 0;
	free(url);
	if (st == 0)
		st = member_mail(s->m->email, s->m->lang, "stepup_locked", vars);
	hdf_destroy(&vars);
	if (st == 0 && (n = audit_open(s->r, "stepup.locked", s->m->id)) < 0)
		st = (int)n;
	return st;
}

int
stepup_answer(struct req *r, const struct member *m, const char *answer,
    int *tries_left)
{
	struct count	 c;
	struct settle	 s;
	char		*norm = NULL;
	int		 st, ok;

	*tries_left = 0;
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.account_id = m->id;
	c.tries = config_int("Verify.StepUpTries");
	if (r->sess == NULL)
		return DB_ERR;
	if ((st = db_txn(count_fn, &c)) < 0)
		goto out;
	if (c.result >= 0) {
		st = c.result;
		goto out;
	}
	norm = normalize_answer(answer);
	ok = crypto_password_verify(norm != NULL ? norm : "", c.hash, NULL);
	memset(&s, 0, sizeof(s));
	s.r = r;
	s.m = m;
	s.audit_id = c.audit_id;
	s.tries = c.tries;
	s.outcome = ok == CRYPTO_BUSY ? -1 : ok == 1 ? 1 : 0;
	if (ok == -1)
		log_err("stepup: the stored answer hash of account %lld is"
		    " malformed", m->id);
	if ((st = db_txn(settle_fn, &s)) < 0)
		goto out;
	*tries_left = s.tries_left;
	st = ok == -1 ? DB_ERR : s.result;
 out:
	util_free_secret(norm);
	free(c.hash);
	return st;
}
