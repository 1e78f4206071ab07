/*
 * outbox.c — put a rendered mail into the outbox table.
 *
 * The request that changes state also inserts its mail, in the same transaction,
 * so the mail exists if and only if the change committed. Sending is the mailer's
 * job (mailer.c); nothing here talks SMTP.
 *
 * A mail template (templates/mail/<name>.cs) renders to
 *
 *	Subject: <subject text, UTF-8>
 *	<blank line>
 *	<body, UTF-8, any line ending>
 *
 * The subject is stored as plain UTF-8 and encoded (RFC 2047) only when sent.
 */
#include "outbox.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "template.h"
#include "util.h"

#define OUTBOX_ADDR_MAX		254	/* RFC 5321 path limit minus the brackets */
#define OUTBOX_SUBJECT_MAX	500	/* characters: outbox.subject VARCHAR(500) */
#define OUTBOX_BODY_MAX		(1024 * 1024)	/* far below MEDIUMTEXT; sanity only */
#define OUTBOX_NAME_MAX		64	/* outbox.template VARCHAR(64) */

/*
 * 1 if addr is acceptable as an SMTP recipient we generate headers for: at most 254
 * octets, exactly one '@' with something on both sides, and only printable ASCII
 * other than space, '<', '>', '(', ')', ',', ';', '"' and '\\' (anything else could
 * break the envelope or the To: header; internationalised addresses would need
 * SMTPUTF8, which libesmtp does not speak). Deliberately no further RFC 5322
 * parsing: the signup form validates addresses for members.
 */
int
outbox_addr_valid(const char *addr)
{
	const char	*p, *at = NULL;
	size_t		 len;

	len = strlen(addr);
	if (len < 3 || len > OUTBOX_ADDR_MAX)
		return 0;
	for (p = addr; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c >= 0x7f)
			return 0;
		if (strchr("<>(),;\"\\", c) != NULL)
			return 0;
		if (c == '@') {
			if (at != NULL)
				return 0;
			at = p;
		}
	}
	if (at == NULL || at == addr || at[1] == '\0')
		return 0;
	return 1;
}

/* 1 if name is a plausible template name: [a-z0-9_-], 1..64 characters. */
static int
name_valid(const char *name)
{
	size_t	 i;

	for (i = 0; name[i] != '\0'; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-'))
			return 0;
	}
	return i > 0 && i <= OUTBOX_NAME_MAX;
}

/*
 * Split rendered template output into a malloc'd subject and a pointer to the body
 * (inside out). Leading blank lines (left by template comments) are skipped; the
 * first line must be "Subject: …" and the next line must be blank. The subject is
 * trimmed and must be non-empty, at most 500 characters and free of control
 * characters. Returns 0 or -1.
 */
static int
split_rendered(const char *out, char **subject, const char **body)
{
	const char	*p = out, *eol, *s, *e;
	size_t		 n;
	char		*subj;

	*subject = NULL;
	*body = NULL;
	while (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "Subject:", 8) != 0)
		return -1;
	eol = strchr(p, '\n');
	if (eol == NULL)
		return -1;
	s = p + 8;
	e = eol;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (s == e)
		return -1;
	/* The separator: an empty line (only \r or spaces allowed on it). */
	p = eol + 1;
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	if (*p == '\n')
		p++;
	else if (*p != '\0')
		return -1;

	subj = xstrndup(s, (size_t)(e - s));
	for (n = 0; subj[n] != '\0'; n++)
		if ((unsigned char)subj[n] < 0x20 || subj[n] == 0x7f) {
			free(subj);
			return -1;
		}
	if (!util_utf8_valid(subj, n) || util_utf8_len(subj) > OUTBOX_SUBJECT_MAX) {
		free(subj);
		return -1;
	}
	*subject = subj;
	*body = p;
	return 0;
}

/*
 * Render mail template name with vars in lang and insert it for address to,
 * with unsubscribe (a bulk mail's one-click unsubscribe URL) or NULL.
 * Works inside the caller's db_txn (one INSERT) or on its own (autocommit).
 * Returns the new outbox id (> 0); DB_ERR for a bad address, a missing or broken
 * template or malformed template output (all logged without the address); or the
 * db_status of the INSERT (DB_RETRY inside a transaction lets db_txn retry).
 */
static long long
enqueue(const char *to, const char *name, HDF *vars, const char *lang,
    const char *unsubscribe)
{
	struct buf	 out = { NULL, 0, 0 };
	char		*subject = NULL;
	const char	*body;
	char		*s = NULL;
	long long	 rc = DB_ERR, id;

	if (to == NULL || !outbox_addr_valid(to)) {
		log_err("outbox: refusing mail %s: invalid recipient address",
		    name != NULL ? name : "(null)");
		goto out;
	}
	if (name == NULL || !name_valid(name)) {
		log_err("outbox: invalid mail template name");
		goto out;
	}
	if (tmpl_render_mail(name, vars, lang, &out) != 0) {
		log_err("outbox: mail template %s failed to render", name);
		goto out;
	}
	if (out.data == NULL ||
	    split_rendered(out.data, &subject, &body) != 0) {
		log_err("outbox: mail template %s: output must start with "
		    "\"Subject: …\" and a blank line", name);
		goto out;
	}
	if (strlen(body) > OUTBOX_BODY_MAX ||
	    !util_utf8_valid(body, strlen(body))) {
		log_err("outbox: mail template %s: body too long or not UTF-8",
		    name);
		goto out;
	}

	if (unsubscribe != NULL && (s = mail_list_unsubscribe(unsubscribe)) == NULL) {
		log_err("outbox: mail template %s: unusable unsubscribe URL "
		    "(Service.BaseURL)", name);
		goto out;
	}
	free(s);
	rc = db_exec("INSERT INTO outbox (to_addr, subject, body, template, "
	    "list_unsubscribe) VALUES (?, ?, ?, ?, ?)", "sssss", to, subject,
	    body, name, unsubscribe);
	if (rc < 0)
		goto out;
	id = db_last_id();
	if (id <= 0) {
		log_err("outbox: no id after INSERT");
		rc = DB_ERR;
		goto out;
	}
	log_debug("outbox: queued %lld (%s)", id, name);
	rc = id;
out:
	free(subject);
	buf_free(&out);
	return rc;
}

long long
outbox_enqueue(const char *to, const char *name, HDF *vars, const char *lang)
{
	return enqueue(to, name, vars, lang, NULL);
}

long long
outbox_enqueue_bulk(const char *to, const char *name, HDF *vars,
    const char *lang, const char *unsubscribe)
{
	if (unsubscribe == NULL) {
		log_err("outbox: bulk mail %s without an unsubscribe URL", name);
		return DB_ERR;
	}
	return enqueue(to, name, vars, lang, unsubscribe);
}
