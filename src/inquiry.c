/*
 * inquiry.c — answering an inquiry (inquiry.h). The answer mail
 * (templates/mail/inquiry_answer.cs) carries the number, the category and the
 * answer, never the member's own text: whoever fills in the form chooses the
 * reply address, so quoting the text would let the form mail arbitrary text to
 * a third party through the support office.
 */
#include "autoconf.h"
#include "inquiry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "db.h"
#include "outbox.h"
#include "template.h"

struct answer {
	long long	 id;
	const char	*text;
	int		 force;
	long long	 staff_id;
	const char	*ip;
	struct inquiry_answer out;
};

/* Mail variables of the answer; NULL on an HDF failure. */
static HDF *
answer_vars(long long id, const char *category, const char *lang,
    const char *created, const char *text)
{
	HDF		*v = NULL;
	NEOERR		*err;
	char		 num[24], key[64];
	const char	*label;

	snprintf(num, sizeof(num), "%lld", id);
	snprintf(key, sizeof(key), "Inquiry.Category.%s", category);
	if ((label = tmpl_text(lang, key)) == NULL)
		label = category;
	if ((err = hdf_init(&v)) != STATUS_OK ||
	    (err = hdf_set_value(v, "Inquiry.Id", num)) != STATUS_OK ||
	    (err = hdf_set_value(v, "Inquiry.Category", category)) != STATUS_OK ||
	    (err = hdf_set_value(v, "Inquiry.CategoryLabel", label)) != STATUS_OK ||
	    (err = hdf_set_value(v, "Inquiry.Created", created)) != STATUS_OK ||
	    (err = hdf_set_value(v, "Inquiry.Answer", text)) != STATUS_OK) {
		nerr_ignore(&err);
		if (v != NULL)
			hdf_destroy(&v);
		return NULL;
	}
	return v;
}

static int
answer_fn(void *arg)
{
	struct answer	*a = arg;
	HDF		*v = NULL;
	char		*c[6] = { NULL };
	const char	*lang;
	long long	 n;
	int		 st, i;

	memset(&a->out, 0, sizeof(a->out));
	/* created_at as the member's calendar date in Japan (UTC+9). */
	st = db_row(c, 6, "SELECT status, email, lang, category, account_id,"
	    " DATE_FORMAT(created_at + INTERVAL 9 HOUR, '%Y-%m-%d')"
	    " FROM inquiries WHERE id = ? FOR UPDATE", "i", a->id);
	if (st <= 0)
		return st;
	a->out.found = 1;
	a->out.answered = strcmp(c[0], "answered") == 0;
	a->out.account_id = c[4] != NULL ? strtoll(c[4], NULL, 10) : 0;
	/* Its sender was erased: there is nobody to answer. */
	if (c[1] == NULL || c[1][0] == '\0') {
		a->out.erased = 1;
		st = 0;
		goto out;
	}
	if (a->out.answered && !a->force) {
		st = 0;
		goto out;
	}
	n = db_exec("UPDATE inquiries SET status = 'answered', answer = ?,"
	    " answered_at = NOW(6) WHERE id = ?", "si", a->text, a->id);
	if (n < 0) {
		st = (int)n;
		goto out;
	}
	lang = strcmp(c[2], "en") == 0 ? "en" : "ja";
	if ((v = answer_vars(a->id, c[3], lang, c[5], a->text)) == NULL) {
		st = DB_ERR;
		goto out;
	}
	n = outbox_enqueue(c[1], "inquiry_answer", v, lang);
	hdf_destroy(&v);
	if (n <= 0) {
		st = n < 0 ? (int)n : DB_ERR;
		goto out;
	}
	a->out.mail_id = n;
	{
		char	 sid[24], aid[24];

		snprintf(sid, sizeof(sid), "%lld", a->staff_id);
		snprintf(aid, sizeof(aid), "%lld", a->out.account_id);
		n = db_exec("INSERT INTO audit (event, account_id, staff_id, ip)"
		    " VALUES ('inquiry.answer', ?, ?, ?)", "sss",
		    a->out.account_id > 0 ? aid : NULL,
		    a->staff_id > 0 ? sid : NULL, a->ip);
	}
	st = n < 0 ? (int)n : 0;
 out:
	for (i = 0; i < 6; i++)
		free(c[i]);
	return st;
}

int
inquiry_answer(long long id, const char *text, int force, long long staff_id,
    const char *ip, struct inquiry_answer *out)
{
	struct answer	 a;
	int		 st;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.text = text;
	a.force = force;
	a.staff_id = staff_id;
	a.ip = ip;
	st = db_txn(answer_fn, &a);
	*out = a.out;
	return st < 0 ? st : 0;
}
