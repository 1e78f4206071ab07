/*
 * review.c — the review queue, a verification as a reviewer sees it, the
 * decision and the images (review.h).
 */
#include "autoconf.h"
#include "review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "member.h"
#include "util.h"
#include "vault.h"
#include "verification.h"

const char *const review_shots[5] = {
	"doc_front", "doc_back", "doc_angle", "face_front", "face_angle",
};

const char *const review_reasons[8] = {
	"blurred", "glare", "face_mismatch", "expired", "name_differs",
	"wrong_document", "incomplete", "other",
};

static int
in_list(const char *s, const char *const *list, size_t n)
{
	size_t	 i;

	if (s == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

int
review_shot_ok(const char *s)
{
	return in_list(s, review_shots, 5);
}

int
review_reason_ok(const char *s)
{
	return in_list(s, review_reasons, 8);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* Columns of one row (see ITEM_SELECT) into it. */
static void
item_fill(struct db_res *res, struct review_item *it)
{
	const char	*shots;
	int		 i;

	memset(it, 0, sizeof(*it));
	it->id = db_res_int(res, 0);
	it->account_id = db_res_int(res, 1);
	it->status = dup_or_null(db_res_str(res, 2));
	it->method = dup_or_null(db_res_str(res, 3));
	it->document = dup_or_null(db_res_str(res, 4));
	it->remarks = db_res_int(res, 5) != 0;
	it->face_angle = dup_or_null(db_res_str(res, 6));
	it->submitted_at = dup_or_null(db_res_str(res, 7));
	it->decided_at = dup_or_null(db_res_str(res, 8));
	it->decided_by = db_res_int(res, 9);
	it->reason = dup_or_null(db_res_str(res, 10));
	it->note = dup_or_null(db_res_str(res, 11));
	it->name_kana = dup_or_null(db_res_str(res, 12));
	it->birthdate = dup_or_null(db_res_str(res, 13));
	it->insurer = dup_or_null(db_res_str(res, 14));
	shots = db_res_str(res, 15);
	for (i = 0; i < 5 && shots != NULL; i++)
		if (strstr(shots, review_shots[i]) != NULL)
			it->shots |= 1u << i;
	it->purged = !db_res_isnull(res, 16);
}

/* Times as Japan time, minutes (what a reviewer in the office reads). */
#define ITEM_SELECT \
	"SELECT v.id, v.account_id, v.status, v.method, v.document, v.remarks," \
	" v.face_angle," \
	" DATE_FORMAT(v.submitted_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i')," \
	" DATE_FORMAT(v.decided_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i')," \
	" v.decided_by, v.reason, v.note, r.name_kana," \
	" DATE_FORMAT(r.birthdate, '%Y-%m-%d'), i.name," \
	" (SELECT GROUP_CONCAT(vi.shot) FROM verification_images vi" \
	"  WHERE vi.verification_id = v.id), v.purged_at" \
	" FROM verifications v JOIN accounts a ON a.id = v.account_id" \
	" LEFT JOIN roster r ON r.id = a.roster_id" \
	" LEFT JOIN insurers i ON i.id = a.insurer_id"

long long
review_list(const char *status, long long limit, struct review_item **items)
{
	struct db_res	*res = NULL;
	long long	 n = 0, cap = 0;
	int		 st;

	*items = NULL;
	if (status == NULL)
		status = "submitted";
	st = db_query(&res, ITEM_SELECT " WHERE v.status = ?"
	    " ORDER BY v.submitted_at IS NULL, v.submitted_at, v.id LIMIT ?", "si",
	    status, limit);
	if (st < 0)
		return st;
	while ((st = db_res_next(res)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			*items = xrealloc(*items, (size_t)cap * sizeof(**items));
		}
		item_fill(res, &(*items)[n++]);
	}
	db_res_free(res);
	if (st < 0) {
		review_items_free(*items, n);
		*items = NULL;
		return st;
	}
	return n;
}

void
review_item_free(struct review_item *it)
{
	free(it->status);
	free(it->method);
	free(it->document);
	free(it->face_angle);
	free(it->submitted_at);
	free(it->decided_at);
	free(it->reason);
	free(it->note);
	free(it->name_kana);
	free(it->birthdate);
	free(it->insurer);
	memset(it, 0, sizeof(*it));
}

void
review_items_free(struct review_item *items, long long n)
{
	long long	 i;

	for (i = 0; i < n; i++)
		review_item_free(&items[i]);
	free(items);
}

int
review_show(long long id, struct review_item *it)
{
	struct db_res	*res = NULL;
	int		 st;

	memset(it, 0, sizeof(*it));
	if ((st = db_query(&res, ITEM_SELECT " WHERE v.id = ?", "i", id)) < 0)
		return st;
	if ((st = db_res_next(res)) == 1)
		item_fill(res, it);
	db_res_free(res);
	return st;
}

/* ---- the decision ---- */

struct decide {
	long long	 id;
	int		 approve;
	const char	*reason;
	const char	*note;
	long long	 staff_id;
	const char	*ip;
	int		 result;
};

/* The member's mail of the decision, in her language. 0 or a db_status. */
static int
decide_mail(const struct decide *d, const char *email, const char *lang)
{
	HDF		*v;
	char		*url;
	int		 st;

	if ((v = member_vars()) == NULL)
		return DB_ERR;
	url = config_url(d->approve ? "/top" : "/verify");
	st = member_var(v, "Mail.URL", url);
	free(url);
	if (!d->approve) {
		/* The template shows L.Staff.Review.Reason[Mail.Reason] in the
		 * member's language. */
		st |= member_var(v, "Mail.Reason", d->reason);
		if (d->note != NULL && d->note[0] != '\0')
			st |= member_var(v, "Mail.Note", d->note);
	}
	if (st != 0) {
		hdf_destroy(&v);
		return DB_ERR;
	}
	st = member_mail(email, lang, d->approve ? "verification_approved" :
	    "verification_rejected", v);
	hdf_destroy(&v);
	return st;
}

static int
decide_fn(void *arg)
{
	struct decide	*d = arg;
	char		*c[5] = { NULL, NULL, NULL, NULL, NULL };
	char		 sid[24];
	const char	*staff = NULL, *note = NULL;
	long long	 n, account_id;
	int		 st, i;

	d->result = REVIEW_NOT_FOUND;
	st = db_row(c, 5, "SELECT v.status, v.account_id, a.email, a.lang,"
	    " a.state = 'active' AND a.roster_id IS NOT NULL AND a.unaffiliated = 0"
	    " FROM verifications v JOIN accounts a ON a.id = v.account_id"
	    " WHERE v.id = ? FOR UPDATE", "i", d->id);
	if (st <= 0)
		return st;
	account_id = strtoll(c[1], NULL, 10);
	if (strcmp(c[0], "submitted") != 0) {
		d->result = REVIEW_NOT_PENDING;
		st = 0;
		goto out;
	}
	/* Level 3 builds on a bound, active, affiliated account (level 2). */
	if (d->approve && (c[4] == NULL || strcmp(c[4], "1") != 0)) {
		d->result = REVIEW_INELIGIBLE;
		st = 0;
		goto out;
	}
	/* decided_by NULL with decided_at set: kenpoctl (0013). */
	if (d->staff_id > 0) {
		snprintf(sid, sizeof(sid), "%lld", d->staff_id);
		staff = sid;
	}
	if (!d->approve && d->note != NULL && d->note[0] != '\0')
		note = d->note;
	n = db_exec("UPDATE verifications SET status = ?, reason = ?, note = ?,"
	    " decided_at = NOW(6), decided_by = ?,"
	    " purge_after = NOW(6) + INTERVAL ? DAY WHERE id = ?", "ssssii",
	    d->approve ? "approved" : "rejected", d->approve ? NULL : d->reason,
	    note, staff, config_int("Verify.RetentionDays"), d->id);
	if (n < 0) {
		st = (int)n;
		goto out;
	}
	if (d->approve) {
		if ((n = db_exec("UPDATE accounts SET level = 3 WHERE id = ?", "i",
		    account_id)) < 0 || (n = verification_install_question(d->id)) < 0) {
			st = (int)n;
			goto out;
		}
	}
	n = db_exec("INSERT INTO audit (event, account_id, staff_id, ip)"
	    " VALUES (?, ?, ?, ?)", "siss", d->approve ? "review.approve" :
	    "review.reject", account_id, staff, d->ip);
	if (n < 0) {
		st = (int)n;
		goto out;
	}
	st = decide_mail(d, c[2], c[3] != NULL && strcmp(c[3], "en") == 0 ? "en" : "ja");
	if (st == 0)
		d->result = REVIEW_DONE;
 out:
	for (i = 0; i < 5; i++)
		free(c[i]);
	return st;
}

int
review_decide(long long id, int approve, const char *reason, const char *note,
    long long staff_id, const char *ip)
{
	struct decide	 d;
	int		 st;

	if (!approve && !review_reason_ok(reason))
		return DB_ERR;
	memset(&d, 0, sizeof(d));
	d.id = id;
	d.approve = approve;
	d.reason = reason;
	d.note = note;
	d.staff_id = staff_id;
	d.ip = ip;
	if ((st = db_txn(decide_fn, &d)) < 0)
		return st;
	if (d.result == REVIEW_DONE)
		log_info("verification %lld %s by %s %lld", id,
		    approve ? "approved" : "rejected", staff_id > 0 ? "staff" :
		    "kenpoctl", staff_id);
	return d.result;
}

/* ---- images ---- */

int
review_image(long long id, const char *shot, long long staff_id, const char *ip,
    unsigned char **jpeg, size_t *len)
{
	struct db_res	*res = NULL;
	char		 ctx[64], sid[24];
	const char	*staff = NULL;
	long long	 n, account_id = 0;
	int		 st;

	*jpeg = NULL;
	*len = 0;
	if (!review_shot_ok(shot))
		return 0;
	if (staff_id > 0) {
		snprintf(sid, sizeof(sid), "%lld", staff_id);
		staff = sid;
	}
	st = db_query(&res, "SELECT vi.key_id, vi.wrapped_key, vi.sealed, v.account_id"
	    " FROM verification_images vi JOIN verifications v"
	    " ON v.id = vi.verification_id WHERE vi.verification_id = ? AND vi.shot = ?"
	    " AND v.status <> 'draft'", "is", id, shot);
	if (st < 0)
		return st;
	if ((st = db_res_next(res)) <= 0)
		goto out;
	account_id = db_res_int(res, 3);
	/* The view is recorded before the image is opened: an attempt counts. */
	if ((n = db_exec("INSERT INTO image_views (staff_id, verification_id, shot, ip)"
	    " VALUES (?, ?, ?, ?)", "siss", staff, id, shot, ip)) < 0 ||
	    (n = db_exec("INSERT INTO audit (event, account_id, staff_id, ip)"
	    " VALUES ('review.image_view', ?, ?, ?)", "iss", account_id, staff, ip)) < 0) {
		st = (int)n;
		goto out;
	}
	snprintf(ctx, sizeof(ctx), "image:%lld:%s", id, shot);
	if (vault_open(db_res_str(res, 0),
	    (const unsigned char *)db_res_str(res, 1), db_res_len(res, 1),
	    (const unsigned char *)db_res_str(res, 2), db_res_len(res, 2), ctx,
	    jpeg, len) != 0) {
		log_err("verification %lld: image %s does not open", id, shot);
		st = -1;
		goto out;
	}
	st = 1;
 out:
	db_res_free(res);
	return st;
}
