/*
 * GET /review/<id>/image?shot=S on the staff console (reviewer, admin) — one
 * verification image as image/jpeg, opened by the vault (context
 * "image:<id>:<shot>"); every view is recorded in image_views (who, which,
 * when) and audited review.image_view in this very request, before the image
 * is opened. Cache-Control: no-store (the console sends it on everything).
 * Outcomes: 200 image/jpeg; 404 unknown id or shot, or no such image (never
 * taken, or purged after the retention period); 403 support role; 500 when
 * the image does not open (a master key missing: logged, without any byte).
 */
#include "autoconf.h"

#include <string.h>

#include "db.h"
#include "request.h"
#include "router.h"
#include "review.h"
#include "staff_session.h"
#include "util.h"
#include "vault.h"

int
page_staff_image(struct req *r)
{
	const char	*shot = req_param(r, "shot");
	unsigned char	*jpeg = NULL;
	size_t		 len = 0;
	long long	 id;
	int		 st;

	if ((st = staff_require(r, STAFF_REVIEWER)) != 0)
		return st;
	if (util_parse_int(r->arg, 1, 0x7fffffffffffffffLL, &id) != 0 ||
	    !review_shot_ok(shot))
		return 404;
	st = review_image(id, shot, r->staff->staff_id, r->ip, &jpeg, &len);
	if (st == 0)
		return 404;
	if (st == -1)
		return 500;
	if (st < 0)
		return req_db_error(r, st);
	buf_append(&r->body, jpeg, len);
	vault_free_plain(jpeg, len);
	r->content_type = "image/jpeg";
	r->nostore = 1;
	return REQ_RAW;
}
