/*
 * GET, POST /inquiry/new — the inquiry form of the support office (SPEC §4,
 * "ログインIDを忘れた方"). ?category=login_id (etc.) preselects the category.
 *
 * POST stores the inquiry in `inquiries` and, in the same transaction, queues
 * one mail to Service.SupportMail with its contents and, when the member asked
 * for it, a receipt to the reply address. The receipt carries only the number and
 * category, never the text, so the form cannot be used to mail arbitrary text to
 * a third party. Login.InquiryPerHour accepted inquiries per client address and
 * hour (then 429). The member sees the acknowledgement page with the number.
 * Returns 200, 429, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "outbox.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "template.h"
#include "throttle.h"
#include "util.h"

#define NAME_MAX_CHARS	100
#define BODY_MAX_CHARS	2000

/* The categories, in form order; inquiries.category holds the key. */
static const char *const categories[] = {
	"login_id", "password", "signup", "eligibility", "disclosure", "other",
};
#define NCATEGORIES	(sizeof(categories) / sizeof(categories[0]))

/* The category key equal to s, or NULL. */
static const char *
category_find(const char *s)
{
	size_t	 i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < NCATEGORIES; i++)
		if (strcmp(s, categories[i]) == 0)
			return categories[i];
	return NULL;
}

/* The form's data: the category list (with the chosen one) and typed values. */
static void
form_set(struct req *r, const char *chosen)
{
	char		 k[64], tk[64], max[24], *hint;
	const char	*vars[] = { "max", max, NULL };
	size_t		 i;

	for (i = 0; i < NCATEGORIES; i++) {
		snprintf(k, sizeof(k), "Inquiry.Categories.%zu.key", i);
		req_set(r, k, categories[i]);
		snprintf(tk, sizeof(tk), "Inquiry.Category.%s", categories[i]);
		snprintf(k, sizeof(k), "Inquiry.Categories.%zu.label", i);
		req_set(r, k, req_text(r, tk));
	}
	if (chosen != NULL)
		req_set(r, "Inquiry.Chosen", chosen);
	req_set_int(r, "Inquiry.BodyMax", BODY_MAX_CHARS);
	snprintf(max, sizeof(max), "%d", BODY_MAX_CHARS);
	hint = req_text_vars(r, "Inquiry.BodyHint", vars);
	req_set(r, "Inquiry.BodyHint", hint);
	free(hint);
	r->template = "inquiry_new";
}

struct inquiry {
	const char	*category;
	const char	*email;
	const char	*name;
	const char	*body;
	long long	 account_id;
	int		 receipt;
	const char	*lang;
	long long	 id;		/* out */
};

/* Mail variables: Inquiry.* for both templates. NULL on an HDF failure. */
static HDF *
mail_vars(const struct inquiry *q, const char *lang)
{
	HDF		*v = NULL;
	NEOERR		*err;
	char		 id[24], acct[24], key[64];
	const char	*label;

	snprintf(id, sizeof(id), "%lld", q->id);
	snprintf(acct, sizeof(acct), "%lld", q->account_id);
	snprintf(key, sizeof(key), "Inquiry.Category.%s", q->category);
	if ((label = tmpl_text(lang, key)) == NULL)
		label = q->category;
	if ((err = hdf_init(&v)) != STATUS_OK ||
	    (err = hdf_set_value(v, "Inquiry.Id", id)) != STATUS_OK ||
	    (err = hdf_set_value(v, "Inquiry.Category", q->category)) != STATUS_OK ||
	    (err = hdf_set_value(v, "Inquiry.CategoryLabel", label)) != STATUS_OK ||
	    (err = hdf_set_value(v, "Inquiry.Email", q->email)) != STATUS_OK ||
	    (q->name != NULL &&
	    (err = hdf_set_value(v, "Inquiry.Name", q->name)) != STATUS_OK) ||
	    (err = hdf_set_value(v, "Inquiry.Body", q->body)) != STATUS_OK ||
	    (q->account_id > 0 &&
	    (err = hdf_set_value(v, "Inquiry.AccountId", acct)) != STATUS_OK) ||
	    (err = hdf_set_value(v, "Inquiry.Lang", q->lang)) != STATUS_OK) {
		nerr_ignore(&err);
		if (v != NULL)
			hdf_destroy(&v);
		return NULL;
	}
	return v;
}

