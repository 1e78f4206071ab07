/*
 * eligibility.c — the card check against the roster, shared by signup step 3
 * and the later 本人確認 of the member area (see eligibility.h).
 */
#include "autoconf.h"
#include "eligibility.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "birthdate.h"
#include "config.h"
#include "db.h"
#include "insurer.h"
#include "log.h"
#include "normalize.h"
#include "request.h"
#include "roster.h"
#include "util.h"

#define BOX_MAX		20	/* characters in one symbol/number box */
#define NAME_MAX_CHARS	50

int
eligibility_state(long long account_id, struct elig_state *s)
{
	char		*c[4] = { NULL };
	long long	 tries = config_int("Signup.EligibilityTries");
	long long	 hours = config_int("Signup.EligibilityHours");
	int		 st, i;

	memset(s, 0, sizeof(*s));
	st = db_row(c, 4, "SELECT"
	    " COALESCE(eligibility_failures >= ? AND"
	    "  eligibility_window_start > NOW(6) - INTERVAL ? HOUR, 0),"
	    " CEIL(GREATEST(TIMESTAMPDIFF(SECOND, NOW(6),"
	    "  eligibility_window_start + INTERVAL ? HOUR), 60) / 3600),"
	    " IF(eligibility_window_start > NOW(6) - INTERVAL ? HOUR,"
	    "  eligibility_failures, 0),"
	    " GREATEST(TIMESTAMPDIFF(SECOND, NOW(6),"
	    "  eligibility_window_start + INTERVAL ? HOUR), 0)"
	    " FROM accounts WHERE id = ?", "iiiiii", tries, hours, hours, hours,
	    hours, account_id);
	if (st == 1) {
		s->locked = c[0] != NULL && atoi(c[0]) != 0;
		s->lock_hours = c[1] != NULL ? strtoll(c[1], NULL, 10) : 0;
		s->failures = c[2] != NULL ? strtoll(c[2], NULL, 10) : 0;
		s->lock_end = (long long)util_now() +
		    (c[3] != NULL ? strtoll(c[3], NULL, 10) : 0);
	}
	for (i = 0; i < 4; i++)
		free(c[i]);
	return st;
}

/*
 * Show the lock: until when (Japan time, rounded up to the next 10 minutes so
 * "from 7:30" is never too early) and the hours left.
 */
static void
set_locked(struct req *r, const struct elig_state *s)
{
	char		 h[24], until[64];
	const char	*vars[] = { "hours", h, "until", until, NULL };
	time_t		 t = (time_t)((s->lock_end + 599) / 600 * 600) + 9 * 3600;
	struct tm	 tm;
	int		 ja = strcmp(r->lang, "ja") == 0;

	snprintf(h, sizeof(h), "%lld", s->lock_hours > 0 ? s->lock_hours : 1);
	until[0] = '\0';
	if (gmtime_r(&t, &tm) != NULL && strftime(until, sizeof(until), ja ?
	    "%-m月%-d日 %-H時%M分" : "%b %-d, %H:%M", &tm) == 0)
		until[0] = '\0';
	req_set(r, "Elig.Locked", "1");
	req_set(r, "Elig.LockUntil", until);
	req_set_text(r, "Elig.LockText", "Signup.Elig.LockText", vars);
}

void
eligibility_show_lock(struct req *r, const struct elig_state *s)
{
	if (s->locked)
		set_locked(r, s);
}

/*
 * Reserve one failed check for account_id: 1 reserved, 0 the step is locked,
 * or a db_status. The counter restarts when the window is over.
 */
static int
reserve_try(long long account_id)
{
	long long	 hours = config_int("Signup.EligibilityHours");
	long long	 n;

	n = db_exec("UPDATE accounts SET"
	    " eligibility_failures = IF(eligibility_window_start IS NULL OR"
	    "  eligibility_window_start <= NOW(6) - INTERVAL ? HOUR, 1,"
	    "  eligibility_failures + 1),"
	    " eligibility_window_start = IF(eligibility_window_start IS NULL OR"
	    "  eligibility_window_start <= NOW(6) - INTERVAL ? HOUR, NOW(6),"
	    "  eligibility_window_start)"
	    " WHERE id = ? AND state IN ('verified', 'active') AND NOT"
	    " COALESCE(eligibility_failures >= ? AND"
	    "  eligibility_window_start > NOW(6) - INTERVAL ? HOUR, 0)",
	    "iiiii", hours, hours, account_id,
	    config_int("Signup.EligibilityTries"), hours);
	if (n < 0)
		return (int)n;
	return n > 0 ? 1 : 0;
}

/* Give back a reserved try (the check did not fail). */
static void
refund_try(long long account_id)
{
	if (db_exec("UPDATE accounts SET eligibility_failures ="
	    " GREATEST(eligibility_failures - 1, 0) WHERE id = ?", "i",
	    account_id) < 0)
		log_warn("eligibility: could not give back an eligibility try");
}

