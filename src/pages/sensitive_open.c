/*
 * GET /sensitive/open/<feature> — where a sensitive feature (checkup,
 * medicine, medical_cost) would open: the insurer's health-data service
 * (insurers.health_service). No hand-off protocol to such services exists
 * yet, so the page says honestly which service would open and that the
 * hand-off is not built; nothing is sent anywhere. Audited sensitive.open.
 * Outcomes: an unknown feature: 404; not fresh: as /sensitive (303 →
 * /sensitive/stepup?next=<feature>, or → /sensitive for the other states);
 * fresh: the page. Returns 200, 303, 404, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "verify_page.h"

int
page_sensitive_open(struct req *r)
{
	struct member	 m;
	char		*service = NULL, tkey[64];
	int		 st, left, i;

	for (i = 0; verify_sensitive_features[i] != NULL; i++)
		if (strcmp(r->arg, verify_sensitive_features[i]) == 0)
			break;
	if (verify_sensitive_features[i] == NULL) {
		log_info("sensitive_open: no such feature");
		return 404;
	}
	r->template = "sensitive_open";
	if ((st = verify_sensitive_gate(r, &m, &service, &left)) < 0)
		return req_db_error(r, st);
	if (st == SG_NOT_OFFERED) {
		st = 404;
		goto out;
	}
	if (st == SG_NEEDED) {
		st = req_redirect(r, "/sensitive/stepup?next=%s",
		    verify_sensitive_features[i]);
		goto out;
	}
	if (st != SG_FRESH) {
		st = req_redirect(r, "/sensitive");
		goto out;
	}
	snprintf(tkey, sizeof(tkey), "Sensitive.Feature.%s.Name",
	    verify_sensitive_features[i]);
	req_set(r, "Sensitive.FeatureName", req_text(r, tkey));
	if (service != NULL && service[0] != '\0')
		req_set(r, "Sensitive.Service", service);
	audit(r, "sensitive.open", m.id);
	st = 200;
 out:
	free(service);
	member_free(&m);
	return st;
}
