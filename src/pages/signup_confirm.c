/*
 * GET, POST /signup/confirm — step 4 (最終確認): shows 氏名 (the roster's kana),
 * 生年月日 and 健康保険組合 of the person step 3 found, with "登録を完了する"
 * (action=complete) and "戻る" (action=back: the match is dropped, 303 → step 3,
 * whose form comes back filled in as typed: the sealed "sc" cookie of
 * signup_card.h; step 4 also repeats 保険者番号 and 記号・番号 from it).
 *
 * As on the seed's confirmation screen (seed 001 p.7) it also asks:
 *   - the insurer's own terms: 会員個別規約 and 独自ポイント特約 where the insurer
 *     has them published (terms.h) — here, because step 4 is where the insurer
 *     is known for sure (the roster person step 3 found) and nothing is bound
 *     before it; one checkbox each (agree_<version id>), all required: a
 *     complete without one answers 200 with the form error and binds nothing.
 *     Operator terms published since step 1 are listed too (the member has not
 *     agreed to them yet). The consents to exactly the versions shown are
 *     stored ("signup") in the binding's transaction;
 *   - お知らせメールを受け取る (notify, ticked when the page first shows):
 *     stored in accounts.notify in the same transaction.
 *
 * Completing binds the person in one transaction:
 *   UPDATE accounts SET roster_id = ?, state = 'active', level = 2, …
 *   WHERE id = ? AND state = 'verified'
 * The UNIQUE key on accounts.roster_id makes a second bind of the same person
 * impossible even when two accounts complete at the same moment: the loser gets
 * a duplicate key (DB_DUP), its match is dropped and it is sent to step 3 with
 * the "checked before with another address" outcome. The person must still be
 * qualified (the roster may have changed since step 3; the bind also writes
 * the roster row, so an import that changes it on another Galera node conflicts
 * with the bind instead of missing it). Success starts a new
 * session (privilege change) and answers 303 → /signup/complete.
 *
 * 団体ID認証 (SPEC §5): when step 3 chose to finish with the insurer number
 * alone (accounts.match_insurer_only), the page shows the insurer instead of a
 * person, with the same terms and opt-in, and completing makes the account
 * active at level 1 bound to no roster person (本人確認 later at
 * /account/verify), in the same transaction as the consents; audited
 * signup.complete_insurer_only. The insurer must still allow it (adopted,
 * insurer_id_only): if the operator turned it off meanwhile, the choice is
 * dropped and step 3 says so (outcome insurer_only_off).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "birthdate.h"
#include "db.h"
#include "log.h"
#include "metrics.h"
#include "request.h"
#include "roster.h"
#include "router.h"
#include "session.h"
#include "signup.h"
#include "signup_card.h"
#include "terms.h"
#include "util.h"

#define PREFIX	"Confirm.Terms"

enum bind_result { BIND_OK, BIND_GONE, BIND_NOT_QUALIFIED, BIND_INSURER_OFF };

struct bind {
	struct req	*r;
	long long	 account_id;
	const char	*today;
	int		 insurer_only;	/* step 3 chose the insurer number alone */
	int		 notify;
	int		 result;
	int		 consents;	/* out: consents stored */
};

