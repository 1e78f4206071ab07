/*
 * GET, POST /verify/document — choose the identity document (seed 001 p.19):
 * 運転免許証 (license), マイナンバーカード (mynumber), 運転経歴証明書 (history),
 * 在留カード (residence); with the seed's notes (no such document: get a
 * マイナンバーカード; a moved address must be on the card or its 備考欄).
 *
 * Outcomes: GET shows the choice (not offered / 本人確認 first as /verify);
 * POST document=<key> creates the draft (verification_start: an older draft is
 * cancelled and its images deleted; the face angle picked), audited
 * verify.draft, 303 → /verify/shot/doc_front; an unknown document: the form
 * again with an error and a log line; while an attempt is submitted (being
 * reviewed), nothing is created: 303 → /verify. Returns 200, 303, or 500/503.
 */
#include "autoconf.h"

#include <string.h>

#include "db.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "verify_page.h"

int
page_verify_document(struct req *r)
{
	struct verify_ctx c;
	const char	*doc;
	long long	 vid;
	int		 st;

	r->template = "verify_document";
	if ((st = verify_load(r, &c)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st != VG_OK) {
		r->template = "verify";
		st = 200;
		goto out;
	}
	if (strcmp(c.v.status, "submitted") == 0) {
		st = req_redirect(r, "/verify");
		goto out;
	}
	if (strcmp(c.v.status, "draft") == 0)
		req_set(r, "Verify.Document", c.v.document);
	if (strcmp(r->method, "POST") != 0) {
		st = 200;
		goto out;
	}
	doc = req_param(r, "document");
	if (!verification_document_ok(doc)) {
		log_info("verify_document: no such document");
		req_form_error(r, "document", "Verify.Document.Error");
		st = 200;
		goto out;
	}
	if ((st = verification_start(r, c.m.id, doc, &vid)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	st = req_redirect(r, "/verify/shot/doc_front");
 out:
	verify_ctx_free(&c);
	return st;
}
