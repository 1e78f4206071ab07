/*
 * outbox.h — mail is never sent inside a request. outbox_enqueue renders
 * templates/mail/<name>.cs and inserts the message into the outbox table, in the
 * caller's transaction, so it is sent if and only if the state change commits.
 * The mailer process (mailer.c) drains the outbox.
 */
#ifndef KENPO_OUTBOX_H
#define KENPO_OUTBOX_H

#include <ClearSilver.h>

/*
 * Render mail template name (with vars, which may be NULL, in language lang) and
 * enqueue it to address to. The template's output starts with "Subject: …" and a
 * blank line; the rest is the body. Returns the outbox id (> 0) or a db_status
 * (or DB_ERR when the template fails).
 */
long long	 outbox_enqueue(const char *to, const char *name, HDF *vars,
		    const char *lang);

/* The mailer loop: runs until *stop becomes non-zero. Returns 0. */
int		 mailer_run(volatile int *stop);
/* Send at most n due messages once (used by the loop and by kenpoctl mail send). */
int		 mailer_send_due(int n);

/* The Message-ID (without <>) of outbox row id, created at created (its
 * UNIX_TIMESTAMP(created_at) text): the same for every attempt. malloc'd, or NULL
 * when Security.Secret is missing. See mailer.c. */
char		*mail_message_id(long long id, const char *created,
		    const char *domain);

/* RFC 2047 encode a header value ("=?UTF-8?B?…?="; ASCII left as is). malloc'd. */
char		*mail_encode_header(const char *utf8);

#endif
