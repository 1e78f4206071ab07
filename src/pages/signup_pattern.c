/*
 * GET /signup/pattern?insurer_number=N — for signup.js on step 3: the card input
 * pattern of one insurer, so the form can switch its boxes at once.
 *
 * Only for a verified account's session (the one that is on step 3); anything
 * else gets 403. It answers about the one number asked, never a list, and only
 * what the step-3 page itself would show after 次へ:
 *   {"ok":true,"number":"06139992","pattern":4,"name":"デモ健康保険組合",
 *    "insurer_id_only":false}
 * (insurer_id_only: the page offers to finish with the insurer number alone)
 *   {"ok":false,"reason":"format"|"check_digit"|"unknown"|"not_adopted"}
 * Signed-entry requirements are left to the POST (the page explains them).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insurer.h"
#include "normalize.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "util.h"

/* Append s as a JSON string (quotes included). s is valid UTF-8. */
static void
json_str(struct buf *b, const char *s)
{
	const unsigned char *p;

	buf_puts(b, "\"");
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
			buf_printf(b, "\\u%04x", *p);
		else
			buf_append(b, p, 1);
	}
	buf_puts(b, "\"");
}

static int
answer(struct req *r, const char *reason)
{
	buf_printf(&r->body, "{\"ok\":false,\"reason\":\"%s\"}\n", reason);
	r->content_type = "application/json; charset=utf-8";
	return REQ_RAW;
}

int
page_signup_pattern(struct req *r)
{
	struct insurer	 ins;
	const char	*raw;
	char		*number = NULL;
	int		 st;

	if (r->sess == NULL || r->sess->state == NULL ||
	    strcmp(r->sess->state, "verified") != 0)
		return req_error(r, 403, "BadRequest");
	raw = req_param_trim(r, "insurer_number");
	if (raw == NULL || strlen(raw) > 32 || (number = normalize_digits(raw)) ==
	    NULL || strlen(number) != INSURER_NUMBER_LEN) {
		free(number);
		return answer(r, "format");
	}
	if (!insurer_number_valid(number)) {
		free(number);
		return answer(r, "check_digit");
	}
	memset(&ins, 0, sizeof(ins));
	st = insurer_find(number, &ins);
	free(number);
	if (st < 0) {
		insurer_free(&ins);
		return req_db_error(r, st);
	}
	if (st == 0 || !ins.adopted) {
		insurer_free(&ins);
		return answer(r, st == 0 ? "unknown" : "not_adopted");
	}
	buf_printf(&r->body, "{\"ok\":true,\"number\":\"%s\",\"pattern\":%d,\"name\":",
	    ins.number, ins.card_pattern);
	json_str(&r->body, ins.name);
	buf_printf(&r->body, ",\"insurer_id_only\":%s}\n",
	    ins.insurer_id_only ? "true" : "false");
	r->content_type = "application/json; charset=utf-8";
	insurer_free(&ins);
	return REQ_RAW;
}
