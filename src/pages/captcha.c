/*
 * GET /captcha/<challenge>.png — the image of a sealed CAPTCHA challenge
 * (captcha.h). Reads nothing and writes nothing in the database: the challenge
 * carries its own answer, sealed. The same challenge always draws the same
 * picture. A forged, damaged, expired or text challenge is a 404. Never cached.
 */
#include "autoconf.h"

#include "captcha.h"
#include "request.h"
#include "router.h"
#include "util.h"

/* The route's handler (routes.def): REQ_RAW with the PNG, or 404. */
int
page_captcha(struct req *r)
{
	r->nostore = 1;
	if (r->arg == NULL || captcha_png(r->arg, &r->body) != 0) {
		buf_free(&r->body);
		return 404;
	}
	r->content_type = "image/png";
	return REQ_RAW;
}
