/*
 * GET /deletion/confirm/<token> — the link mailed to the contact address of an
 * アカウント削除申請 (src/deletion.c). No session needed: the address may be read
 * on another device. Outcomes (Deletion.Confirm.Outcome):
 *  - done: the request is filed now; the old account's address was told, and
 *    the page names the last day its owner may object by logging in
 *    (Deletion.GraceDays) and that an operator decides after it;
 *  - again: filed (or decided) already;
 *  - expired: older than DELETION_LINK_HOURS: file it again from step 3;
 *  - free: the old account let go of the identity meanwhile: continue step 3;
 *  - void: a newer request replaced this one (its own link counts);
 *  - unknown: no such link (or a malformed one; nothing is looked up).
 * nginx logs this path with the token masked (contrib/nginx/).
 * Returns 200 or 500/503.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "deletion.h"
#include "request.h"
#include "router.h"
#include "util.h"

static const char *const names[] = {
	"", "done", "unknown", "expired", "again", "free", "void",
};

/* 1 when s has the shape of one of our tokens (43 base64url characters). */
static int
token_shape(const char *s)
{
	unsigned char	 raw[CRYPTO_TOKEN_BYTES];
	long		 n;

	if (s == NULL || strlen(s) != CRYPTO_TOKEN_LEN)
		return 0;
	n = crypto_b64url_decode(s, raw, sizeof(raw));
	util_wipe(raw, sizeof(raw));
	return n == CRYPTO_TOKEN_BYTES;
}

int
page_deletion_confirm(struct req *r)
{
	char		 grace[11];
	int		 st = DELETION_C_UNKNOWN;

	r->nostore = 1;
	r->template = "deletion_confirm";
	if (token_shape(r->arg)) {
		if ((st = deletion_confirm(r->arg, r->ip, grace)) < 0)
			return req_db_error(r, st);
		if (st == DELETION_C_DONE) {
			char	*t = deletion_date_text(grace, r->lang);

			req_set(r, "Deletion.GraceUntil", t);
			free(t);
		}
	}
	if (st < DELETION_C_DONE || st > DELETION_C_VOID)
		st = DELETION_C_UNKNOWN;
	req_set(r, "Deletion.Confirm.Outcome", names[st]);
	return 200;
}