/* Keep what was typed for the re-rendered form. */
void
eligibility_keep_values(struct req *r)
{
	static const char *const f[] = { "insurer_number", "symbol", "symbol2",
	    "number", "number2", "name_kana", "birth_era", "birth_year",
	    "birth_month", "birth_day", NULL };
	const char	*v;
	char		 k[64];
	int		 i;

	for (i = 0; f[i] != NULL; i++) {
		if ((v = req_param(r, f[i])) == NULL || strlen(v) > 200)
			continue;
		snprintf(k, sizeof(k), "Form.Values.%s", f[i]);
		req_set(r, k, v);
	}
}

int
eligibility_card_typed(struct req *r)
{
	static const char *const f[] = { "symbol", "symbol2", "number", "number2",
	    NULL };
	int	 i;

	for (i = 0; f[i] != NULL; i++)
		if (req_param_trim(r, f[i]) != NULL)
			return 1;
	return 0;
}

/* A required box of at most BOX_MAX characters; NULL with a form error. */
static const char *
box(struct req *r, const char *field, const char *missing)
{
	const char	*v = req_param_trim(r, field);

	if (v == NULL) {
		req_form_error(r, field, missing);
		return NULL;
	}
	if (util_utf8_len(v) > BOX_MAX) {
		req_form_error(r, field, "Signup.Elig.TooLong");
		return NULL;
	}
	return v;
}

/* A symbol box: letters/digits/kana after normalisation. */
static const char *
symbol_box(struct req *r, const char *field)
{
	const char	*v = box(r, field, "Signup.Elig.Symbol.Missing");
	char		*n;

	if (v == NULL)
		return NULL;
	if ((n = normalize_symbol(v)) == NULL || n[0] == '\0') {
		util_free_secret(n);
		req_form_error(r, field, "Signup.Elig.Symbol.Invalid");
		return NULL;
	}
	util_free_secret(n);
	return v;
}

/* A number box: digits (full-width, spaces, hyphens allowed). */
static const char *
number_box(struct req *r, const char *field)
{
	const char	*v = box(r, field, "Signup.Elig.Number.Missing");
	char		*n;

	if (v == NULL)
		return NULL;
	if ((n = normalize_digits(v)) == NULL) {
		req_form_error(r, field, "Signup.Elig.Number.Invalid");
		return NULL;
	}
	util_free_secret(n);
	return v;
}

/*
 * 1 when a box of a hyphenated pair holds the whole symbol or number: a hyphen
 * or space inside was dropped by the normalisation, or (numbers) it has 8
 * digits or more.
 */
static int
typed_whole(const char *v, int symbol)
{
	char		*n = symbol ? normalize_symbol(v) : normalize_digits(v);
	const char	*p = v;
	size_t		 zeros = 0;
	int		 whole;

	if (n == NULL)
		return 0;
	/* normalize_symbol also drops leading zeros ("0", "０"): not separators. */
	while (symbol && (*p == '0' || strncmp(p, "\xef\xbc\x90", 3) == 0)) {
		p += *p == '0' ? 1 : 3;
		zeros++;
	}
	whole = util_utf8_len(n) + zeros < util_utf8_len(v) ||
	    (!symbol && strlen(n) >= 8);
	util_free_secret(n);
	return whole;
}

/*
 * The birthdate from birth_era/year/month/day (src/birthdate.c: 西暦 or 和暦)
 * as YYYY-MM-DD in out[11]: a real calendar date from 1900 to today (in
 * Japan), inside its era. 0, or -1 with form errors.
 */
static int
birthdate(struct req *r, char out[ROSTER_DATE_LEN + 1])
{
	static const char *const f[] = { "birth_year", "birth_month", "birth_day" };
	const char	*v[3];
	char		 today[ROSTER_DATE_LEN + 1], key[64];
	struct birth_date b;
	int		 i, bad = 0, st;

	for (i = 0; i < 3; i++) {
		if ((v[i] = req_param_trim(r, f[i])) == NULL) {
			req_form_error(r, f[i], "Signup.Elig.Birth.Missing");
			bad = 1;
		}
	}
	if (bad)
		return -1;
	roster_today(today);
	st = birth_parse(req_param(r, "birth_era"), v[0], v[1], v[2], today, &b);
	switch (st) {
	case BIRTH_OK:
		snprintf(out, ROSTER_DATE_LEN + 1, "%s", b.iso);
		return 0;
	case BIRTH_ERA_RANGE:
		snprintf(key, sizeof(key), "Signup.Elig.Birth.EraRange.%s",
		    birth_era_id(b.era));
		req_form_error(r, "birth_year", key);
		break;
	case BIRTH_YEAR:
		req_form_error(r, "birth_year", "Signup.Elig.Birth.Year");
		break;
	case BIRTH_OLD:
		req_form_error(r, "birth_year", "Signup.Elig.Birth.Old");
		break;
	case BIRTH_FUTURE:
		req_form_error(r, "birth_year", "Signup.Elig.Birth.Future");
		break;
	case BIRTH_ERA_ID:
		log_info("eligibility: a birth_era that is none of the six");
		req_form_error(r, "birth_era", "Signup.Elig.Birth.Invalid");
		break;
	default:
		req_form_error(r, f[b.field], "Signup.Elig.Birth.Invalid");
		break;
	}
	return -1;
}

