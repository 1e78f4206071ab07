/*
 * POST /sensitive/stepup/passkey/options — the challenge of a step-up with a
 * passkey (JSON out; passkey.js on /sensitive/stepup calls it when she
 * presses 「パスキーで確認」). Only when the sensitive features are hers and
 * wait for a step-up (verify_sensitive_gate: SG_NEEDED, or SG_FRESH to prove
 * it again). allowCredentials lists her passkeys (she is logged in: nothing
 * is revealed to anyone else). The challenge: purpose stepup, this session,
 * this account, 5 minutes, single use.
 *
 * Outcomes (application/json):
 *   - 200 {"publicKey": {challenge, rpId, timeout, userVerification:
 *     "required", allowCredentials: [her passkeys]}};
 *   - 403 {"error":"unavailable"}: no step-up to do here (not level 3, not
 *     offered, question locked …: /sensitive says which), or no passkey;
 *   - 303 → /login without a member session; 403 (HTML) Origin/CSRF; 500/503.
 * Returns REQ_RAW or an error status.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "db.h"
#include "log.h"
#include "member.h"
#include "passkey.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "util.h"
#include "verify_page.h"

int
page_passkey_stepup_options(struct req *r)
{
	struct member	 m;
	unsigned char	 ch[WEBAUTHN_CHALLENGE_LEN];
	json_t		*allow = NULL;
	char		*service = NULL;
	int		 st, left;

	if ((st = verify_sensitive_gate(r, &m, &service, &left)) < 0)
		return req_db_error(r, st);
	if (st != SG_NEEDED && st != SG_FRESH) {
		log_info("passkey stepup options: no step-up to do (gate %d)", st);
		st = passkey_json_error(r, 403, "unavailable");
		goto out;
	}
	if ((allow = passkey_descriptors(m.id)) == NULL) {
		st = req_db_error(r, DB_ERR);
		goto out;
	}
	if (json_array_size(allow) == 0) {
		log_info("passkey stepup options: she has no passkey");
		st = passkey_json_error(r, 403, "unavailable");
		goto out;
	}
	if ((st = passkey_challenge_new("stepup", r->sess->id_hash, NULL, m.id,
	    ch)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	st = passkey_json(r, 200, json_pack("{s:{s:o, s:s, s:i, s:s, s:O}}",
	    "publicKey", "challenge", passkey_b64_json(ch, sizeof(ch)),
	    "rpId", webauthn_rpid(), "timeout", PASSKEY_CHALLENGE_SECONDS * 1000,
	    "userVerification", "required", "allowCredentials", allow));
	util_wipe(ch, sizeof(ch));
 out:
	json_decref(allow);
	free(service);
	member_free(&m);
	return st;
}
