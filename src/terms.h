/*
 * terms.h — versioned terms and the consents given to them (issue 10 item 5;
 * sql/0010_consents.sql).
 *
 * Four kinds of terms: the operator's 利用規約 ("service") and プライバシーポリシー
 * ("privacy"), and one insurer's 会員個別規約 ("insurer") and 独自ポイント特約
 * ("points"). The current version of a kind (per insurer for the last two) is
 * the newest one published; an insurer has its own terms when a version of
 * them is published. A member must have agreed to the current version of every
 * kind that applies to her — the operator's two, and her insurer's while she is
 * not 未所属 — before the member area serves her anything but /consent
 * (request.c asks terms_due for every R_MEMBER route without R_NOCONSENT).
 *
 * Where consents are given:
 *   signup step 1 (pages/signup.c)     the operator's kinds, at account creation;
 *   signup step 4 (pages/signup_confirm.c)  the insurer's kinds, at the binding;
 *   /consent (pages/consent.c)         whatever became due since ("renewal").
 * A form lists the versions it shows (terms_list) with one checkbox each,
 * "agree_<version id>"; terms_form_check wants every one ticked and
 * terms_record stores exactly the versions listed — what the member saw, even
 * if a newer one was published meanwhile (that one is then due at once).
 */
#ifndef KENPO_TERMS_H
#define KENPO_TERMS_H

struct req;

/* Sets of kinds for terms_list and terms_record_current. */
#define TERMS_GLOBAL	"service,privacy"
#define TERMS_INSURER	"insurer,points"
#define TERMS_ALL	"service,privacy,insurer,points"

#define TERMS_VERSION_MAX	32	/* terms_versions.version VARCHAR(32) */
#define TERMS_URL_MAX		300	/* terms_versions.url VARCHAR(300) */

/* 1 when kind is one of the four kind names, else 0. */
int	 terms_kind_valid(const char *kind);
/* 1 for the insurer's kinds (insurer, points), 0 for the operator's. */
int	 terms_kind_insurer(const char *kind);
/*
 * 1 when url may be a terms link: http:// or https://, or (local ok) a path
 * "/x…" on this site; at most TERMS_URL_MAX bytes of printable ASCII without
 * quotes, angle brackets or backslash. 0 otherwise.
 */
int	 terms_url_ok(const char *url, int local_ok);

/*
 * What a version is called, in the request's language: 会員規約,
 * プライバシーポリシー, 「<insurer>」会員個別規約, 「<points>」特約 (or
 * 「<insurer>」独自ポイント特約 without a points name). malloc'd.
 */
char	*terms_label(struct req *, const char *kind, const char *insurer,
	    const char *points);
/*
 * Set the current versions of the kinds in kinds (a TERMS_* set) that apply to
 * insurer_id (0: the operator's only) and that account_id (0: none) has not
 * agreed to, as <prefix>.<n>.Id, .Kind, .Version, .Label (e.g. 「デモ健康保険組合」
 * 会員個別規約, in the request's language), .URL (the version's url, else
 * /terms/<Id>, the page of its text) and .Date (published, YYYY-MM-DD Japan time), in the order service, privacy,
 * insurer, points. Returns the number of rows set or a db_status.
 */
int	 terms_list(struct req *, long long account_id, long long insurer_id,
	    const char *kinds, const char *prefix);
/*
 * The rows set by terms_list under prefix must each have their checkbox
 * "agree_<Id>" sent as "1"; each one missing records the form error
 * Terms.Agree.Missing on field "agree_<Id>". Returns 1 when all were ticked.
 */
int	 terms_form_check(struct req *, const char *prefix);
/*
 * Inside db_txn: store account_id's consent to every version listed under
 * prefix (terms_list), via "signup" or "renewal", now; a consent given before
 * stays as it was. Returns the number stored or a db_status.
 */
int	 terms_record(struct req *, long long account_id, const char *prefix,
	    const char *via);
/*
 * terms_list(r, 0, 0, TERMS_GLOBAL, prefix) from the worker's copy, at most a
 * few seconds old: for step 1, a page loaded by anyone, which makes no
 * database round trip per view. Returns the rows set or a db_status.
 */
int	 terms_list_global(struct req *, const char *prefix);
/*
 * Inside db_txn: store account_id's consent, via "signup", to the version of
 * the operator's kind ("service" or "privacy") that step 1 showed: shown_id
 * (its form's terms_<kind>) when it is a published version of that kind, else
 * — shown_id 0, a page from before any version — the current one if any.
 * Returns the number stored (0 or 1) or a db_status.
 */
int	 terms_record_global(long long account_id, const char *kind,
	    long long shown_id);
/*
 * The number of current versions that apply to account_id (by its insurer
 * and 未所属 state) and that it has not agreed to: > 0 means /consent first.
 * Returns it or a db_status.
 */
long long terms_due(long long account_id);

#endif
