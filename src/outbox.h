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

/*
 * outbox_enqueue for a mail sent in bulk (an announcement): unsubscribe is the
 * recipient's one-click unsubscribe URL, which the mailer puts into
 * List-Unsubscribe and List-Unsubscribe-Post (RFC 2369, RFC 8058). DB_ERR
 * (logged) when the URL is not one mail_list_unsubscribe accepts.
 */
long long	 outbox_enqueue_bulk(const char *to, const char *name, HDF *vars,
		    const char *lang, const char *unsubscribe);

/* 1 if addr is an address the outbox takes (see outbox.c), else 0. */
int		 outbox_addr_valid(const char *addr);

/* The mailer loop: runs until *stop becomes non-zero. Returns 0. */
int		 mailer_run(volatile int *stop);
/* Send at most n due messages once (used by the loop and by kenpoctl mail send). */
int		 mailer_send_due(int n);

/* The Message-ID (without <>) of outbox row id, created at created (its
 * UNIX_TIMESTAMP(created_at) text): the same for every attempt. malloc'd, or NULL
 * when Security.Secret is missing. See mailer.c. */
char		*mail_message_id(long long id, const char *created,
		    const char *domain);

/*
 * The header lines for the one-click unsubscribe URL url:
 *   "List-Unsubscribe: <url>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
 * malloc'd, or NULL when url is not an http(s) URL of at most 300 printable
 * ASCII characters without space, '<', '>', '"', '\\' and ',' (RFC 2369 wants
 * literal commas encoded): nothing else can end the header or the bracket.
 */
char		*mail_list_unsubscribe(const char *url);

/* RFC 2047 encode a header value ("=?UTF-8?B?…?="; ASCII left as is). malloc'd. */
char		*mail_encode_header(const char *utf8);

#endif
