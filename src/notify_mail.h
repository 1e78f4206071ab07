/*
 * notify_mail.h — notification mails (お知らせメール; SPEC §6): an announcement
 * published with --mail goes to the opted-in members of its audience, in
 * batches, each member once, every mail with a one-click unsubscribe link
 * (RFC 8058) that works without logging in. See notify_mail.c for the rules and
 * sql/0009_notify_mail.sql for the tables.
 */
#ifndef KENPO_NOTIFY_MAIL_H
#define KENPO_NOTIFY_MAIL_H

#include <stddef.h>

/* "<account id>.<43 characters of base64url>": at most 20 + 1 + 43 + NUL. */
#define NOTIFY_TOKEN_MAX	65

/*
 * The unsubscribe token of account id whose address is email, into out
 * (NOTIFY_TOKEN_MAX bytes): "<id>.<mac>", mac = base64url(HMAC-SHA256(K,
 * "<id>|<email>")), K = HMAC-SHA256(Security.Secret, "kenpo unsubscribe v1").
 * 0, or -1 when the secret is missing or libgcrypt fails.
 */
int	 notify_token(long long id, const char *email, char out[NOTIFY_TOKEN_MAX]);

/*
 * Split a token from a URL into the account id and the mac. 0, or -1 when it
 * does not have the shape of one (garbled: no work, no database).
 */
int	 notify_token_parse(const char *token, long long *id,
	    char mac[NOTIFY_TOKEN_MAX]);

/* 1 when mac is the one of (id, email) (constant-time comparison), else 0. */
int	 notify_token_check(long long id, const char *email, const char *mac);

/* The absolute unsubscribe URL of (id, email): Service.BaseURL + "/unsubscribe/"
 * + token. malloc'd, or NULL (logged). */
char	*notify_unsubscribe_url(long long id, const char *email);

/* What one step of a mailing did (notify_mail_step). */
struct notify_step {
	long long	 announcement;	/* the announcement stepped, 0: none was due */
	long long	 queued;	/* mails queued by this step */
	int		 done;		/* the step queued the last recipients */
};

/*
 * One step of a mailing, in one transaction: the next Mail.BulkBatch members of
 * the audience above the announcement's cursor get their mail queued and a row
 * in announcement_mails, and the cursor moves on. only > 0 steps that
 * announcement (kenpoctl announcement send), ignoring the pace; 0 steps the
 * oldest due mailing whose last step is Mail.BulkInterval seconds old. An
 * announcement another process is stepping is skipped (SKIP LOCKED).
 * Returns 0 (out filled) or a db_status.
 */
int	 notify_mail_step(long long only, struct notify_step *out);

/*
 * The mailer's hook, run before each claim: while fewer than Mail.BulkBatch
 * announcement mails wait in the outbox, take one step (so a mailing never
 * buries the mail of signups and resets under its backlog, and the relay sees
 * at most Mail.BulkBatch of them per Mail.BulkInterval). Returns the number of
 * mails queued, or a db_status (logged).
 */
int	 notify_mail_run(void);

#endif
