/*
 * GET /signup/eligibility/help — where the insurance data is found: the card's
 * insurer number, symbol and number in each card pattern ①–④, and, without a
 * card at hand, 資格情報のお知らせ, マイナポータル and 資格確認書 (seed 001).
 * Open to everyone (linked from step 3 and the start page).
 */
#include "autoconf.h"

#include "request.h"
#include "router.h"
#include "signup.h"

int
page_signup_eligibility_help(struct req *r)
{
	signup_page(r, "signup_eligibility_help", 0, NULL);
	return 200;
}
