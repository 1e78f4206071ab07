/*
 * mailer.c — drain the outbox over SMTP with libesmtp.
 *
 * One round (mailer_send_due):
 *   1. claim: in one short transaction, SELECT the due rows … FOR UPDATE SKIP LOCKED
 *      (several mailers never take the same row), push their next_attempt_at one
 *      lease into the future and count the attempt, COMMIT. On a Galera cluster
 *      SKIP LOCKED sees only the node's own locks, so mailers on two nodes may
 *      select the same row; but both then UPDATE it, the second COMMIT fails
 *      certification (1213) and db_txn runs the whole claim again, which sees
 *      the lease: still never the same row (docs/operations.md §10.2);
 *   2. send the claimed messages in one SMTP session, outside any transaction;
 *      each message the server accepts is recorded as sent (UPDATE sent_at) at
 *      once, from libesmtp's "message sent" event, before the next one goes out;
 *   3. record every other result with its own UPDATE: a retry time (back-off) and
 *      last_error, or failed_at and last_error.
 * Nothing is sent twice in normal operation. If the process dies between the
 * server's acceptance of a message and that UPDATE, the row becomes due again when
 * its lease expires and that one message may be delivered a second time; a lost
 * mail is worse than a duplicate. Recording each message as it is accepted keeps
 * that window to one message per crash, whatever the batch size. A database outage
 * in that window does not cause a duplicate: the mailer holds on to a "sent"
 * result and keeps trying to record it until shortly before its lease ends (nobody
 * else can claim the row until then), so only an outage longer than the lease, or
 * a stop request meanwhile, leaves one behind (logged). The lease is long enough
 * for the slowest SMTP session the configured timeouts allow, so a live mailer
 * never loses its claim. The other side of that: messages a crashed mailer had
 * claimed but not sent wait for the end of the lease (300 s + 4 × Mail.Timeout ×
 * (Mail.Batch + 1); 19 minutes with the defaults).
 *
 * Outcomes. Accepted by the server (DATA answered 2xx for the recipient): sent.
 * Recipient or message refused with 5xx: failed at once (retrying cannot help).
 * Everything else — server down, timeouts, dropped connection, 4xx, and a 5xx for
 * our own sender address (a configuration error the operator can fix) — is retried
 * after Mail.RetryMin seconds, doubling per attempt up to Mail.RetryMax, ±20 %
 * jitter, until the message is older than Mail.GiveUpAfter; the first failure after
 * that marks it failed. So a message is always tried at least once.
 *
 * Transfer encoding. Bodies are UTF-8 text. A body that is pure ASCII goes as 7bit.
 * Otherwise it goes as 8bit with BODY=8BITMIME (every current MTA and aiosmtpd offer
 * RFC 6152), which keeps the raw mail readable; if the server does not offer
 * 8BITMIME (libesmtp then refuses to start the transaction, before MAIL FROM) the
 * process remembers that and sends base64 from then on. A body with a line longer
 * than 998 octets, which 8bit does not allow, always goes as base64.
 *
 * libesmtp does the SMTP dot-stuffing itself (protocol.c, cmd_data2) and needs
 * CRLF line ends (a bare LF is not a line end for it), so bodies are converted to
 * CRLF here. It encodes nothing: the Subject and the From display name are RFC 2047
 * encoded here (mail_encode_header). All headers are written by us; libesmtp then
 * adds none of its own.
 *
 * Bulk mail. A row with list_unsubscribe (an announcement, notify_mail.c) gets
 * List-Unsubscribe: <URL> and List-Unsubscribe-Post: List-Unsubscribe=One-Click
 * (RFC 2369, RFC 8058), so that a mail program can offer one-click unsubscribe;
 * RFC 8058 also wants a DKIM signature covering both, which is the relay's job.
 * mailer_send_due first lets notify_mail_run queue the next batch of a mailing.
 *
 * Message-ID. Every attempt at one outbox row carries the same Message-ID
 * (mail_message_id), so the copy that a crash between the server's acceptance and
 * our commit delivers a second time can be recognised — by the receiving side and by
 * `make soak`, which counts distinct IDs. It is derived, not stored: an HMAC keyed
 * from Security.Secret over the row's id and created_at (so a database rebuilt from
 * scratch, whose ids start again at 1, never repeats an ID), cut to 128 bits. It is
 * unguessable and tells nothing about how many mails were sent.
 *
 * TLS and AUTH (Mail.StartTLS, Mail.CAFile, Mail.User, Mail.Password). libesmtp
 * speaks STARTTLS with an OpenSSL context made here once per mailer process (a
 * reload starts a new mailer): TLS 1.2 (see tls_context), the system's CA store or
 * Mail.CAFile. The handshake itself never fails on the certificate; libesmtp then
 * checks the verification result and the host name (its canonical one; we check
 * the one written in Mail.Server, peer_names_server) and asks us
 * (session_event): "required" refuses a certificate that does not verify or match,
 * "optional" takes any (encryption against a passive listener only). AUTH uses
 * libesmtp's SASL client (PLAIN, LOGIN or CRAM-MD5 as the server offers) and is
 * allowed only over verified TLS (config.c refuses Mail.User without
 * Mail.StartTLS = required). libesmtp goes on to MAIL FROM when AUTH fails, and
 * the server's refusal of the unauthenticated envelope would look permanent; so
 * the protocol monitor (session_monitor) follows the AUTH exchange and a failed or
 * missing AUTH makes the whole session a retry with the server's answer kept
 * ("AUTH 535 5.7.8 …"). TLS failures are kept the same way ("STARTTLS: …").
 * Neither the password nor what goes over the wire is logged.
 *
 * Logs name the outbox id only, never an address; last_error holds the SMTP phase,
 * code and the server's text with any word containing '@' removed.
 */
#include "outbox.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <auth-client.h>
#include <libesmtp.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "metrics.h"
#include "notify_mail.h"
#include "reset.h"
#include "util.h"

/* RFC 2047: an encoded-word is at most 75 characters and a line holding one at most
 * 76. 39 octets → 52 base64 characters → a 64-character word, so even the first
 * line ("Subject: " + word) stays within 76. */
#define ENC_WORD_OCTETS		39
#define BODY_LINE_MAX		998	/* RFC 5322 §2.1.1, without the CRLF */
#define ERR_TEXT_MAX		200	/* of last_error (the column holds 500) */

