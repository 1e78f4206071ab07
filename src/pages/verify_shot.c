/*
 * GET, POST /verify/shot/<shot> — one shot of 健診・医療アクセス認証 a page
 * (seed 001 pp.20–31): doc_front, doc_back (only for a document with a back,
 * never for the マイナンバーカード, and only when its 備考欄 has an entry),
 * doc_angle (the angled shot showing the thickness), face_front, face_angle
 * (the angle the server picked when the draft was made).
 *
 * The form posts multipart/form-data (R_UPLOAD) with the file input "photo"
 * (accept="image/..." capture="environment" for documents, "user" for the face),
 * always there; htdocs/js/verify.js adds in-page camera capture with a guide
 * frame where getUserMedia works, filling the same input.
 *
 * Outcomes:
 *   - no draft (none, submitted, decided): 303 → /verify;
 *   - a shot that does not exist or does not belong to her document (doc_back
 *     of a マイナンバーカード): 404, logged, nothing stored;
 *   - GET: the guidance, the shot taken so far (a thumbnail from
 *     /verify/preview/<shot>) with 「この写真で次へ」, and the form (retake);
 *   - POST doc_back with remarks=0 (「備考欄に記載はない」): the back is not
 *     needed (a stored one is deleted), 303 → the next shot;
 *   - POST without a file: the form with 「画像を選んでください」;
 *   - POST refused by the image check (type, size, broken, dimensions): the
 *     form with the image helper's message (L.Verify.Upload.<key>), logged
 *     and audited verify.image_refused, nothing stored;
 *   - POST stored (normalised, sealed, replacing a retake): audited
 *     verify.image, 303 → this page, which shows it with 「次へ」.
 * Returns 200, 303, 404, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "verify_page.h"

/* The page data of shot i of c's draft. */
static void
set_page(struct req *r, const struct verify_ctx *c, int i)
{
	const char	*name = verification_shot_name(i);
	char		 tkey[64];

	verify_set_attempt(r, &c->v);
	req_set(r, "Shot.Name", name);
	snprintf(tkey, sizeof(tkey), "Verify.Shot.%s.Title", name);
	req_set(r, "Shot.Title", req_text(r, tkey));
	snprintf(tkey, sizeof(tkey), "Verify.Shot.%s.Lead", name);
	req_set(r, "Shot.Lead", req_text(r, tkey));
	req_set(r, "Shot.Facing", i >= 3 ? "user" : "environment");
	req_set(r, "Shot.Kind", i >= 3 ? "face" : "doc");
	if (c->v.have & (1u << i))
		req_set(r, "Shot.Have", "1");
	req_set(r, "Shot.Next", verify_after_shot(&c->v, i));
	req_setf(r, "Shot.Step", "%d", i + 1);
}

/* POST: store the photo (or the back's "no entry"). */
static int
post(struct req *r, struct verify_ctx *c, int i)
{
	const struct req_file *f;
	const char	*remarks = req_param(r, "remarks"), *errkey;
	char		 tkey[64];
	int		 st;

	if (i == 1 && remarks != NULL && strcmp(remarks, "0") == 0) {
		st = verification_set_remarks(r, c->m.id, c->v.id, 0);
		if (st < 0)
			return req_db_error(r, st);
		c->v.remarks = 0;
		return req_redirect(r, "%s", verify_after_shot(&c->v, i));
	}
	if ((f = req_file(r, "photo")) == NULL) {
		log_info("verify_shot: no file");
		req_form_error(r, "photo", "Verify.Upload.Empty");
		return 200;
	}
	st = verification_put_image(r, c->m.id, c->v.id,
	    verification_shot_name(i), f->data, f->len, &errkey);
	if (st == 0)
		return req_redirect(r, "/verify/shot/%s",
		    verification_shot_name(i));
	if (st == 1) {
		snprintf(tkey, sizeof(tkey), "Verify.Upload.%s",
		    errkey != NULL ? errkey : "Failed");
		req_form_error(r, "photo", tkey);
		return 200;
	}
	if (st == 2)
		return req_redirect(r, "/verify");
	if (st == VERIFY_SEAL_FAILED)
		return 500;
	return req_db_error(r, st);
}

int
page_verify_shot(struct req *r)
{
	struct verify_ctx c;
	int		 st, i;

	r->template = "verify_shot";
	if ((st = verify_draft_page(r, &c)) != 0)
		goto out;
	i = verification_shot_index(r->arg);
	if (i < 0 || !verification_shot_applies(&c.v, i)) {
		log_info("verify_shot: shot not of this document");
		st = 404;
		goto out;
	}
	set_page(r, &c, i);
	st = strcmp(r->method, "POST") == 0 ? post(r, &c, i) : 200;
 out:
	verify_ctx_free(&c);
	return st;
}
