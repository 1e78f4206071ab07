/*
 * GET, POST /inquiry/new — the inquiry form of the support office (SPEC §4,
 * "ログインIDを忘れた方"). ?category=login_id (etc.) preselects the category;
 * without it the select reads 「選択してください」 and a category must be chosen.
 * Every category's guidance (what to write) is on the page: without JavaScript
 * as a short list under the select, with inquiry.js only the chosen one.
 * The receipt box is ticked by default.
 *
 * Two steps, nothing stored in between (the typed values travel in the form):
 *   POST action=confirm (the form's button, also the default) — validated;
 *     errors: the form again with them (200); else 入力内容の確認 (200), the
 *     values shown escaped and carried in hidden fields.
 *   POST action=back — the form again with every value as typed (200).
 *   POST action=send — validated again; stores the inquiry in `inquiries` and,
 *     in the same transaction, queues one mail to Service.SupportMail and, when
 *     the member asked for it, a receipt to the reply address. Then the
 *     acknowledgement page with the number (200). Login.InquiryPerHour accepted
 *     inquiries per client address and hour (then 429).
 * The receipt repeats the category and the text, quoted line by line ("> ") and
 * with "://" written "[:]//", so that it reads as a quotation and carries no
 * clickable link: whoever types a third party's address cannot make this
 * service mail her a working link (the rate limit bounds the rest).
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
	req_set(r, "Page.Script", "inquiry");
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

/*
 * The text as the receipt repeats it: each line after "> ", and "://" as
 * "[:]//" (no link the mail client would make clickable). malloc'd.
 */
static char *
receipt_quote(const char *body)
{
	struct buf	 b = { 0 };
	const char	*p;

	buf_puts(&b, "> ");
	for (p = body; *p != '\0'; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n') {
			buf_puts(&b, "\n> ");
			continue;
		}
		if (strncmp(p, "://", 3) == 0) {
			buf_puts(&b, "[:]//");
			p += 2;
			continue;
		}
		buf_append(&b, p, 1);
	}
	buf_append(&b, "", 1);
	return b.data;
}

/* Mail variables: Inquiry.* for both templates. NULL on an HDF failure. */
static HDF *
mail_vars(const struct inquiry *q, const char *lang)
{
	HDF		*v = NULL;
	NEOERR		*err;
	char		 id[24], acct[24], key[64], *quoted;
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
	quoted = receipt_quote(q->body);
	err = hdf_set_value(v, "Inquiry.Quoted", quoted);
	free(quoted);
	if (err != STATUS_OK) {
		nerr_ignore(&err);
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

/*
 * POST: back (the form as typed), confirm (validate; the confirmation page) or
 * send (validate, rate-limit, store; the acknowledgement). Errors: the form.
 */
static int
inquiry_post(struct req *r)
{
	struct inquiry	 q;
	const char	*cat = category_find(req_param(r, "category"));
	const char	*raw = req_param(r, "email"), *name = req_param_trim(r, "name");
	const char	*body = req_param_trim(r, "body"), *receipt = req_param(r, "receipt");
	const char	*action = req_param(r, "action");
	char		 key[THROTTLE_KEY_MAX], *email = NULL;
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
	if (action != NULL && strcmp(action, "back") == 0)
		return 200;
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
	if (action == NULL || strcmp(action, "send") != 0) {
		/* The confirmation: the category's label and the values as
		 * they will be sent (the address normalised). */
		char	 lk[64];

		snprintf(lk, sizeof(lk), "Inquiry.Category.%s", cat);
		req_set(r, "Inquiry.ChosenLabel", req_text(r, lk));
		req_set(r, "Inquiry.Email", email);
		r->template = "inquiry_new_confirm";
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

/* The route's handler (routes.def): GET shows the form (receipt ticked). */
int
page_inquiry_new(struct req *r)
{
	r->nostore = 1;
	if (strcmp(r->method, "POST") == 0)
		return inquiry_post(r);
	form_set(r, category_find(req_param(r, "category")));
	req_set(r, "Inquiry.Receipt", "1");
	return 200;
}