static int
bind_fn(void *arg)
{
	struct bind	*b = arg;
	char		*c[3] = { NULL };
	long long	 n;
	int		 st, i;

	b->result = BIND_GONE;
	if (b->insurer_only) {
		n = db_exec("UPDATE accounts a JOIN insurers i ON i.id = a.insurer_id"
		    " SET a.state = 'active', a.level = GREATEST(a.level, 1),"
		    " a.activated_at = NOW(6), a.match_insurer_only = 0,"
		    " a.match_at = NULL"
		    " WHERE a.id = ? AND a.state = 'verified'"
		    " AND a.match_insurer_only = 1 AND a.roster_id IS NULL"
		    " AND i.adopted = 1 AND i.insurer_id_only = 1", "i",
		    b->account_id);
		if (n < 0)
			return (int)n;
		/* Not done: completed in another tab, or the setting is off. */
		b->result = n > 0 ? BIND_OK : BIND_INSURER_OFF;
		st = 0;
		if (b->result != BIND_OK)
			goto out;
		goto record;
	}
	st = db_row(c, 3, "SELECT r.id, r.insurer_id,"
	    " r.qualified_from <= ? AND (r.qualified_until IS NULL OR"
	    "  r.qualified_until > ?)"
	    " FROM accounts a JOIN roster r ON r.id = a.match_roster_id"
	    " WHERE a.id = ? AND a.state = 'verified' FOR UPDATE", "ssi",
	    b->today, b->today, b->account_id);
	if (st <= 0)
		goto out;
	if (c[2] == NULL || strcmp(c[2], "1") != 0) {
		b->result = BIND_NOT_QUALIFIED;
		st = 0;
		goto out;
	}
	n = db_exec("UPDATE accounts SET roster_id = ?, insurer_id = ?,"
	    " state = 'active', level = GREATEST(level, 2), activated_at = NOW(6),"
	    " match_roster_id = NULL, match_at = NULL"
	    " WHERE id = ? AND state = 'verified'", "ssi", c[0], c[1],
	    b->account_id);
	if (n < 0) {
		st = (int)n;	/* DB_DUP: bound by another account */
		goto out;
	}
	b->result = n > 0 ? BIND_OK : BIND_GONE;
	st = 0;
	if (b->result != BIND_OK)
		goto out;
	/*
	 * Bound because the roster says qualified: the FOR UPDATE above makes
	 * an import that ends the qualification wait on one server only.
	 * Galera: a certification key shared with that import (src/db.h).
	 */
	if ((st = roster_touch(strtoll(c[0], NULL, 10))) < 0)
		goto out;
 record:
	if ((n = db_exec("UPDATE accounts SET notify = ? WHERE id = ?", "ii",
	    (long long)b->notify, b->account_id)) < 0 ||
	    (n = terms_record(b->r, b->account_id, PREFIX, "signup")) < 0) {
		st = (int)n;
		goto out;
	}
	b->consents = (int)n;
 out:
	for (i = 0; i < 3; i++)
		free(c[i]);
	return st;
}

static int
drop_match(long long account_id)
{
	long long	 n;

	n = db_exec("UPDATE accounts SET match_roster_id = NULL, match_at = NULL,"
	    " match_insurer_only = 0 WHERE id = ? AND state = 'verified'", "i",
	    account_id);
	return n < 0 ? (int)n : 0;
}

/*
 * 戻る: step 3 refills its form from the sealed "sc" cookie step 3 set. A
 * browser without it (another one, or after SIGNUP_CARD_SECONDS) gets one made
 * from what step 3 stored for the match: the insurer number and the roster's
 * name and birthdate (the card's symbol and number are stored nowhere, so
 * those boxes stay empty). 0 or a db_status.
 */
static int
keep_for_back(struct req *r, long long account_id)
{
	char	*c[3] = { NULL };
	int	 st, i;

	if (signup_card_get(r, account_id, "Back.Typed")) {
		hdf_remove_tree(r->hdf, "Back.Typed");
		return 0;
	}
	st = db_row(c, 3, "SELECT i.number, r.name_kana, r.birthdate"
	    " FROM accounts a JOIN insurers i ON i.id = a.insurer_id"
	    " LEFT JOIN roster r ON r.id = a.match_roster_id"
	    " WHERE a.id = ? AND a.state = 'verified'", "i", account_id);
	if (st == 1)
		signup_card_put_person(r, account_id, c[0], c[1], c[2]);
	for (i = 0; i < 3; i++)
		util_free_secret(c[i]);
	return st < 0 ? st : 0;
}

/*
 * Page data: the found person, the address being registered and the terms to
 * agree to (PREFIX). Returns 200, 303 → step 3 without a match, or 500/503.
 */
/*
 * 保険者番号 and 記号・番号 as step 3 took them (the sealed "sc" cookie,
 * signup_card.h), for the member to re-check against her card (seed 001 p.7).
 * Shown in full: the page is the member's own, no-store, and the numbers are
 * kept nowhere else. pattern: the insurer's card pattern (1-4). Without the
 * cookie (another browser, or expired) only the insurer number is shown.
 */
