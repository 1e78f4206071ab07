/*
 * req.c — the accessors of one request (request.h): its validated input, cookies
 * and headers, the template data and UI texts, and the response a handler builds.
 *
 * They read and write struct req only. The pipeline (request.c) fills it and sends
 * the response; the modules below it (session.c, signup.c, the pages, …) call these
 * and never the pipeline, so the code reads one way: request.c → session.c → req.c.
 */
#include "autoconf.h"
#include "request.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#include "db.h"
#include "log.h"
#include "template.h"
#include "util.h"

/* ---- input ---- */

const char *
req_param(struct req *r, const char *name)
{
	char	 key[80];

	snprintf(key, sizeof(key), "Query.%s", name);
	return hdf_get_value(r->hdf, key, NULL);
}

const struct req_file *
req_file(struct req *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i].name, name) == 0)
			return r->files[i].len > 0 ? &r->files[i] : NULL;
	return NULL;
}

const char *
req_param_trim(struct req *r, const char *name)
{
	const char	*v = req_param(r, name), *e;
	char		*t, key[80];
	NEOERR		*err;

	if (v == NULL)
		return NULL;
	/* ASCII whitespace and U+3000 IDEOGRAPHIC SPACE (E3 80 80) at either end. */
	for (;;) {
		if (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
			v++;
		else if (strncmp(v, "\xe3\x80\x80", 3) == 0)
			v += 3;
		else
			break;
	}
	e = v + strlen(v);
	for (;;) {
		if (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
			e--;
		else if (e - v >= 3 && strncmp(e - 3, "\xe3\x80\x80", 3) == 0)
			e -= 3;
		else
			break;
	}
	if (e == v)
		return NULL;
	t = xstrndup(v, (size_t)(e - v));
	snprintf(key, sizeof(key), "Trim.%s", name);
	err = hdf_set_value(r->hdf, key, t);
	free(t);
	if (err != STATUS_OK) {
		nerr_ignore(&err);
		return NULL;
	}
	return hdf_get_value(r->hdf, key, NULL);
}

const char *
req_header(struct req *r, const char *name)
{
	char	 env[128];
	size_t	 i, j;

	snprintf(env, sizeof(env), "HTTP_");
	for (i = 0, j = 5; name[i] != '\0' && j < sizeof(env) - 1; i++, j++)
		env[j] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
	env[j] = '\0';
	return FCGX_GetParam(env, r->envp);
}

const char *
req_cookie(struct req *r, const char *name)
{
	char	 key[128];

	snprintf(key, sizeof(key), "Cookie.%s", name);
	return hdf_get_value(r->hdf, key, NULL);
}

const char *
req_get_cookie(struct req *r, const char *name)
{
	char	 full[80];

	if (r->https) {
		snprintf(full, sizeof(full), "__Host-%s", name);
		return req_cookie(r, full);
	}
	return req_cookie(r, name);
}

/* ---- output helpers ---- */

void
req_set(struct req *r, const char *key, const char *value)
{
	NEOERR	*err;

	if ((err = hdf_set_value(r->hdf, key, value)) != STATUS_OK) {
		nerr_ignore(&err);
		log_err("hdf_set_value %s failed", key);
	}
}

void
req_setf(struct req *r, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	req_set(r, key, s);
	free(s);
}

void
req_set_int(struct req *r, const char *key, long long v)
{
	req_setf(r, key, "%lld", v);
}

const char *
req_text(struct req *r, const char *key)
{
	const char	*t = tmpl_text(r->lang, key);

	if (t == NULL && strcmp(r->lang, "ja") != 0)
		t = tmpl_text("ja", key);
	if (t == NULL) {
		log_warn("missing text L.%s", key);
		return key;
	}
	return t;
}

char *
req_text_vars(struct req *r, const char *key, const char *const *vars)
{
	const char	*t = req_text(r, key), *p, *e;
	struct buf	 b = { 0 };
	size_t		 i, n;
	int		 done;

	for (p = t; *p != '\0'; ) {
		done = 0;
		if (*p == '{' && (e = strchr(p, '}')) != NULL && vars != NULL) {
			n = (size_t)(e - p - 1);
			for (i = 0; vars[i] != NULL && vars[i + 1] != NULL; i += 2) {
				if (strlen(vars[i]) == n &&
				    strncmp(p + 1, vars[i], n) == 0) {
					buf_puts(&b, vars[i + 1]);
					p = e + 1;
					done = 1;
					break;
				}
			}
		}
		if (!done)
			buf_append(&b, p++, 1);
	}
	if (b.data == NULL)
		return xstrdup("");
	return b.data;
}

void
req_set_text(struct req *r, const char *key, const char *textkey,
    const char *const *vars)
{
	char	*t = req_text_vars(r, textkey, vars);

	req_set(r, key, t);
	free(t);
}

/* Record text as the form error of field (req_form_error, req_form_error_vars). */
static void
form_error_set(struct req *r, const char *field, const char *text)
{
	char	 k[128];

	snprintf(k, sizeof(k), "Form.Errors.%s", field);
	if (hdf_get_value(r->hdf, k, NULL) == NULL)
		req_set(r, k, text);
	snprintf(k, sizeof(k), "Form.ErrorList.%d.field", r->nerrors);
	req_set(r, k, field);
	snprintf(k, sizeof(k), "Form.ErrorList.%d.text", r->nerrors);
	req_set(r, k, text);
	r->nerrors++;
	req_set_int(r, "Form.ErrorCount", r->nerrors);
}

void
req_form_error(struct req *r, const char *field, const char *key)
{
	form_error_set(r, field, req_text(r, key));
}

void
req_form_error_vars(struct req *r, const char *field, const char *key,
    const char *const *vars)
{
	char	*text = req_text_vars(r, key, vars);

	form_error_set(r, field, text);
	free(text);
}

void
req_add_header(struct req *r, const char *name, const char *value)
{
	if (strpbrk(value, "\r\n") != NULL || strpbrk(name, "\r\n: ") != NULL) {
		log_err("refusing header %s with CR/LF", name);
		return;
	}
	buf_printf(&r->headers, "%s: %s\r\n", name, value);
}

void
req_set_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	struct buf	 b = { 0 };

	buf_printf(&b, "%s%s=%s; Path=/; HttpOnly; SameSite=%s",
	    r->https ? "__Host-" : "", name, max_age == 0 ? "" : value,
	    r->console ? "Strict" : "Lax");
	if (r->https)
		buf_puts(&b, "; Secure");
	if (max_age >= 0)
		buf_printf(&b, "; Max-Age=%ld", max_age);
	req_add_header(r, "Set-Cookie", b.data);
	buf_free(&b);
}

int
req_redirect(struct req *r, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	free(r->location);
	r->location = xvasprintf(fmt, ap);
	r->location_client = 0;
	va_end(ap);
	return 303;
}

int
req_redirect_client(struct req *r, const char *url)
{
	free(r->location);
	r->location = xstrdup(url);
	r->location_client = 1;
	return 303;
}

int
req_error(struct req *r, int status, const char *key)
{
	r->error_key = key;
	return status;
}

int
req_db_error(struct req *r, int st)
{
	/* DB_RETRY: the database still answered "conflict, try again" after
	 * db.c's retries (deadlocks, lock waits, Galera certification failures
	 * under contention). Nothing was kept; the request may simply be sent
	 * again, as while the server is down. */
	if (st == DB_RETRY) {
		r->retry_after = 2;
		return 503;
	}
	return st == DB_DOWN ? 503 : 500;
}

int
req_busy(struct req *r)
{
	r->retry_after = 5;
	return req_error(r, 503, "Busy");
}

int
req_hash_failed(struct req *r)
{
	return errno == EAGAIN ? req_busy(r) : 500;
}