enum mail_outcome { MAIL_SENT, MAIL_RETRY, MAIL_FAIL };

/* One claimed outbox row and its SMTP message. */
struct mail {
	long long		 id;
	char			*to;
	char			*subject;
	char			*body;
	char			*created;	/* UNIX_TIMESTAMP(created_at) */
	char			*unsubscribe;	/* list_unsubscribe, or NULL */
	long long		 attempts;	/* including this one */
	int			 expired;	/* older than Mail.GiveUpAfter */
	char			*text;		/* the RFC 5322 message we send */
	smtp_message_t		 msg;
	smtp_recipient_t	 rcpt;
	enum mail_outcome	 outcome;
	int			 recorded;	/* sent_at stored during the session */
	char			 reason[ERR_TEXT_MAX + 1];
};

/* The rows of one claim, filled by claim_txn. */
struct claim {
	struct mail	*v;
	size_t		 n;
	long long	 limit;
	long long	 lease;		/* seconds */
	long long	 giveup;	/* seconds */
};

/* Set once the server has shown it lacks 8BITMIME: send base64 from then on. */
static int	 no_8bitmime;

/* ---- encoding helpers ------------------------------------------------------ */

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Append standard base64 (with padding) of n bytes to b. */
static void
b64_append(struct buf *b, const unsigned char *in, size_t n)
{
	char		 q[4];
	size_t		 i;
	unsigned long	 v;

	for (i = 0; i + 3 <= n; i += 3) {
		v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 |
		    in[i + 2];
		q[0] = b64chars[(v >> 18) & 63];
		q[1] = b64chars[(v >> 12) & 63];
		q[2] = b64chars[(v >> 6) & 63];
		q[3] = b64chars[v & 63];
		buf_append(b, q, 4);
	}
	if (n - i == 1) {
		v = (unsigned long)in[i] << 16;
		q[0] = b64chars[(v >> 18) & 63];
		q[1] = b64chars[(v >> 12) & 63];
		q[2] = q[3] = '=';
		buf_append(b, q, 4);
	} else if (n - i == 2) {
		v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8;
		q[0] = b64chars[(v >> 18) & 63];
		q[1] = b64chars[(v >> 12) & 63];
		q[2] = b64chars[(v >> 6) & 63];
		q[3] = '=';
		buf_append(b, q, 4);
	}
}

/*
 * Length of the UTF-8 sequence starting at s (at most avail bytes): 1–4 for a
 * well-formed sequence; 1 for a byte that does not start one, so that malformed
 * input is still cut only between bytes we can account for.
 */
static size_t
utf8_seqlen(const unsigned char *s, size_t avail)
{
	size_t	 n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 1;
	if (n > avail)
		return 1;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/*
 * RFC 2047 encode a header value. Control characters (CR and LF included, so no
 * value can inject a header) become spaces. A value of printable ASCII that does
 * not contain "=?" is returned unchanged; anything else becomes a sequence of
 * "=?UTF-8?B?…?=" words of at most 39 octets each (64 characters), never cutting
 * a UTF-8 character, separated by CRLF SP (header folding; whitespace between
 * encoded-words is not part of the decoded text). Returns a malloc'd string.
 */
char *
mail_encode_header(const char *utf8)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*s;
	size_t		 len, i, start, seq;
	int		 plain = 1;

	s = xstrdup(utf8 != NULL ? utf8 : "");
	len = strlen(s);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			s[i] = ' ';
		else if (c >= 0x80)
			plain = 0;
	}
	if (plain && strstr(s, "=?") == NULL)
		return s;

	buf_append(&b, "", 0);
	for (start = i = 0; i < len; i += seq) {
		seq = utf8_seqlen((const unsigned char *)s + i, len - i);
		if (i + seq - start > ENC_WORD_OCTETS) {
			if (b.len > 0)
				buf_puts(&b, "\r\n ");
			buf_puts(&b, "=?UTF-8?B?");
			b64_append(&b, (const unsigned char *)s + start, i - start);
			buf_puts(&b, "?=");
			start = i;
		}
	}
	if (i > start) {
		if (b.len > 0)
			buf_puts(&b, "\r\n ");
		buf_puts(&b, "=?UTF-8?B?");
		b64_append(&b, (const unsigned char *)s + start, i - start);
		buf_puts(&b, "?=");
	}
	free(s);
	return b.data;
}

/*
 * The Message-ID, without the angle brackets, of outbox row id created at created
 * (its UNIX_TIMESTAMP(created_at) as the database prints it, microseconds
 * included): "<32 hex>@domain", where the hex is the first 16 bytes of
 * HMAC-SHA256(K, id "|" created) and K = HMAC-SHA256(Security.Secret,
 * "kenpo message-id v1"). The same for every attempt at the row (see the top of
 * this file). Returns a malloc'd string, or NULL when the secret is missing or
 * libgcrypt fails.
 */
char *
mail_message_id(long long id, const char *created, const char *domain)
{
	static const char	 purpose[] = "kenpo message-id v1";
	unsigned char		 secret[128], key[32], mac[32];
	char			 hex[33], *msg, *out = NULL;
	size_t			 n;

	n = config_secret("Security.Secret", secret, sizeof(secret));
	if (n == 0 || crypto_hmac(secret, n, purpose, strlen(purpose), key) != 0)
		goto out;
	msg = xasprintf("%lld|%s", id, created != NULL ? created : "");
	if (crypto_hmac(key, sizeof(key), msg, strlen(msg), mac) == 0) {
		util_hex(mac, 16, hex);
		out = xasprintf("%s@%s", hex, domain);
	}
	free(msg);
out:
	util_wipe(secret, sizeof(secret));
	util_wipe(key, sizeof(key));
	return out;
}

/* 1 if addr is safe to put in a header and an envelope: printable ASCII without
 * space or <>()\",;, one '@' with text on both sides, at most 254 octets. */
static int
addr_ok(const char *addr)
{
	const char	*p, *at = NULL;

	if (strlen(addr) < 3 || strlen(addr) > 254)
		return 0;
	for (p = addr; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("<>()\",;\\", *p) != NULL)
			return 0;
		if (*p == '@') {
			if (at != NULL)
				return 0;
			at = p;
		}
	}
	return at != NULL && at != addr && at[1] != '\0';
}

