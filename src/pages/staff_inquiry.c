/*
 * GET, POST /inquiries/<id> on the staff console (support, admin) — one
 * inquiry: date, category, language, reply address, name, the text, and the
 * answer if any; the answer form.
 * POST (CSRF-checked) answer=TEXT: inquiry_answer (one transaction: the
 * answer stored, status answered, the answer mail queued to the reply address
 * in the inquiry's language, audited inquiry.answer with the staff id);
 * 303 to /inquiries/<id>?done=1. An empty answer or one over 10,000
 * characters: the form with its error. Answered already: refused unless
 * again=1 (the form of an answered inquiry sends it), as kenpoctl's --force.
 * The sender's data erased (account_erase emptied the reply address): the
 * page says so, no form; a POST anyway changes nothing (the same page).
 * Unknown id: 404. Reviewer: 403.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "inquiry.h"
#include "log.h"
#include "request.h"
#include "router.h"
#include "staff_session.h"
#include "util.h"

#define ANSWER_MAX	10000	/* characters */

int
page_staff_inquiry(struct req *r)
{
	struct inquiry_answer a;
	struct db_res	*res = NULL;
	const char	*answer, *again, *done;
	long long	 id;
	int		 st;

	if ((st = staff_require(r, STAFF_SUPPORT)) != 0)
		return st;
	if (util_parse_int(r->arg, 1, 0x7fffffffffffffffLL, &id) != 0)
		return 404;
	r->template = "staff_inquiry";
	if (strcmp(r->method, "POST") == 0) {
		answer = req_param_trim(r, "answer");
		again = req_param(r, "again");
		if (answer == NULL)
			req_form_error(r, "answer", "Staff.Inquiry.AnswerMissing");
		else if (util_utf8_len(answer) > ANSWER_MAX)
			req_form_error(r, "answer", "Staff.Inquiry.AnswerTooLong");
		if (r->nerrors == 0) {
			st = inquiry_answer(id, answer, again != NULL &&
			    strcmp(again, "1") == 0, r->staff->staff_id, r->ip, &a);
			if (st < 0)
				return req_db_error(r, st);
			if (!a.found)
				return 404;
			if (a.erased)
				log_info("staff_inquiry: %lld has no reply address"
				    " (erased)", id);
			else if (!a.answered || (again != NULL &&
			    strcmp(again, "1") == 0))
				return req_redirect(r, "/inquiries/%lld?done=1", id);
			else
				req_set(r, "Inq.AlreadyAnswered", "1");
		}
		req_set(r, "Form.Answer", answer != NULL ? answer : "");
	}
	done = req_param(r, "done");
	if (done != NULL && strcmp(done, "1") == 0)
		req_set(r, "Inq.Done", "1");
	st = db_query(&res, "SELECT id, DATE_FORMAT(created_at + INTERVAL 9 HOUR,"
	    " '%Y-%m-%d %H:%i'), category, status, lang, email, name, body, answer,"
	    " DATE_FORMAT(answered_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i')"
	    " FROM inquiries WHERE id = ?", "i", id);
	if (st < 0)
		return req_db_error(r, st);
	if ((st = db_res_next(res)) != 1) {
		db_res_free(res);
		return st < 0 ? req_db_error(r, st) : 404;
	}
	req_set(r, "Inq.Id", db_res_str(res, 0));
	req_set(r, "Inq.Created", db_res_str(res, 1));
	req_set(r, "Inq.Category", db_res_str(res, 2));
	req_set(r, "Inq.State", db_res_str(res, 3));
	req_set(r, "Inq.Lang", db_res_str(res, 4));
	req_set(r, "Inq.Email", db_res_str(res, 5));
	if (db_res_str(res, 5)[0] == '\0')
		req_set(r, "Inq.Erased", "1");
	req_set(r, "Inq.Name", db_res_str(res, 6) != NULL ? db_res_str(res, 6) : "");
	req_set(r, "Inq.Body", db_res_str(res, 7));
	req_set(r, "Inq.Answer", db_res_str(res, 8) != NULL ? db_res_str(res, 8) : "");
	req_set(r, "Inq.Answered", db_res_str(res, 9) != NULL ? db_res_str(res, 9) : "");
	db_res_free(res);
	staff_audit(r, "inquiry.view", r->staff->staff_id);
	return 200;
}