/* Store the inquiry and queue its mails; q->id gets the new number. */
static int
inquiry_txn(void *arg)
{
	struct inquiry	*q = arg;
	HDF		*v = NULL;
	char		 acct[24];
	long long	 n;
	int		 st = 0;

	q->id = 0;
	snprintf(acct, sizeof(acct), "%lld", q->account_id);
	/* lang: the answer (kenpoctl inquiry answer) goes out in it. */
	n = db_exec("INSERT INTO inquiries (category, email, name, body, account_id,"
	    " lang) VALUES (?, ?, ?, ?, ?, ?)", "ssssss", q->category, q->email,
	    q->name, q->body, q->account_id > 0 ? acct : NULL, q->lang);
	if (n < 0)
		return (int)n;
	q->id = db_last_id();
	/* Support reads Japanese; the receipt goes out in the member's language. */
	if ((v = mail_vars(q, "ja")) == NULL)
		return DB_ERR;
	n = outbox_enqueue(config_str("Service.SupportMail"), "inquiry_support", v, "ja");
	hdf_destroy(&v);
	if (n < 0)
		return (int)n;
	if (q->receipt) {
		if ((v = mail_vars(q, q->lang)) == NULL)
			return DB_ERR;
		n = outbox_enqueue(q->email, "inquiry_receipt", v, q->lang);
		hdf_destroy(&v);
		if (n < 0)
			st = (int)n;
	}
	return st;
}

/* POST: validate, rate-limit, store; the acknowledgement or the form again. */
static int
inquiry_post(struct req *r)
{
	struct inquiry	 q;
	const char	*cat = category_find(req_param(r, "category"));
	const char	*raw = req_param(r, "email"), *name = req_param_trim(r, "name");
	const char	*body = req_param_trim(r, "body"), *receipt = req_param(r, "receipt");
	char		 key[THROTTLE_KEY_MAX], *email;
	long long	 n;
	int		 st;

	memset(&q, 0, sizeof(q));
	form_set(r, cat);
	if (raw != NULL)
		req_set(r, "Inquiry.Email", raw);
	if (name != NULL)
		req_set(r, "Inquiry.Name", name);
	if (body != NULL)
		req_set(r, "Inquiry.Body", body);
	if (receipt != NULL && receipt[0] != '\0')
		req_set(r, "Inquiry.Receipt", "1");
	email = account_email_normalize(raw);
	if (cat == NULL)
		req_form_error(r, "category", "Inquiry.Error.Category");
	if (email == NULL)
		req_form_error(r, "email", "Inquiry.Error.EmailRequired");
	else if (!account_email_valid(email))
		req_form_error(r, "email", "Inquiry.Error.EmailFormat");
	if (name != NULL && util_utf8_len(name) > NAME_MAX_CHARS)
		req_form_error(r, "name", "Inquiry.Error.NameLong");
	if (body == NULL)
		req_form_error(r, "body", "Inquiry.Error.BodyRequired");
	else if (util_utf8_len(body) > BODY_MAX_CHARS)
		req_form_error(r, "body", "Inquiry.Error.BodyLong");
	if (r->nerrors > 0) {
		st = 200;
		goto out;
	}
	throttle_key_ip(key, sizeof(key), "inquiry", r->ip);
	if ((n = throttle_hit(key, 3600)) < 0) {
		st = req_db_error(r, (int)n);
		goto out;
	}
	if (n > config_int("Login.InquiryPerHour")) {
		log_warn("inquiry: too many from one address");
		st = 429;
		goto out;
	}
	q.category = cat;
	q.email = email;
	q.name = name;
	q.body = body;
	q.account_id = r->sess != NULL ? r->sess->account_id : 0;
	q.receipt = receipt != NULL && receipt[0] != '\0';
	q.lang = r->lang;
	if ((st = db_txn(inquiry_txn, &q)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	audit(r, "inquiry.new", q.account_id);
	log_info("inquiry %lld received (%s)", q.id, cat);
	req_set_int(r, "Inquiry.Id", q.id);
	r->template = "inquiry_new_done";
	st = 200;
 out:
	free(email);
	return st;
}

/* The route's handler (routes.def): GET shows the form. */
int
page_inquiry_new(struct req *r)
{
	r->nostore = 1;
	if (strcmp(r->method, "POST") == 0)
		return inquiry_post(r);
	form_set(r, category_find(req_param(r, "category")));
	return 200;
}