static void
show_card(struct req *r, const char *insurer_number, int pattern)
{
	const char	*sym, *sym2, *num, *num2;
	char		*v;

	req_set(r, "Confirm.InsurerNumber", insurer_number);
	if (!signup_card_get(r, r->sess->account_id, "Confirm.Typed"))
		return;
	sym = hdf_get_value(r->hdf, "Confirm.Typed.symbol", "");
	sym2 = hdf_get_value(r->hdf, "Confirm.Typed.symbol2", "");
	num = hdf_get_value(r->hdf, "Confirm.Typed.number", "");
	num2 = hdf_get_value(r->hdf, "Confirm.Typed.number2", "");
	if (pattern == 3 || pattern == 4) {
		v = xasprintf("%s%s%s", sym, pattern == 3 && sym2[0] ? "-" : "",
		    pattern == 3 ? sym2 : "");
		req_set(r, "Confirm.Symbol", v);
		util_free_secret(v);
	}
	v = xasprintf("%s%s%s", num, pattern == 1 && num2[0] ? "-" : "",
	    pattern == 1 ? num2 : "");
	if (v[0] != '\0')
		req_set(r, "Confirm.Number", v);
	util_free_secret(v);
	hdf_remove_tree(r->hdf, "Confirm.Typed");
}

/*
 * Page data: the found person, the address being registered and the terms to
 * agree to (PREFIX). Returns 200, 303 → step 3 without a match, or 500/503.
 */
static int
show(struct req *r)
{
	char		*c[8] = { NULL };
	long long	 insurer = 0;
	int		 st, i;

	/* The person of step 3's match, or (match_insurer_only) the insurer alone. */
	st = db_row(c, 8, "SELECT r.name_kana, r.birthdate,"
	    " i.name, a.email, i.id, r.id IS NULL, i.number, i.card_pattern"
	    " FROM accounts a"
	    " LEFT JOIN roster r ON r.id = a.match_roster_id"
	    " JOIN insurers i ON i.id = IF(r.id IS NULL, a.insurer_id, r.insurer_id)"
	    " WHERE a.id = ? AND (r.id IS NOT NULL OR a.match_insurer_only = 1)",
	    "i", r->sess->account_id);
	if (st < 0)
		return req_db_error(r, st);
	if (st == 0)
		return req_redirect(r, "/signup/eligibility");
	if (c[5] != NULL && strcmp(c[5], "1") == 0)
		req_set(r, "Confirm.InsurerOnly", "1");
	else if (c[6] != NULL)
		show_card(r, c[6], c[7] != NULL ? atoi(c[7]) : 0);
	if (c[6] != NULL)
		req_set(r, "Confirm.InsurerNumber", c[6]);
	req_set(r, "Confirm.Name", c[0]);
	if (c[1] != NULL && strlen(c[1]) == 10) {
		/* 1960-01-01 → 1960年1月1日 (昭和35年) (no leading zeros, as people
		 * write it); English keeps ISO 8601. */
		const char *vars[] = { "y", c[1], "m", c[1] + 5, "d", c[1] + 8,
		    "era", "", "ey", "", NULL };
		char	 key[48], ey[16];
		int	 era, era_year;

		if (birth_era_of(c[1], &era, &era_year) == 0) {
			snprintf(key, sizeof(key), "Signup.Elig.Era.%s",
			    birth_era_id(era));
			vars[7] = req_text(r, key);
			if (era_year == 1 && strcmp(r->lang, "ja") == 0)
				snprintf(ey, sizeof(ey), "元");
			else
				snprintf(ey, sizeof(ey), "%d", era_year);
			vars[9] = ey;
		}
		c[1][4] = c[1][7] = '\0';
		if (strcmp(r->lang, "ja") == 0 && vars[3][0] == '0')
			vars[3]++;
		if (strcmp(r->lang, "ja") == 0 && vars[5][0] == '0')
			vars[5]++;
		req_set_text(r, "Confirm.BirthText", "Signup.Confirm.BirthDate",
		    vars);
	}
	req_set(r, "Confirm.Insurer", c[2]);
	req_set(r, "Confirm.Email", c[3]);
	if (c[4] != NULL)
		insurer = strtoll(c[4], NULL, 10);
	for (i = 0; i < 8; i++)
		free(c[i]);
	if ((st = terms_list(r, r->sess->account_id, insurer, TERMS_ALL,
	    PREFIX)) < 0)
		return req_db_error(r, st);
	return 200;
}

