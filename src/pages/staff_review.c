/*
 * GET, POST /review/<id> on the staff console (reviewer, admin) — one
 * verification: the document shots beside the face shots (each an <img> of
 * /review/<id>/image?shot=…, every view audited there), the roster person's
 * name and birth date, the insurer, the document kind (and whether its 備考欄
 * had an entry), the face angle the server asked for, the method.
 *
 * POST (CSRF-checked): decision=approve, or decision=reject with reason (one
 * of review_reasons) and an optional note for the member (at most 1000
 * characters). Outcomes:
 *   - approved / rejected: review_decide (one transaction with the level,
 *     the question, the audit row and the member's mail); 303 to
 *     /review?done=<id>;
 *   - no reason for a rejection, an unknown reason or decision, a note too
 *     long: the page with the form error, nothing changed;
 *   - decided already (another reviewer, kenpoctl): the page says so (409
 *     would be truer, but the reviewer needs the page, so 200 and a notice).
 * Unknown id, or an attempt still a draft (the member's own until she
 * confirms it; its images are refused too, review_image): 404. Support
 * role: 403.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "review.h"
#include "staff_session.h"
#include "util.h"

#define NOTE_MAX	1000	/* characters; verifications.note VARCHAR(1000) */

static void
show(struct req *r, const struct review_item *it)
{
	char	 key[64];
	int	 i;

	req_set_int(r, "Review.Id", it->id);
	req_set(r, "Review.Status", it->status);
	req_set(r, "Review.Method", it->method);
	req_set(r, "Review.Document", it->document != NULL ? it->document : "");
	req_set_int(r, "Review.Remarks", it->remarks);
	req_set(r, "Review.FaceAngle", it->face_angle != NULL ? it->face_angle : "");
	req_set(r, "Review.Submitted", it->submitted_at != NULL ? it->submitted_at : "");
	req_set(r, "Review.Decided", it->decided_at != NULL ? it->decided_at : "");
	req_set(r, "Review.Reason", it->reason != NULL ? it->reason : "");
	req_set(r, "Review.Note", it->note != NULL ? it->note : "");
	req_set(r, "Review.Name", it->name_kana != NULL ? it->name_kana : "");
	req_set(r, "Review.Birthdate", it->birthdate != NULL ? it->birthdate : "");
	req_set(r, "Review.Insurer", it->insurer != NULL ? it->insurer : "");
	req_set_int(r, "Review.Purged", it->purged);
	for (i = 0; i < 5; i++) {
		if (!(it->shots & (1u << i)))
			continue;
		snprintf(key, sizeof(key), "Review.Shots.%s", review_shots[i]);
		req_set(r, key, "1");
	}
	for (i = 0; i < 8; i++) {
		snprintf(key, sizeof(key), "Review.Reasons.%d", i);
		req_set(r, key, review_reasons[i]);
	}
}

/* The POST's decision. 303 when decided, 200 with form errors or a notice. */
static int
decide(struct req *r, const struct review_item *it, long long id)
{
	const char	*dec = req_param(r, "decision"), *reason = req_param(r, "reason");
	const char	*note = req_param_trim(r, "note");
	int		 approve, st;

	if (dec != NULL && strcmp(dec, "approve") == 0)
		approve = 1;
	else if (dec != NULL && strcmp(dec, "reject") == 0)
		approve = 0;
	else {
		req_form_error(r, "decision", "Staff.Review.DecisionMissing");
		return 200;
	}
	if (!approve && !review_reason_ok(reason))
		req_form_error(r, "reason", "Staff.Review.ReasonMissing");
	if (note != NULL && util_utf8_len(note) > NOTE_MAX)
		req_form_error(r, "note", "Staff.Review.NoteTooLong");
	if (r->nerrors > 0) {
		req_set(r, "Form.Note", note != NULL ? note : "");
		return 200;
	}
	if (strcmp(it->status, "submitted") != 0) {
		req_set(r, "Review.Already", "1");
		return 200;
	}
	st = review_decide(id, approve, approve ? NULL : reason, approve ? NULL : note,
	    r->staff->staff_id, r->ip);
	if (st < 0)
		return req_db_error(r, st);
	if (st == REVIEW_NOT_FOUND)
		return 404;
	if (st == REVIEW_NOT_PENDING) {
		req_set(r, "Review.Already", "1");
		return 200;
	}
	if (st == REVIEW_INELIGIBLE) {
		req_set(r, "Review.Ineligible", "1");
		return 200;
	}
	return req_redirect(r, "/review?done=%lld", id);
}

int
page_staff_review(struct req *r)
{
	struct review_item it;
	long long	 id;
	int		 st;

	if ((st = staff_require(r, STAFF_REVIEWER)) != 0)
		return st;
	if (util_parse_int(r->arg, 1, 0x7fffffffffffffffLL, &id) != 0)
		return 404;
	if ((st = review_show(id, &it)) < 0)
		return req_db_error(r, st);
	/* A draft is the member's until she confirms it: not for reviewers. */
	if (st == 1 && strcmp(it.status, "draft") == 0) {
		log_info("staff_review: verification %lld is a draft", id);
		review_item_free(&it);
		st = 0;
	}
	if (st == 0)
		return 404;
	r->template = "staff_review";
	show(r, &it);
	st = strcmp(r->method, "POST") == 0 ? decide(r, &it, id) : 200;
	review_item_free(&it);
	return st;
}