/* Record a failed check (try already reserved) and show the lock if it is now. */
static int
failed(struct req *r, long long account_id, const char *event,
    const char *outcome, int result)
{
	struct elig_state s;
	int		 st;

	audit(r, event, account_id);
	req_set(r, "Elig.Outcome", outcome);
	if ((st = eligibility_state(account_id, &s)) < 0)
		return st;
	if (s.locked)
		set_locked(r, &s);
	else {
		char		 n[24], h[24];
		const char	*vars[] = { "n", n, "hours", h, NULL };

		snprintf(n, sizeof(n), "%lld",
		    config_int("Signup.EligibilityTries") - s.failures);
		snprintf(h, sizeof(h), "%lld", config_int("Signup.EligibilityHours"));
		req_set_text(r, "Elig.TriesLeftText", "Signup.Elig.TriesLeft",
		    vars);
	}
	return result;
}

int
eligibility_check(struct req *r, long long account_id, const struct insurer *ins,
    const char *fail_event, struct roster_hit *hit)
{
	const char	*sym = NULL, *sym2 = NULL, *num = NULL, *num2 = NULL;
	const char	*name;
	char		*kana = NULL, *osym = NULL, *onum = NULL;
	char		 key[INSURER_CARD_KEY_LEN + 1], birth[ROSTER_DATE_LEN + 1];
	struct elig_state s;
	int		 f = insurer_pattern_fields(ins->card_pattern), st, res;

	memset(hit, 0, sizeof(*hit));
	memset(key, 0, sizeof(key));
	if (f & INSURER_F_SYMBOL)
		sym = symbol_box(r, "symbol");
	/* The second box of a hyphenated pair may stay empty when the whole
	 * "12-456" went into the first one (insurer_card_compose joins them). */
	if ((f & INSURER_F_SYMBOL2) && !(sym != NULL &&
	    req_param_trim(r, "symbol2") == NULL && typed_whole(sym, 1)))
		sym2 = symbol_box(r, "symbol2");
	if (f & INSURER_F_NUMBER)
		num = number_box(r, "number");
	if ((f & INSURER_F_NUMBER2) && !(num != NULL &&
	    req_param_trim(r, "number2") == NULL && typed_whole(num, 0)))
		num2 = number_box(r, "number2");
	if ((name = req_param_trim(r, "name_kana")) == NULL)
		req_form_error(r, "name_kana", "Signup.Elig.Name.Missing");
	else if (util_utf8_len(name) > NAME_MAX_CHARS)
		req_form_error(r, "name_kana", "Signup.Elig.TooLong");
	else if ((kana = normalize_kana(name)) == NULL)
		req_form_error(r, "name_kana", "Signup.Elig.Name.Kana");
	(void)birthdate(r, birth);
	if (r->nerrors > 0) {
		st = ELIG_FORM;
		goto out;
	}
	if (insurer_card_compose(ins->card_pattern, sym, sym2, num, num2, &osym,
	    &onum) != 0 || insurer_card_key(NULL, 0, ins->number, osym, onum,
	    key) != 0) {
		req_form_error(r, "number", "Signup.Elig.Number.Invalid");
		st = ELIG_FORM;
		goto out;
	}

	if ((st = reserve_try(account_id)) < 0)
		goto out;
	if (st == 0) {
		req_set(r, "Elig.Outcome", "locked");
		if ((st = eligibility_state(account_id, &s)) < 0)
			goto out;
		set_locked(r, &s);
		st = ELIG_LOCKED;
		goto out;
	}
	res = roster_match(ins->id, key, kana, birth, NULL, hit);
	if (res < 0) {
		refund_try(account_id);
		st = res;
		goto out;
	}
	if (res == ROSTER_NOT_FOUND)
		st = failed(r, account_id, fail_event, "not_found", ELIG_NOT_FOUND);
	else if (res == ROSTER_NOT_QUALIFIED)
		st = failed(r, account_id, fail_event, "not_qualified",
		    ELIG_NOT_QUALIFIED);
	else if (hit->account_id != 0 && hit->account_id != account_id)
		st = failed(r, account_id, fail_event, "bound", ELIG_BOUND);
	else {
		refund_try(account_id);
		st = ELIG_OK;
	}
 out:
	util_wipe(key, sizeof(key));
	util_free_secret(kana);
	util_free_secret(osym);
	util_free_secret(onum);
	return st;
}