int
page_signup_confirm(struct req *r)
{
	struct bind	 b;
	const char	*action, *v;
	char		 today[ROSTER_DATE_LEN + 1];
	long long	 id;
	int		 st;

	if ((st = signup_route(r, "/signup/confirm")) != 0)
		return st;
	if (r->sess == NULL)
		return req_redirect(r, "/login");
	id = r->sess->account_id;
	signup_page(r, "signup_confirm", 4, NULL);
	if (strcmp(r->method, "POST") != 0) {
		req_set(r, "Confirm.Notify", "1");	/* offered ticked */
		return show(r);
	}

	action = req_param(r, "action");
	if (action != NULL && strcmp(action, "back") == 0) {
		if ((st = keep_for_back(r, id)) < 0 || (st = drop_match(id)) < 0)
			return req_db_error(r, st);
		return req_redirect(r, "/signup/eligibility");
	}
	if (action == NULL || strcmp(action, "complete") != 0)
		return req_error(r, 400, "BadRequest");

	memset(&b, 0, sizeof(b));
	b.notify = (v = req_param(r, "notify")) != NULL && strcmp(v, "1") == 0;
	if (b.notify)
		req_set(r, "Confirm.Notify", "1");
	/* The terms as the page shows them now: every box must be ticked. */
	if ((st = show(r)) != 200)
		return st;
	if (!terms_form_check(r, PREFIX)) {
		log_info("signup: step 4 sent without agreeing to the terms");
		return 200;
	}
	roster_today(today);
	b.insurer_only = hdf_get_int_value(r->hdf, "Confirm.InsurerOnly", 0);
	b.r = r;
	b.account_id = id;
	b.today = today;
	st = db_txn(bind_fn, &b);
	if (st == DB_DUP) {
		audit(r, "signup.bind_taken", id);
		if ((st = drop_match(id)) < 0)
			return req_db_error(r, st);
		return req_redirect(r, "/signup/eligibility?outcome=bound");
	}
	if (st < 0)
		return req_db_error(r, st);
	if (b.result == BIND_NOT_QUALIFIED) {
		if ((st = drop_match(id)) < 0)
			return req_db_error(r, st);
		return req_redirect(r, "/signup/eligibility?outcome=not_qualified");
	}
	if (b.result == BIND_INSURER_OFF) {
		/* Completed in another tab, or the operator turned it off. */
		if ((st = session_refresh(r)) < 0)
			return req_db_error(r, st);
		if (r->sess != NULL && r->sess->state != NULL &&
		    strcmp(r->sess->state, "verified") != 0)
			return signup_route(r, "/signup/confirm");
		if ((st = drop_match(id)) < 0)
			return req_db_error(r, st);
		return req_redirect(r,
		    "/signup/eligibility?outcome=insurer_only_off");
	}
	if (b.result != BIND_OK) {
		/* Completed or cancelled meanwhile (another tab): go where it is. */
		if ((st = session_refresh(r)) < 0)
			return req_db_error(r, st);
		if ((st = signup_route(r, "/signup/confirm")) != 0)
			return st;
		return req_redirect(r, "/signup/eligibility");
	}
	if ((st = session_start(r, id)) != 0)
		return req_db_error(r, st);
	signup_card_clear(r);
	audit(r, b.insurer_only ? "signup.complete_insurer_only" :
	    "signup.complete", id);
	if (b.consents > 0)
		audit(r, "consent.signup", id);
	audit(r, b.notify ? "notify.on" : "notify.off", id);
	metrics_add(M_SIGNUP_COMPLETE, 1);
	return req_redirect(r, "/signup/complete");
}
