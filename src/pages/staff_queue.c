/*
 * GET /review[?status=S] on the staff console (reviewer, admin) — the eKYC
 * review queue: submitted verifications, oldest first (or, with status=
 * approved|rejected, the latest decisions). Each row links to /review/<id>.
 * ?done=<id> (after a decision, src/pages/staff_review.c): a notice naming
 * the application (Queue.DoneText; anything but digits is ignored).
 * 200, 403 for support (staff_require), 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "request.h"
#include "router.h"
#include "review.h"
#include "staff_session.h"

#define QUEUE_LIMIT	200

int
page_staff_queue(struct req *r)
{
	struct review_item *items = NULL;
	const char	*status = req_param(r, "status"), *done;
	char		 key[64];
	long long	 n, i;
	int		 st;

	if ((st = staff_require(r, STAFF_REVIEWER)) != 0)
		return st;
	r->template = "staff_queue";
	if (status == NULL || (strcmp(status, "approved") != 0 &&
	    strcmp(status, "rejected") != 0))
		status = "submitted";
	req_set(r, "Queue.Status", status);
	if ((done = req_param(r, "done")) != NULL && *done != '\0' &&
	    strlen(done) <= 20 && strspn(done, "0123456789") == strlen(done)) {
		const char *vars[] = { "id", done, NULL };

		req_set_text(r, "Queue.DoneText", "Staff.Queue.Done", vars);
	}
	if ((n = review_list(status, QUEUE_LIMIT, &items)) < 0)
		return req_db_error(r, (int)n);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "Queue.Items.%lld.Id", i);
		req_set_int(r, key, items[i].id);
		snprintf(key, sizeof(key), "Queue.Items.%lld.Submitted", i);
		req_set(r, key, items[i].submitted_at != NULL ? items[i].submitted_at : "");
		snprintf(key, sizeof(key), "Queue.Items.%lld.Document", i);
		req_set(r, key, items[i].document != NULL ? items[i].document : "");
		snprintf(key, sizeof(key), "Queue.Items.%lld.Name", i);
		req_set(r, key, items[i].name_kana != NULL ? items[i].name_kana : "");
		snprintf(key, sizeof(key), "Queue.Items.%lld.Decided", i);
		req_set(r, key, items[i].decided_at != NULL ? items[i].decided_at : "");
	}
	req_set_int(r, "Queue.Count", n);
	review_items_free(items, n);
	return 200;
}
