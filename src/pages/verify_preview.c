/*
 * GET /verify/preview/<shot> — a shot of the member's own current draft, for
 * the thumbnails of the shot and confirmation pages. Only her own, only while
 * the attempt is a draft (after submission only reviewers see the images, in
 * the console); opened by the vault, served as image/jpeg with no-store
 * (R_NOSTORE). Nothing of the image is logged.
 * Outcomes: 200 REQ_RAW image/jpeg; 404 (no such shot in her draft; another
 * member's shot is never found, as there is no identifier in the path);
 * 500 when the record does not open (logged by the vault); 503.
 */
#include "autoconf.h"

#include <string.h>

#include "db.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "util.h"
#include "vault.h"
#include "verification.h"

int
page_verify_preview(struct req *r)
{
	unsigned char	*jpeg = NULL;
	size_t		 len = 0;
	int		 st;

	if (r->sess == NULL)
		return 404;
	st = verification_preview(r->sess->account_id, r->arg, &jpeg, &len);
	if (st == VERIFY_SEAL_FAILED)
		return 500;
	if (st < 0)
		return req_db_error(r, st);
	if (st == 0) {
		log_info("verify_preview: no such shot in the draft");
		return 404;
	}
	buf_append(&r->body, jpeg, len);
	vault_free_plain(jpeg, len);
	r->content_type = "image/jpeg";
	r->nostore = 1;
	return REQ_RAW;
}
