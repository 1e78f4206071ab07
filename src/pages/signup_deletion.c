/*
 * GET, POST /signup/deletion — アカウント削除申請 (SPEC §6, seed 001 Q8), reached
 * from step 3's "already registered" outcome: the person cannot log in to the
 * old account that holds her roster identity and asks for its deletion.
 *
 * The page is step 3's form (signup_eligibility_page with deletion = 1): only
 * for the session of a verified account at step 3, the same fields, the same
 * check against the roster (src/eligibility.c) and the same limit
 * (Signup.EligibilityTries counted checks per Signup.EligibilityHours, on the
 * same account, whichever page they came from), plus contact_email (prefilled
 * with the account's address), where the decision will be mailed; no
 * insurer-number-only choice. Outcomes:
 *  - input errors, unknown / not adopted insurer, not found, not qualified,
 *    locked: as on step 3 (a failed check costs a try);
 *  - the person is bound to no other account ("free"): step 3 works now (the
 *    try is given back, as step 3 does for a match);
 *  - the person is bound to another account: counted as on step 3 (a request
 *    costs one try), then, if this requester has a request against that
 *    account filed already ("pending"), nothing new; otherwise the request is
 *    stored unconfirmed and a link valid DELETION_LINK_HOURS is mailed to
 *    contact_email (deletion_file); the page names the contact address and
 *    the grace period.
 * Nothing on any outcome names or hints at the old account's address.
 * Returns 200, 303 (another step, or no session), or 500/503.
 */
#include "autoconf.h"

#include "request.h"
#include "router.h"
#include "signup.h"

int
page_signup_deletion(struct req *r)
{
	return signup_eligibility_page(r, 1);
}