/* Append the From: header value: display name (quoted or RFC 2047) and address. */
static void
from_header(struct buf *b, const char *name, const char *addr)
{
	const char	*p;
	char		*enc;
	int		 ascii = 1;

	if (name == NULL || *name == '\0') {
		buf_puts(b, addr);
		return;
	}
	for (p = name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			ascii = 0;
	if (ascii && strstr(name, "=?") == NULL) {
		/* A quoted-string: safe whatever specials the name holds. */
		buf_puts(b, "\"");
		for (p = name; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_puts(b, "\\");
			buf_append(b, p, 1);
		}
		buf_printf(b, "\" <%s>", addr);
		return;
	}
	enc = mail_encode_header(name);
	/* The address on its own folded line keeps every line within 76. */
	buf_printf(b, "%s\r\n <%s>", enc, addr);
	free(enc);
}

#define LIST_UNSUBSCRIBE_URL_MAX	300	/* outbox.list_unsubscribe */

/*
 * The List-Unsubscribe and List-Unsubscribe-Post lines for url (see outbox.h):
 * a URL we made (notify_mail.c), checked again here because it becomes a
 * header. One line each: "List-Unsubscribe: <" + 300 + ">" stays far within the
 * 998 octets of RFC 5322, and folding inside the brackets is not allowed.
 */
char *
mail_list_unsubscribe(const char *url)
{
	const char	*p;
	size_t		 n;

	if (url == NULL)
		return NULL;
	n = strlen(url);
	if (n > LIST_UNSUBSCRIBE_URL_MAX)
		return NULL;
	if (strncmp(url, "https://", 8) == 0)
		p = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		p = url + 7;
	else
		return NULL;
	if (*p == '\0' || *p == '/')
		return NULL;		/* no host */
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("<>\"\\,", *p) != NULL)
			return NULL;
	return xasprintf("List-Unsubscribe: <%s>\r\n"
	    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", url);
}

/* Append an RFC 5322 date of now, local time, independent of the locale. */
static void
date_header(struct buf *b)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct tm	 tm;
	time_t		 now;
	long		 off;

	now = time(NULL);
	if (localtime_r(&now, &tm) == NULL) {
		gmtime_r(&now, &tm);
		tm.tm_gmtoff = 0;
	}
	off = tm.tm_gmtoff / 60;
	buf_printf(b, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

/* 1 if the body is pure ASCII, else 0; *longline set if a line exceeds 998. */
static int
body_scan(const char *body, int *longline)
{
	const char	*p;
	size_t		 col = 0;
	int		 ascii = 1;

	*longline = 0;
	for (p = body; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80)
			ascii = 0;
		if (*p == '\n' || *p == '\r')
			col = 0;
		else if (++col > BODY_LINE_MAX)
			*longline = 1;
	}
	return ascii;
}

/* Append body to b with every line end (LF, CR or CRLF) as CRLF, ending in CRLF. */
static void
crlf_append(struct buf *b, const char *body)
{
	const char	*p, *q;

	for (p = body; *p != '\0'; p = q) {
		q = p + strcspn(p, "\r\n");
		buf_append(b, p, (size_t)(q - p));
		if (*q == '\0') {
			buf_puts(b, "\r\n");
			break;
		}
		buf_puts(b, "\r\n");
		if (q[0] == '\r' && q[1] == '\n')
			q += 2;
		else
			q++;
	}
}

/*
 * Build the whole message for m into m->text. *eightbit is set to 1 when it must
 * be sent with BODY=8BITMIME. Returns 0, or -1 with m->reason set (configuration
 * error: the message is retried).
 */
static int
mail_build(struct mail *m, int *eightbit)
{
	struct buf	 b = { NULL, 0, 0 }, crlf = { NULL, 0, 0 };
	const char	*from, *domain, *cte;
	char		*subj, *msgid, *lu;
	size_t		 i;
	int		 ascii, longline, base64 = 0;

	*eightbit = 0;
	from = config_str("Mail.From");
	if (!addr_ok(from)) {
		snprintf(m->reason, sizeof(m->reason), "Mail.From is not a "
		    "valid address");
		return -1;
	}
	domain = strchr(from, '@') + 1;
	if ((msgid = mail_message_id(m->id, m->created, domain)) == NULL) {
		snprintf(m->reason, sizeof(m->reason), "cannot derive the "
		    "Message-ID (Security.Secret)");
		return -1;
	}

	ascii = body_scan(m->body, &longline);
	if (ascii && !longline)
		cte = "7bit";
	else if (!longline && !no_8bitmime) {
		cte = "8bit";
		*eightbit = 1;
	} else {
		cte = "base64";
		base64 = 1;
	}

	buf_puts(&b, "From: ");
	from_header(&b, config_str("Mail.FromName"), from);
	buf_printf(&b, "\r\nTo: %s\r\n", m->to);
	subj = mail_encode_header(m->subject);
	buf_printf(&b, "Subject: %s\r\n", subj);
	free(subj);
	buf_puts(&b, "Date: ");
	date_header(&b);
	buf_printf(&b, "\r\nMessage-ID: <%s>\r\n", msgid);
	free(msgid);
	buf_puts(&b, "Auto-Submitted: auto-generated\r\n");
	if (m->unsubscribe != NULL) {
		/* A bulk mail (an announcement): one-click unsubscribe (RFC 8058).
		 * The URL was checked when queued; a row that fails now goes
		 * without the headers (its body still has the link). */
		if ((lu = mail_list_unsubscribe(m->unsubscribe)) != NULL) {
			buf_puts(&b, lu);
			free(lu);
		} else
			log_warn("mail %lld: unusable List-Unsubscribe URL; sent "
			    "without it", m->id);
	}
	buf_puts(&b, "MIME-Version: 1.0\r\n");
	buf_puts(&b, "Content-Type: text/plain; charset=UTF-8\r\n");
	buf_printf(&b, "Content-Transfer-Encoding: %s\r\n\r\n", cte);

	crlf_append(&crlf, m->body);
	if (base64) {
		/* 57 octets → one 76-character line. */
		for (i = 0; i < crlf.len; i += 57) {
			b64_append(&b, (const unsigned char *)crlf.data + i,
			    crlf.len - i < 57 ? crlf.len - i : 57);
			buf_puts(&b, "\r\n");
		}
	} else if (crlf.len > 0)
		buf_append(&b, crlf.data, crlf.len);
	buf_free(&crlf);
	m->text = b.data;
	return 0;
}

/* ---- claiming and recording ------------------------------------------------ */

static void
mail_free(struct mail *m)
{
	free(m->to);
	free(m->subject);
	free(m->body);
	free(m->created);
	free(m->unsubscribe);
	free(m->text);
}

static void
claim_reset(struct claim *c)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		mail_free(&c->v[i]);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/*
 * db_txn body: select up to c->limit due rows, skipping rows another mailer holds,
 * and claim them (lease, attempts + 1). Safe to rerun: starts from an empty claim.
 */
static int
claim_txn(void *arg)
{
	struct claim	*c = arg;
	struct db_res	*res = NULL;
	struct mail	*m;
	size_t		 i;
	long long	 rc;
	int		 r;

	claim_reset(c);
	r = db_query(&res,
	    "SELECT id, to_addr, subject, body, attempts, "
	    "created_at < NOW(6) - INTERVAL ? SECOND, "
	    "UNIX_TIMESTAMP(created_at), list_unsubscribe "
	    "FROM outbox "
	    "WHERE sent_at IS NULL AND failed_at IS NULL "
	    "AND next_attempt_at <= NOW(6) "
	    "ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
	    "ii", c->giveup, c->limit);
	if (r < 0)
		return r;
	c->v = xcalloc((size_t)c->limit, sizeof(*c->v));
	while ((r = db_res_next(res)) == 1 && c->n < (size_t)c->limit) {
		m = &c->v[c->n++];
		m->id = db_res_int(res, 0);
		m->to = xstrdup(db_res_str(res, 1) ? db_res_str(res, 1) : "");
		m->subject = xstrdup(db_res_str(res, 2) ?
		    db_res_str(res, 2) : "");
		m->body = xstrdup(db_res_str(res, 3) ? db_res_str(res, 3) : "");
		m->attempts = db_res_int(res, 4) + 1;
		m->expired = db_res_int(res, 5) != 0;
		m->created = xstrdup(db_res_str(res, 6) ? db_res_str(res, 6) : "");
		m->unsubscribe = db_res_str(res, 7) != NULL ?
		    xstrdup(db_res_str(res, 7)) : NULL;
	}
	db_res_free(res);
	if (r < 0)
		return DB_ERR;

	for (i = 0; i < c->n; i++) {
		rc = db_exec("UPDATE outbox SET attempts = attempts + 1, "
		    "next_attempt_at = NOW(6) + INTERVAL ? SECOND WHERE id = ?",
		    "ii", c->lease, c->v[i].id);
		if (rc < 0)
			return (int)rc;
	}
	return (int)c->n;
}

/* Seconds to wait before attempt number attempts + 1: doubling, capped, ±20 %. */
static long long
backoff(long long attempts)
{
	long long	 min, max, d, span;
	int		 shift;

	min = config_int("Mail.RetryMin");
	max = config_int("Mail.RetryMax");
	shift = attempts <= 1 ? 0 : attempts > 31 ? 30 : (int)attempts - 1;
	d = min;
	while (shift-- > 0 && d < max)
		d *= 2;
	if (d > max)
		d = max;
	span = d * 2 / 5;
	if (span > 0 && span < 0x7fffffff)
		d = d - d / 5 + (long long)crypto_random_uniform(
		    (unsigned)span + 1);
	if (d > max)
		d = max;
	return d < 1 ? 1 : d;
}

/* Set by mailer_run: record() stops waiting for the database when it turns on. */
static volatile int	*mailer_stop;

/*
 * Store the outcome of one message. A "sent" result is the one that matters most
 * (losing it means a resend after the lease), so it is retried, with a pause that
 * grows to 5 s, until it is stored or until deadline_ms (monotonic; shortly before
 * the lease ends) or a stop request. Other results are tried once: a lost one only
 * delays the next attempt until the lease ends.
 */
static void
record(struct mail *m, int64_t deadline_ms)
{
	long long	 rc = 0, delay;
	long		 pause_ms = 500;
	int		 tries = 0;
	char		 err[ERR_TEXT_MAX + 40];
	const char	*why = m->reason;

	switch (m->outcome) {
	case MAIL_SENT:
		metrics_add(M_MAIL_SENT, 1);
		if (m->recorded)
			return;
		for (;;) {
			rc = db_exec("UPDATE outbox SET sent_at = NOW(6), "
			    "last_error = NULL WHERE id = ?", "i", m->id);
			tries++;
			if (rc >= 0 || util_mono_ms() + pause_ms >= deadline_ms ||
			    (mailer_stop != NULL && *mailer_stop))
				break;
			if (tries == 3)
				log_warn("mail %lld sent; recording it waits for "
				    "the database", m->id);
			nanosleep(&(struct timespec){ pause_ms / 1000,
			    (pause_ms % 1000) * 1000000L }, NULL);
			if (pause_ms < 5000)
				pause_ms *= 2;
		}
		if (rc < 0)
			log_err("mail %lld sent but not recorded; it may be "
			    "sent again after its lease", m->id);
		else
			log_info("mail %lld sent (attempt %lld)", m->id,
			    m->attempts);
		return;
	case MAIL_RETRY:
		if (!m->expired) {
			delay = backoff(m->attempts);
			rc = db_exec("UPDATE outbox SET next_attempt_at = "
			    "NOW(6) + INTERVAL ? SECOND, last_error = ? "
			    "WHERE id = ? AND sent_at IS NULL",
			    "isi", delay, m->reason, m->id);
			log_warn("mail %lld deferred (attempt %lld, retry in "
			    "%lld s): %s", m->id, m->attempts, delay, m->reason);
			metrics_add(M_MAIL_RETRY, 1);
			break;
		}
		snprintf(err, sizeof(err), "gave up after %lld attempts: %s",
		    m->attempts, m->reason);
		why = err;
		/* FALLTHROUGH */
	case MAIL_FAIL:
		rc = db_exec("UPDATE outbox SET failed_at = NOW(6), "
		    "last_error = ? WHERE id = ? AND sent_at IS NULL",
		    "si", why, m->id);
		log_err("mail %lld failed (attempt %lld): %s", m->id,
		    m->attempts, why);
		metrics_add(M_MAIL_FAILED, 1);
		break;
	}
	if (rc < 0)
		log_err("mail %lld: result not recorded (db status %lld); "
		    "retried after its lease", m->id, rc);
}

/* ---- SMTP ------------------------------------------------------------------ */

/* What the libesmtp event callback works on during one session. */
struct session_state {
	struct claim	*c;
	int		 missing_8bitmime;
	int		 tls_required;
	int		 tls_ok;		/* handshake done, certificate accepted */
	char		 fatal[ERR_TEXT_MAX + 1];  /* TLS or AUTH: the session's error */
	/* STARTTLS and AUTH as session_monitor sees them. */
	enum { WAIT_NONE, WAIT_STARTTLS, WAIT_AUTH } waiting;	/* a final answer */
	int		 tls_started;		/* STARTTLS answered 220 */
	int		 auth_sent;		/* an AUTH command went out */
	int		 auth_ok;		/* 235 */
	int		 mail_sent;		/* a MAIL command went out */
	char		 line[512];		/* the server's line being read */
	size_t		 linelen;
};

/* 1 if the server accepted m (recipient and end of DATA answered 2xx). */
static int
accepted(struct mail *m)
{
	const smtp_status_t	*rc, *tc;

	rc = smtp_recipient_status(m->rcpt);
	tc = smtp_message_transfer_status(m->msg);
	return rc != NULL && rc->code / 100 == 2 && tc != NULL && tc->code / 100 == 2;
}

static void	status_reason(char *, size_t, const char *, const smtp_status_t *);

/* Keep the first session-level error (TLS, AUTH), printable ASCII only. */
static void
session_fatal(struct session_state *st, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 i;

	if (st->fatal[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(st->fatal, sizeof(st->fatal), fmt, ap);
	va_end(ap);
	for (i = 0; st->fatal[i] != '\0'; i++)
		if ((unsigned char)st->fatal[i] < 0x20 ||
		    (unsigned char)st->fatal[i] >= 0x7f)
			st->fatal[i] = '?';
}

/* Record a message the server accepted as sent, now (see the top comment). */
static void
record_accepted(struct session_state *st, smtp_message_t msg)
{
	struct mail	*m;
	size_t		 i;

	for (i = 0; i < st->c->n; i++) {
		m = &st->c->v[i];
		if (m->msg != msg || m->rcpt == NULL || !accepted(m))
			continue;
		if (db_exec("UPDATE outbox SET sent_at = NOW(6), last_error = NULL "
		    "WHERE id = ?", "i", m->id) >= 0) {
			m->recorded = 1;
			log_info("mail %lld sent (attempt %lld)", m->id,
			    m->attempts);
		}
		break;
	}
}

/*
 * Whether the relay's certificate (ssl's peer) names the host of Mail.Server as
 * written there ("host:port"; a host name, or an IP address).
 */
static int
peer_names_server(SSL *ssl)
{
	const char	*server = config_str("Mail.Server"), *colon;
	char		 host[256];
	size_t		 n;
	X509		*cert;
	int		 rc;

	if (ssl == NULL)
		return 0;
	colon = strrchr(server, ':');
	n = colon != NULL ? (size_t)(colon - server) : strlen(server);
	if (n > 1 && server[0] == '[' && server[n - 1] == ']') {
		server++;		/* [IPv6]:port */
		n -= 2;
	}
	if (n == 0 || n >= sizeof(host))
		return 0;
	memcpy(host, server, n);
	host[n] = '\0';
	if ((cert = SSL_get1_peer_certificate(ssl)) == NULL)
		return 0;
	if (X509_check_ip_asc(cert, host, 0) == 1)
		rc = 1;
	else
		rc = X509_check_host(cert, host, n, 0, NULL) == 1;
	X509_free(cert);
	return rc;
}

/*
 * libesmtp event callback. Notes that a required extension is missing; decides
 * on the server's certificate (Mail.StartTLS); and when the server has accepted a
 * message, records it as sent right away (one try: if the database does not
 * answer, record() tries again, longer, after the session), so that a crash later
 * in the session cannot make it go out twice.
 */
static void
session_event(smtp_session_t s, int event, void *arg, ...)
{
	struct session_state	*st = arg;
	va_list			 ap;
	long			 vfy;
	int			*ok;
	const char		*name;
	SSL			*ssl;

	(void)s;
	va_start(ap, arg);
	switch (event) {
	case SMTP_EV_EXTNA_8BITMIME:
		st->missing_8bitmime = 1;
		break;
	case SMTP_EV_EXTNA_STARTTLS:
		session_fatal(st, "STARTTLS: not offered by the server "
		    "(Mail.StartTLS = required)");
		break;
	case SMTP_EV_INVALID_PEER_CERTIFICATE:
		vfy = va_arg(ap, long);
		ok = va_arg(ap, int *);
		*ok = !st->tls_required;
		if (!*ok)
			session_fatal(st, "STARTTLS: the server's certificate is "
			    "not trusted: %s", X509_verify_cert_error_string(vfy));
		break;
	case SMTP_EV_NO_PEER_CERTIFICATE:
		ok = va_arg(ap, int *);
		*ok = !st->tls_required;
		if (!*ok)
			session_fatal(st, "STARTTLS: the server sent no certificate");
		break;
	case SMTP_EV_WRONG_PEER_CERTIFICATE:
		ok = va_arg(ap, int *);
		name = va_arg(ap, const char *);
		ssl = va_arg(ap, SSL *);
		/* libesmtp compared the certificate with the canonical name of
		 * the host (getaddrinfo's ai_canonname: a CNAME's target, or the
		 * first name of an /etc/hosts line), not with the name written
		 * in Mail.Server. The name written is the one that counts
		 * (RFC 6125); the chain was verified before this event. */
		if (peer_names_server(ssl)) {
			*ok = 1;
			break;
		}
		*ok = !st->tls_required;
		if (!*ok)
			session_fatal(st, "STARTTLS: the server's certificate is "
			    "for %.80s, not the host of Mail.Server",
			    name != NULL && name[0] != '\0' ? name : "another name");
		break;
	case SMTP_EV_WEAK_CIPHER:
		(void)va_arg(ap, int);
		ok = va_arg(ap, int *);
		*ok = 0;
		session_fatal(st, "STARTTLS: the server chose a weak cipher");
		break;
	case SMTP_EV_STARTTLS_OK:
		st->tls_ok = 1;
		break;
	case SMTP_EV_MESSAGESENT:
		record_accepted(st, va_arg(ap, smtp_message_t));
		break;
	default:
		break;
	}
	va_end(ap);
}

/*
 * Protocol monitor: follows the STARTTLS, AUTH and MAIL commands only (libesmtp reports
 * neither outcome to the application, and its error code is sticky across
 * sessions). A written chunk that starts one of them opens it; the server's next
 * final line closes it. STARTTLS: 220 means the handshake comes next (tls_started).
 * AUTH: 235 is success, 4xx/5xx a refusal, kept as the session's error (libesmtp
 * may try another mechanism, which opens it again). Nothing seen here is logged.
 */
static void
session_monitor(const char *buf, int len, int writing, void *arg)
{
	struct session_state	*st = arg;
	smtp_status_t		 status;
	int			 i, code;

	if (len <= 0)
		return;
	if (writing == SMTP_CB_WRITING) {
		if (len >= 8 && strncasecmp(buf, "STARTTLS", 8) == 0)
			st->waiting = WAIT_STARTTLS;
		else if (len >= 5 && strncasecmp(buf, "AUTH ", 5) == 0) {
			st->auth_sent = 1;
			st->waiting = WAIT_AUTH;
		} else if (len >= 10 && strncasecmp(buf, "MAIL FROM:", 10) == 0)
			st->mail_sent = 1;	/* past AUTH, done or skipped */
		st->linelen = 0;
		return;
	}
	if (writing != SMTP_CB_READING || st->waiting == WAIT_NONE)
		return;
	for (i = 0; i < len; i++) {
		if (buf[i] != '\n') {
			if (st->linelen < sizeof(st->line) - 1)
				st->line[st->linelen++] = buf[i];
			continue;
		}
		st->line[st->linelen] = '\0';
		st->linelen = 0;
		if (strlen(st->line) < 3 || st->line[3] == '-')
			continue;	/* a continuation line */
		code = atoi(st->line);
		if (st->waiting == WAIT_STARTTLS) {
			st->tls_started = code == 220;
			st->waiting = WAIT_NONE;
			continue;
		}
		if (code / 100 == 3)
			continue;	/* a SASL challenge; the answer follows */
		st->waiting = WAIT_NONE;
		if (code == 235) {
			st->auth_ok = 1;
			st->fatal[0] = '\0';	/* an earlier mechanism's refusal */
			continue;
		}
		if (code / 100 != 4 && code / 100 != 5)
			continue;
		memset(&status, 0, sizeof(status));
		status.code = code;
		status.text = st->line + (st->line[3] != '\0' ? 4 : 3);
		if (sscanf(status.text, "%d.%d.%d", &status.enh_class,
		    &status.enh_subject, &status.enh_detail) != 3)
			status.enh_class = 0;
		st->fatal[0] = '\0';
		status_reason(st->fatal, sizeof(st->fatal), "AUTH", &status);
	}
}

/*
 * The process's TLS context for STARTTLS (NULL: none could be made; logged) and
 * its SASL context. Made once: a reload starts a new mailer process.
 */
static SSL_CTX		*tls_ctx;
static auth_context_t	 auth_ctx;
static int		 tls_tried, auth_tried;
static char		*auth_user, *auth_pass, auth_realm[1];	/* for libesmtp */

static SSL_CTX *
tls_context(void)
{
	const char	*cafile = config_str("Mail.CAFile");
	char		 ebuf[160];

	if (tls_tried)
		return tls_ctx;
	tls_tried = 1;
	/*
	 * TLS 1.2 exactly. Against Postfix with TLS 1.3, a third to a half of
	 * libesmtp 1.1's sessions stalled after the EHLO that follows STARTTLS
	 * until Mail.Timeout (make deploy-test: 8 of 20; 0 of 23 with 1.2): the
	 * server's answer arrives behind its post-handshake session tickets and
	 * libesmtp waits on the socket for bytes OpenSSL already holds.
	 */
	if ((tls_ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(tls_ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(tls_ctx, TLS1_2_VERSION) != 1)
		goto fail;
	/* Verified by libesmtp after the handshake (session_event). */
	SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_NONE, NULL);
	if (cafile[0] != '\0' ?
	    SSL_CTX_load_verify_locations(tls_ctx, cafile, NULL) != 1 :
	    SSL_CTX_set_default_verify_paths(tls_ctx) != 1)
		goto fail;
	return tls_ctx;
fail:
	ERR_error_string_n(ERR_get_error(), ebuf, sizeof(ebuf));
	log_err("mailer: cannot set up TLS%s%s: %s",
	    cafile[0] != '\0' ? " with Mail.CAFile " : "", cafile, ebuf);
	SSL_CTX_free(tls_ctx);
	tls_ctx = NULL;
	return NULL;
}

/* SASL: libesmtp asks for the user and the password. */
static int
auth_interact(auth_client_request_t req, char **result, int fields, void *arg)
{
	int	 i;

	(void)arg;
	for (i = 0; i < fields; i++) {
		if (req[i].flags & AUTH_USER)
			result[i] = auth_user;
		else if (req[i].flags & AUTH_PASS)
			result[i] = auth_pass;
		else if (req[i].flags & AUTH_REALM)
			result[i] = auth_realm;
		else
			return 0;
	}
	return 1;
}

static auth_context_t
auth_context(void)
{
	if (auth_tried)
		return auth_ctx;
	auth_tried = 1;
	auth_user = xstrdup(config_str("Mail.User"));
	auth_pass = xstrdup(config_str("Mail.Password"));
	auth_client_init();
	if ((auth_ctx = auth_create_context()) == NULL ||
	    auth_set_mechanism_flags(auth_ctx, AUTH_PLUGIN_PLAIN, 0) == 0 ||
	    auth_set_interact_cb(auth_ctx, auth_interact, NULL) == 0) {
		log_err("mailer: cannot set up SMTP AUTH");
		if (auth_ctx != NULL)
			auth_destroy_context(auth_ctx);
		auth_ctx = NULL;
	}
	return auth_ctx;
}

/* STARTTLS and AUTH for session s as configured; an error text, or NULL. */
static const char *
session_security(smtp_session_t s, struct session_state *st)
{
	const char	*mode = config_str("Mail.StartTLS");
	SSL_CTX		*ctx;
	auth_context_t	 ac;

	if (strcmp(mode, "off") == 0)
		return smtp_starttls_enable(s, Starttls_DISABLED) ? NULL :
		    "cannot set up libesmtp session";
	st->tls_required = strcmp(mode, "required") == 0;
	if ((ctx = tls_context()) == NULL)
		return "STARTTLS: no TLS context (see the log)";
	if (smtp_starttls_set_ctx(s, ctx) == 0 ||
	    smtp_starttls_enable(s, st->tls_required ? Starttls_REQUIRED :
	    Starttls_ENABLED) == 0 ||
	    smtp_set_monitorcb(s, session_monitor, st, 0) == 0)
		return "cannot set up libesmtp session";
	if (config_str("Mail.User")[0] == '\0')
		return NULL;
	if ((ac = auth_context()) == NULL)
		return "AUTH: no SASL context (see the log)";
	if (smtp_auth_set_context(s, ac) == 0)
		return "cannot set up libesmtp session";
	return NULL;
}

/*
 * Write "PHASE code x.y.z text" into out, dropping every word of the server's text
 * that contains '@' (addresses) and any control character.
 */
static void
status_reason(char *out, size_t outlen, const char *phase,
    const smtp_status_t *st)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p, *w;
	size_t		 n;

	buf_printf(&b, "%s %d", phase, st->code);
	if (st->enh_class > 0)
		buf_printf(&b, " %d.%d.%d", st->enh_class, st->enh_subject,
		    st->enh_detail);
	for (p = st->text != NULL ? st->text : ""; *p != '\0'; ) {
		while (*p != '\0' && (unsigned char)*p <= 0x20)
			p++;
		w = p;
		while (*p != '\0' && (unsigned char)*p > 0x20)
			p++;
		n = (size_t)(p - w);
		if (n == 0 || memchr(w, '@', n) != NULL)
			continue;
		/* Skip the enhanced code the server repeats at the start. */
		if (b.len < 16 && n >= 5 && w[0] >= '2' && w[0] <= '5' &&
		    w[1] == '.' && st->enh_class > 0)
			continue;
		buf_puts(&b, " ");
		buf_append(&b, w, n);
		if (b.len >= outlen)
			break;
	}
	for (n = 0; n < b.len; n++)
		if ((unsigned char)b.data[n] == 0x7f)
			b.data[n] = ' ';
	snprintf(out, outlen, "%s", b.data);
	buf_free(&b);
}

/*
 * Decide the outcome of m from its libesmtp statuses after the session. A
 * session-level error (fatal: TLS or AUTH) decides for every message the server
 * did not accept: the refusals that followed it say nothing about the message.
 */
static void
classify(struct mail *m, const char *fatal, const char *session_err)
{
	const smtp_status_t	*rp, *rc, *tc;

	rp = smtp_reverse_path_status(m->msg);
	rc = smtp_recipient_status(m->rcpt);
	tc = smtp_message_transfer_status(m->msg);

	if (accepted(m)) {
		m->outcome = MAIL_SENT;
		return;
	}
	if (fatal != NULL && fatal[0] != '\0') {
		m->outcome = MAIL_RETRY;
		snprintf(m->reason, sizeof(m->reason), "%s", fatal);
	} else if (rc != NULL && rc->code / 100 == 5) {
		m->outcome = MAIL_FAIL;
		status_reason(m->reason, sizeof(m->reason), "RCPT", rc);
	} else if (rc != NULL && rc->code / 100 == 4) {
		m->outcome = MAIL_RETRY;
		status_reason(m->reason, sizeof(m->reason), "RCPT", rc);
	} else if (rp != NULL && (rp->code / 100 == 4 || rp->code / 100 == 5)) {
		/* Our sender refused: configuration, not this message. */
		m->outcome = MAIL_RETRY;
		status_reason(m->reason, sizeof(m->reason), "MAIL", rp);
	} else if (tc != NULL && tc->code / 100 == 5) {
		m->outcome = MAIL_FAIL;
		status_reason(m->reason, sizeof(m->reason), "DATA", tc);
	} else if (tc != NULL && tc->code / 100 == 4) {
		m->outcome = MAIL_RETRY;
		status_reason(m->reason, sizeof(m->reason), "DATA", tc);
	} else {
		m->outcome = MAIL_RETRY;
		/* libesmtp sets no error when a read times out. */
		snprintf(m->reason, sizeof(m->reason), "SMTP session: %s",
		    session_err != NULL ? session_err :
		    "no reply (timeout or connection closed)");
	}
}

/* Set the five protocol timeouts to ms milliseconds, below the RFC minimums. */
static int
session_timeouts(smtp_session_t s, long ms)
{
	static const int which[] = {
		Timeout_GREETING, Timeout_ENVELOPE, Timeout_DATA,
		Timeout_TRANSFER, Timeout_DATA2
	};
	size_t	 i;

	for (i = 0; i < sizeof(which) / sizeof(which[0]); i++)
		if (smtp_set_timeout(s, which[i] |
		    Timeout_OVERRIDE_RFC2822_MINIMUM, ms) == 0)
			return -1;
	return 0;
}

/*
 * Send the claimed messages in one SMTP session and set each one's outcome.
 * Returns 1 if the session must be redone in base64 (the server lacks 8BITMIME
 * and nothing was sent), else 0.
 */
static int
send_session(struct claim *c)
{
	smtp_session_t	 s = NULL;
	struct mail	*m;
	size_t		 i;
	char		 ebuf[128];
	const char	*serr = NULL;
	struct session_state st;
	int		 eightbit, any8 = 0, redo = 0;

	for (i = 0; i < c->n; i++) {
		c->v[i].msg = NULL;
		c->v[i].rcpt = NULL;
		free(c->v[i].text);
		c->v[i].text = NULL;
		c->v[i].outcome = MAIL_RETRY;
		c->v[i].recorded = 0;
		c->v[i].reason[0] = '\0';
	}
	memset(&st, 0, sizeof(st));
	st.c = c;
	if ((s = smtp_create_session()) == NULL ||
	    smtp_set_server(s, config_str("Mail.Server")) == 0 ||
	    session_timeouts(s, (long)config_int("Mail.Timeout") * 1000) != 0 ||
	    smtp_option_require_all_recipients(s, 1) == 0 ||
	    smtp_set_eventcb(s, session_event, &st) == 0) {
		serr = "cannot set up libesmtp session";
		goto done;
	}
	if ((serr = session_security(s, &st)) != NULL)
		goto done;
	for (i = 0; i < c->n; i++) {
		m = &c->v[i];
		if (!addr_ok(m->to)) {
			m->outcome = MAIL_FAIL;
			snprintf(m->reason, sizeof(m->reason),
			    "invalid recipient address");
			continue;
		}
		if (mail_build(m, &eightbit) != 0)
			continue;	/* MAIL_RETRY, reason set */
		if ((m->msg = smtp_add_message(s)) == NULL ||
		    smtp_set_reverse_path(m->msg,
		    config_str("Mail.From")) == 0 ||
		    smtp_set_message_str(m->msg, m->text) == 0 ||
		    (eightbit && smtp_8bitmime_set_body(m->msg,
		    E8bitmime_8BITMIME) == 0) ||
		    (m->rcpt = smtp_add_recipient(m->msg, m->to)) == NULL) {
			serr = "cannot set up libesmtp message";
			goto done;
		}
		any8 |= eightbit;
	}
	ERR_clear_error();
	if (smtp_start_session(s) == 0)
		serr = smtp_strerror(smtp_errno(), ebuf, sizeof(ebuf));
	if (st.tls_started && !st.tls_ok) {
		/* The handshake failed, or the certificate was refused (then
		 * session_event has kept why, and that stays). */
		if (ERR_peek_error() != 0)
			ERR_error_string_n(ERR_get_error(), ebuf, sizeof(ebuf));
		else
			snprintf(ebuf, sizeof(ebuf), "connection closed");
		session_fatal(&st, "STARTTLS: handshake failed: %s", ebuf);
	} else if (st.tls_ok && config_str("Mail.User")[0] != '\0' && !st.auth_ok &&
	    (st.auth_sent || st.mail_sent))
		/* AUTH refused (the server's answer is kept already), or libesmtp
		 * went on to MAIL without it. A session that ended before either
		 * (a timeout, a dropped connection) says so through classify(). */
		session_fatal(&st, "AUTH: %s", st.auth_sent ? "refused" :
		    "the server offered no mechanism kenpo can use after STARTTLS");
	ERR_clear_error();
	if (any8 && st.missing_8bitmime) {
		if (!no_8bitmime)
			log_warn("mailer: the SMTP server does not offer "
			    "8BITMIME; sending base64 bodies from now on");
		no_8bitmime = 1;
		redo = 1;
		goto done;
	}
done:
	for (i = 0; i < c->n && !redo; i++) {
		m = &c->v[i];
		if (m->msg == NULL || m->rcpt == NULL) {
			if (m->reason[0] == '\0')
				snprintf(m->reason, sizeof(m->reason), "%s",
				    serr != NULL ? serr : "not sent");
			continue;
		}
		classify(m, st.fatal, serr);
	}
	if (s != NULL && smtp_destroy_session(s) == 0)
		log_warn("mailer: smtp_destroy_session failed");
	return redo;
}

/* Ignore SIGPIPE: a server closing the connection must not kill the process. */
static void
ignore_sigpipe(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGPIPE, &sa, NULL) == -1)
		log_warn("mailer: sigaction(SIGPIPE): %s", strerror(errno));
}

/*
 * Claim at most n due messages, send them in one SMTP session, record each result
 * (see the comment at the top). Returns the number of messages claimed and
 * attempted (0: nothing due), or a db_status when they could not be claimed.
 * Ignores SIGPIPE for the process.
 */
int
mailer_send_due(int n)
{
	struct claim	 c;
	size_t		 i;
	long long	 timeout;
	int64_t		 deadline_ms;
	int		 r;

	if (n <= 0)
		return 0;
	ignore_sigpipe();
	memset(&c, 0, sizeof(c));
	c.limit = n;
	c.giveup = config_int("Mail.GiveUpAfter");
	/* Every SMTP step of every message may take just under the timeout
	 * (greeting, EHLO, then MAIL, RCPT, DATA, end of data per message), and
	 * connect() itself has no timeout in libesmtp: the 300 s cover that. */
	timeout = config_int("Mail.Timeout");
	c.lease = 300 + timeout * 4 * ((long long)n + 1);

	/* Password-reset requests become mail here (reset.h), and announcements
	 * to mail, a batch at a time (notify_mail.h). */
	(void)reset_request_run(n);
	(void)notify_mail_run();
	r = db_txn(claim_txn, &c);
	/* The lease runs from the claim's commit: record by well before its end. */
	deadline_ms = util_mono_ms() + (c.lease - 60) * 1000;
	if (r < 0) {
		claim_reset(&c);
		return r;
	}
	if (c.n == 0)
		goto out;
	if (send_session(&c))
		(void)send_session(&c);
	for (i = 0; i < c.n; i++)
		record(&c.v[i], deadline_ms);
	r = (int)c.n;
out:
	claim_reset(&c);
	return r;
}

/* Sleep for seconds, waking every 100 ms to look at *stop. */
static void
sleep_interruptible(long long seconds, volatile int *stop)
{
	int64_t	 end;

	end = util_mono_ms() + seconds * 1000;
	while (!*stop && util_mono_ms() < end)
		nanosleep(&(struct timespec){ 0, 100000000L }, NULL);
}

/*
 * The mailer process's loop: send due mail in batches of Mail.Batch, then wait
 * Mail.Poll seconds (at once again when a batch was full). A database outage is
 * logged once when it starts and once when it ends; db.c reconnects. Returns 0
 * when *stop becomes non-zero.
 */
int
mailer_run(volatile int *stop)
{
	int	 r, batch, down = 0;

	mailer_stop = stop;
	log_info("mailer: started");
	while (!*stop) {
		batch = (int)config_int("Mail.Batch");
		r = mailer_send_due(batch);
		if (r < 0) {
			if (!down)
				log_err("mailer: cannot claim mail (db status "
				    "%d); retrying every %lld s", r,
				    config_int("Mail.Poll"));
			down = 1;
		} else if (down) {
			log_info("mailer: database reachable again");
			down = 0;
		}
		if (r >= batch)
			continue;
		sleep_interruptible(config_int("Mail.Poll"), stop);
	}
	log_info("mailer: stopped");
	return 0;
}
