/*
 * GET /signup/eligibility/help[?pattern=1-4] — where the insurance data is
 * found: the card's insurer number, symbol and number in each card pattern
 * ①–④, each with the picture of a fictional card marking them (seed 000:
 * 保険者番号 is the 8 digits at the bottom left; htdocs/img/card-pattern-N.svg),
 * and, without a card at hand, 資格情報のお知らせ, マイナポータル and 資格確認書
 * (seed 001). Open to everyone (linked from step 3, /account/verify and the
 * start page). pattern (from the link of a page that knows the member's
 * insurer) marks that pattern as hers; any other value is ignored. Returns 200.
 */
#include "autoconf.h"

#include <string.h>

#include "request.h"
#include "router.h"
#include "signup.h"

int
page_signup_eligibility_help(struct req *r)
{
	const char	*p = req_param(r, "pattern");

	signup_page(r, "signup_eligibility_help", 0, NULL);
	if (p != NULL && strlen(p) == 1 && p[0] >= '1' && p[0] <= '4')
		req_set(r, "Help.Pattern", p);
	return 200;
}
