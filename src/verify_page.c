/*
 * verify_page.c — what the /verify and /sensitive pages share (see
 * verify_page.h).
 */
#include "autoconf.h"
#include "verify_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "request.h"
#include "util.h"
#include "stepup.h"
#include "vault.h"

const char *const verify_sensitive_features[] = {
	"checkup", "medicine", "medical_cost", NULL,
};

int
verify_offered(const struct member *m, char **service)
{
	char		*row[2] = { NULL, NULL };
	int		 st, on;

	if (service != NULL)
		*service = NULL;
	if (m->insurer_id == 0 || m->unaffiliated)
		return 0;
	st = db_row(row, 2, "SELECT health_data, health_service FROM insurers"
	    " WHERE id = ?", "i", m->insurer_id);
	if (st <= 0)
		return st;
	on = row[0] != NULL && strcmp(row[0], "1") == 0;
	if (service != NULL && on)
		*service = row[1];
	else
		free(row[1]);
	free(row[0]);
	return on;
}

int
verify_load(struct req *r, struct verify_ctx *c)
{
	int	 st, gate;

	memset(c, 0, sizeof(*c));
	if ((st = member_load(r, &c->m)) < 0)
		return st;
	if (st == 0)
		return DB_ERR;	/* R_MEMBER: an active account's session */
	c->loaded = 1;
	if ((st = verify_offered(&c->m, &c->health_service)) < 0)
		return st;
	if (st == 0 || !vault_ready())
		gate = VG_NOT_OFFERED;
	else if (c->m.level < 2 || c->m.name_kana == NULL)
		gate = VG_NEED_LEVEL2;
	else
		gate = VG_OK;
	if ((st = verification_current(c->m.id, &c->v)) < 0)
		return st;
	req_set(r, "Verify.Gate", gate == VG_OK ? "ok" :
	    gate == VG_NEED_LEVEL2 ? "level2" : "notoffered");
	return gate;
}

int
verify_draft_page(struct req *r, struct verify_ctx *c)
{
	int	 st;

	if ((st = verify_load(r, c)) < 0)
		return req_db_error(r, st);
	if (st != VG_OK) {
		r->template = "verify";
		return 200;
	}
	if (c->v.id == 0 || strcmp(c->v.status, "draft") != 0)
		return req_redirect(r, "/verify");
	return 0;
}

void
verify_ctx_free(struct verify_ctx *c)
{
	if (c->loaded)
		member_free(&c->m);
	verification_free(&c->v);
	free(c->health_service);
	memset(c, 0, sizeof(*c));
}

void
verify_set_attempt(struct req *r, const struct verification *v)
{
	char		 key[64], tkey[64];
	int		 i, n = 0;

	if (v->document[0] != '\0') {
		req_set(r, "Verify.Document", v->document);
		snprintf(tkey, sizeof(tkey), "Verify.Doc.%s.Name", v->document);
		req_set(r, "Verify.DocumentName", req_text(r, tkey));
	}
	if (v->face_angle[0] != '\0') {
		req_set(r, "Verify.Angle", v->face_angle);
		snprintf(tkey, sizeof(tkey), "Verify.Angle.%s", v->face_angle);
		req_set(r, "Verify.AngleText", req_text(r, tkey));
	}
	if (v->remarks)
		req_set(r, "Verify.Remarks", "1");
	if (v->q_preset > 0) {
		snprintf(tkey, sizeof(tkey), "Verify.Preset.%d", v->q_preset);
		req_set(r, "Verify.Question", req_text(r, tkey));
	} else if (v->q_text != NULL)
		req_set(r, "Verify.Question", v->q_text);
	for (i = 0; i < VERIFY_NSHOTS; i++) {
		if (!verification_shot_needed(v, i))
			continue;
		snprintf(key, sizeof(key), "Verify.Shots.%d.Name", n);
		req_set(r, key, verification_shot_name(i));
		snprintf(key, sizeof(key), "Verify.Shots.%d.Title", n);
		snprintf(tkey, sizeof(tkey), "Verify.Shot.%s.Title",
		    verification_shot_name(i));
		req_set(r, key, req_text(r, tkey));
		if (v->have & (1u << i)) {
			snprintf(key, sizeof(key), "Verify.Shots.%d.Have", n);
			req_set(r, key, "1");
		}
		n++;
	}
}

const char *
verify_after_shot(const struct verification *v, int i)
{
	static char	 path[64];

	for (i++; i < VERIFY_NSHOTS; i++)
		if (verification_shot_applies(v, i)) {
			snprintf(path, sizeof(path), "/verify/shot/%s",
			    verification_shot_name(i));
			return path;
		}
	return "/verify/question";
}

const char *
verify_resume(const struct verification *v)
{
	static char	 path[64];
	int		 i;

	/* A back not answered yet: ask at its page (after the front). */
	if ((i = verification_next_shot(v)) >= 0) {
		snprintf(path, sizeof(path), "/verify/shot/%s",
		    verification_shot_name(i));
		return path;
	}
	return v->q_set ? "/verify/confirm" : "/verify/question";
}

int
verify_sensitive_gate(struct req *r, struct member *m, char **service,
    int *tries_left)
{
	char		*question = NULL, tkey[48];
	int		 st, preset = 0;

	*service = NULL;
	*tries_left = 0;
	if ((st = member_load(r, m)) < 0)
		return st;
	if (st == 0)
		return DB_ERR;	/* R_MEMBER: an active account's session */
	if ((st = verify_offered(m, service)) <= 0)
		return st;	/* 0: SG_NOT_OFFERED */
	if (m->level < 3)
		return SG_NOT_LEVEL3;
	st = stepup_state(r, m->id, tries_left, &question, &preset);
	if (st < 0)
		return st;
	if (preset > 0) {
		snprintf(tkey, sizeof(tkey), "Verify.Preset.%d", preset);
		req_set(r, "Sensitive.Question", req_text(r, tkey));
	} else if (question != NULL)
		req_set(r, "Sensitive.Question", question);
	free(question);
	switch (st) {
	case STEPUP_FRESH:
		return SG_FRESH;
	case STEPUP_NEEDED:
		return SG_NEEDED;
	case STEPUP_NONE:
		return SG_NO_QUESTION;
	default:
		return SG_LOCKED;
	}
}
