/*
 * GET, POST /password/forgot — "パスワードを忘れた方" (SPEC §4).
 *
 * POST takes an address and always answers with the same page: "if this address
 * is registered, we sent a mail" — whether it has an account or not, and whether
 * or not a mail really went out, so the page tells nobody which addresses exist.
 * The request only queues a reset request (one INSERT, the same for every
 * address); the mailer process looks the address up and, for an account
 * (pending, verified or active), makes the token and queues the mail
 * (reset.h). So the answer costs the same whether the address exists or not:
 * no account enumeration by timing either.
 *
 * Limits (throttle, one hour): Login.ResetPerHourIP requests from one client
 * address (then 429: not about any account), Login.ResetPerHour for one e-mail
 * address (then the same page without a mail: the owner's inbox is not flooded).
 * Returns 200, 429, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "reset.h"
#include "request.h"
#include "router.h"
#include "template.h"
#include "throttle.h"
#include "util.h"

#define HOUR	3600

/* The texts of the "mail sent" page, with the address as typed (escaped later). */
static void
sent_texts(struct req *r, const char *typed)
{
	char		 mins[24], *t;
	const char	*v1[] = { "email", typed, NULL };
	const char	*v2[] = { "minutes", mins, NULL };

	snprintf(mins, sizeof(mins), "%lld", config_int("Login.ResetMinutes"));
	t = req_text_vars(r, "Forgot.SentText", v1);
	req_set(r, "Forgot.SentText", t);
	free(t);
	t = req_text_vars(r, "Forgot.SentMinutes", v2);
	req_set(r, "Forgot.SentMinutes", t);
	free(t);
}

/* POST: validate, rate-limit, queue, then the same page for every address. */
static int
forgot_post(struct req *r)
{
	const char	*raw = req_param(r, "email");
	char		 key[THROTTLE_KEY_MAX];
	char		*email = NULL;
	long long	 n;
	int		 st, send;

	if (raw != NULL)
		req_set(r, "Forgot.Email", raw);
	r->template = "password_forgot";
	email = account_email_normalize(raw);
	if (email == NULL) {
		req_form_error(r, "email", "Forgot.Error.EmailRequired");
		st = 200;
		goto out;
	}
	if (!account_email_valid(email)) {
		req_form_error(r, "email", "Forgot.Error.EmailFormat");
		st = 200;
		goto out;
	}
	throttle_key_ip(key, sizeof(key), "pwreset", r->ip);
	if ((n = throttle_hit(key, HOUR)) < 0) {
		st = req_db_error(r, (int)n);
		goto out;
	}
	if (n > config_int("Login.ResetPerHourIP")) {
		log_warn("password reset: too many requests from one address");
		st = 429;
		goto out;
	}
	throttle_key_addr(key, sizeof(key), "pwreset", email);
	if ((n = throttle_hit(key, HOUR)) < 0) {
		st = req_db_error(r, (int)n);
		goto out;
	}
	send = n <= config_int("Login.ResetPerHour");
	if (!send)
		log_info("password reset: an address over its hourly limit");
	/* The same single INSERT for every address: the mailer finds out
	 * whether it has an account (reset.h). */
	if ((st = reset_request_queue(email, r->lang, r->ip, send)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	audit(r, "password.reset_request", 0);
	sent_texts(r, raw);
	r->template = "password_forgot_sent";
	st = 200;
 out:
	free(email);
	return st;
}

/* The route's handler (routes.def): GET shows the form. */
int
page_password_forgot(struct req *r)
{
	r->nostore = 1;
	if (strcmp(r->method, "POST") == 0)
		return forgot_post(r);
	r->template = "password_forgot";
	return 200;
}
