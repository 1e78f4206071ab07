/*
 * GET /sensitive — the sensitive features (健診結果, お薬の履歴, 医療費通知;
 * 要配慮個人情報): issue 12 item 4.
 *
 * Outcomes:
 *   - her insurer does not link health data: 404 (nothing of level 3 exists
 *     for her; logged);
 *   - below 健診・医療アクセス認証: what it takes, a link to /verify; while
 *     her application waits for the review (Sensitive.Pending = submitted)
 *     or is half done (draft), that instead, so she does not apply twice;
 *   - the secret question locked (Verify.StepUpTries wrong answers) or none:
 *     the features stay closed until she does 健診・医療アクセス認証 again;
 *     「秘密の質問を忘れました」 leads to /verify?again=1; level 3 without a
 *     question (an account raised by hand): the same, saying so;
 *   - not answered within Verify.StepUpMinutes in this session: 303 →
 *     /sensitive/stepup;
 *   - fresh: the features, each linking to /sensitive/open/<feature>.
 * Returns 200, 303, 404, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "verify_page.h"

/* Sensitive.Features.<n>.{Key,Name,Text}. */
static void
set_features(struct req *r)
{
	char	 key[48], tkey[64];
	int	 i;

	for (i = 0; verify_sensitive_features[i] != NULL; i++) {
		snprintf(key, sizeof(key), "Sensitive.Features.%d.Key", i);
		req_set(r, key, verify_sensitive_features[i]);
		snprintf(key, sizeof(key), "Sensitive.Features.%d.Name", i);
		snprintf(tkey, sizeof(tkey), "Sensitive.Feature.%s.Name",
		    verify_sensitive_features[i]);
		req_set(r, key, req_text(r, tkey));
		snprintf(key, sizeof(key), "Sensitive.Features.%d.Text", i);
		snprintf(tkey, sizeof(tkey), "Sensitive.Feature.%s.Text",
		    verify_sensitive_features[i]);
		req_set(r, key, req_text(r, tkey));
	}
}

/* Sensitive.OpenText: open for Verify.StepUpMinutes after the answer. */
static void
set_open_text(struct req *r)
{
	char		 n[24];
	const char	*vars[] = { "minutes", n, NULL };

	snprintf(n, sizeof(n), "%lld", config_int("Verify.StepUpMinutes"));
	req_set_text(r, "Sensitive.OpenText", "Sensitive.Open", vars);
}

/* Sensitive.Pending = submitted|draft when her newest attempt is one of
 * those. 0, or a db_status. */
static int
set_pending(struct req *r, long long account_id)
{
	struct verification	 v;
	int			 st;

	if ((st = verification_current(account_id, &v)) < 0)
		return st;
	if (st == 1 && (strcmp(v.status, "submitted") == 0 ||
	    strcmp(v.status, "draft") == 0))
		req_set(r, "Sensitive.Pending", v.status);
	verification_free(&v);
	return 0;
}

int
page_sensitive(struct req *r)
{
	struct member	 m;
	char		*service = NULL;
	int		 st, left;

	r->template = "sensitive";
	if ((st = verify_sensitive_gate(r, &m, &service, &left)) < 0)
		return req_db_error(r, st);
	switch (st) {
	case SG_NOT_OFFERED:
		log_info("sensitive: not offered to this member");
		st = 404;
		break;
	case SG_NOT_LEVEL3:
		req_set(r, "Sensitive.State", "level");
		if ((st = set_pending(r, m.id)) < 0) {
			st = req_db_error(r, st);
			break;
		}
		st = 200;
		break;
	case SG_LOCKED:
		req_set(r, "Sensitive.State", "locked");
		st = 200;
		break;
	case SG_NO_QUESTION:
		req_set(r, "Sensitive.State", "noquestion");
		st = 200;
		break;
	case SG_NEEDED:
		st = req_redirect(r, "/sensitive/stepup");
		break;
	default:
		req_set(r, "Sensitive.State", "open");
		set_open_text(r);
		set_features(r);
		st = 200;
	}
	free(service);
	member_free(&m);
	return st;
}
