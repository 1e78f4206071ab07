/*
 * GET, POST /account/verify[?done=1] — 本人確認 from the member area (SPEC §5,
 * seed 001 p.12–16) for an account that finished signup at the 団体ID認証 level
 * (insurer number only, level 1, no roster person: signup_eligibility.c).
 *
 * The insurer is the account's own (seed Q8: a wrong insurer number means
 * withdrawing and signing up again; the page says so); the form asks the card's
 * boxes in that insurer's pattern, the name in katakana and the birthdate, and
 * runs the very check of signup step 3 (src/eligibility.c), with the same
 * counter: failed checks of both pages count together, Signup.EligibilityTries
 * of them within Signup.EligibilityHours lock it.
 *
 * Outcomes (each its own text):
 *   - form errors per field, nothing counted;
 *   - not found / not qualified: counted, audited verify.eligibility_fail, with
 *     the tries left or the lock, as on step 3;
 *   - bound to another account: counted likewise; the page says the person
 *     completed this check with another address (log in with it), which is what
 *     step 3 says too: nothing more is told about the other account;
 *   - locked: nothing checked, the hours left and the inquiry link;
 *   - success: one transaction binds the person (accounts.roster_id, UNIQUE:
 *     two accounts can never bind the same person; the loser of a race gets the
 *     "bound" outcome, audited verify.bind_taken, not counted), raises the level
 *     to 2 (本人確認済み) and queues the mail account_verified; audited
 *     account.verified; a new session starts (privilege change); 303 →
 *     /account/verify?done=1.
 * An account already at 本人確認 (or above) gets the page saying so; a 未所属
 * one is told that a new insurer (a new personal ID) means a new signup (seed
 * Q5); an insurer that no longer offers the service: the page says so. None of
 * them gets the form, and a POST changes nothing there. Returns 200, 303, or
 * 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "eligibility.h"
#include "insurer.h"
#include "member.h"
#include "request.h"
#include "roster.h"
#include "router.h"
#include "session.h"

enum verify_bind { VB_OK, VB_GONE };

struct vbind {
	const struct member	*m;
	const struct insurer	*ins;
	long long		 roster_id;
	int			 result;
};

/* In db_txn: bind the person and queue the mail. 0, DB_DUP or a db_status. */
static int
bind_fn(void *arg)
{
	struct vbind	*b = arg;
	HDF		*vars;
	char		*top;
	long long	 n;
	int		 st;

	b->result = VB_GONE;
	n = db_exec("UPDATE accounts SET roster_id = ?, level = GREATEST(level, 2)"
	    " WHERE id = ? AND state = 'active' AND roster_id IS NULL"
	    " AND insurer_id = ?", "iii", b->roster_id, b->m->id, b->ins->id);
	if (n < 0)
		return (int)n;	/* DB_DUP: bound by another account meanwhile */
	if (n == 0)
		return 0;
	if ((vars = member_vars()) == NULL)
		return DB_ERR;
	top = config_url("/top");
	st = (member_var(vars, "Mail.Insurer", b->ins->name) |
	    member_var(vars, "Mail.TopURL", top)) != 0 ? DB_ERR : 0;
	free(top);
	if (st == 0)
		st = member_mail(b->m->email, b->m->lang, "account_verified", vars);
	hdf_destroy(&vars);
	if (st == 0)
		b->result = VB_OK;
	return st;
}

/* The check passed with hit: bind, or show why not. */
static int
bind(struct req *r, const struct member *m, const struct insurer *ins,
    const struct roster_hit *hit)
{
	struct vbind	 b;
	int		 st;

	memset(&b, 0, sizeof(b));
	b.m = m;
	b.ins = ins;
	b.roster_id = hit->roster_id;
	st = db_txn(bind_fn, &b);
	if (st == DB_DUP) {
		audit(r, "verify.bind_taken", m->id);
		req_set(r, "Elig.Outcome", "bound");
		return 200;
	}
	if (st < 0)
		return req_db_error(r, st);
	if (b.result != VB_OK)	/* verified meanwhile (another tab) */
		return req_redirect(r, "/account/verify");
	audit(r, "account.verified", m->id);
	if ((st = session_start(r, m->id)) != 0)
		return req_db_error(r, st);
	return req_redirect(r, "/account/verify?done=1");
}

int
page_account_verify(struct req *r)
{
	struct member	 m;
	struct insurer	 ins;
	struct elig_state es;
	struct roster_hit hit;
	const char	*done;
	int		 st;

	memset(&ins, 0, sizeof(ins));
	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/login");
	r->template = "account_verify";
	req_set(r, "Verify.Email", m.email);
	if (m.name_kana != NULL || m.level >= 2) {
		req_set(r, "Verify.State", m.unaffiliated ? "unaffiliated" : "done");
		done = req_param(r, "done");
		if (done != NULL && strcmp(done, "1") == 0 && !m.unaffiliated)
			req_set(r, "Verify.JustDone", "1");
		st = 200;
		goto out;
	}
	if (m.insurer_id == 0 || (st = insurer_find_id(m.insurer_id, &ins)) == 0 ||
	    (st > 0 && !ins.adopted)) {
		req_set(r, "Verify.State", "unavailable");
		st = 200;
		goto out;
	}
	if (st < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	req_set(r, "Verify.State", "form");
	req_set(r, "Verify.Insurer", ins.name);
	req_set(r, "Verify.InsurerNumber", ins.number);
	req_set_int(r, "Elig.Pattern", ins.card_pattern);
	if ((st = eligibility_state(m.id, &es)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	eligibility_show_lock(r, &es);
	if (strcmp(r->method, "POST") != 0) {
		st = 200;
		goto out;
	}
	eligibility_keep_values(r);
	if (es.locked) {
		req_set(r, "Elig.Outcome", "locked");
		st = 200;
		goto out;
	}
	st = eligibility_check(r, m.id, &ins, "verify.eligibility_fail", &hit);
	if (st < 0)
		st = req_db_error(r, st);
	else if (st == ELIG_OK)
		st = bind(r, &m, &ins, &hit);
	else
		st = 200;
 out:
	insurer_free(&ins);
	member_free(&m);
	return st;
}
