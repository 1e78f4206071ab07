/*
 * GET /lang?to=en|ja&back=/path — switch the language, remember it in a cookie
 * for a year, and go back to the page the member was on (same-site paths only:
 * redirect_target_ok; anything else goes to /).
 */
#include "autoconf.h"

#include <string.h>

#include "log.h"
#include "redirect.h"
#include "request.h"
#include "router.h"

int
page_lang(struct req *r)
{
	const char	*to = req_param(r, "to"), *back = req_param(r, "back");

	if (to == NULL || (strcmp(to, "ja") != 0 && strcmp(to, "en") != 0))
		return req_error(r, 400, "BadRequest");
	req_set_cookie(r, "lang", to, 365L * 24 * 3600);
	if (!redirect_target_ok(back)) {
		if (back != NULL)
			log_warn("lang: back is not a path of this site");
		back = "/";
	}
	return req_redirect(r, "%s", back);
}
