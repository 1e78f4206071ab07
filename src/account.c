/*
 * account.c — accounts: address syntax, lookups, and the end of an unfinished
 * signup. The state machine itself (pending → verified → active) is driven by
 * signup.c and the signup pages; every transition is one UPDATE guarded by the
 * state it leaves, so a replayed or concurrent request finds nothing to change.
 */
#include "autoconf.h"
#include "account.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "util.h"

#define EMAIL_MAX	254	/* RFC 5321 path minus the angle brackets */
#define LOCAL_MAX	64

/* RFC 5322 atext: the characters of a dot-atom besides letters and digits. */
static int
is_atext(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/*
 * 1 when email is an address we can send to and use as a login ID: printable
 * ASCII only (the mailer cannot do SMTPUTF8), at most 254 octets, one '@', a
 * local part of 1..64 atext characters and dots, and a domain of at least two
 * dot-separated labels of letters, digits and inner hyphens, the last one not
 * all digits.
 *
 * The local part deliberately allows leading, trailing and consecutive dots:
 * Japanese mobile carriers handed out such addresses for years
 * ("taro..yamada.@docomo.ne.jp") and they still receive mail; refusing them
 * would lock those members out. Quoted local parts and address literals are
 * refused: nobody types them, and they complicate every later use.
 */
int
account_email_valid(const char *email)
{
	const char	*at, *p, *label;
	size_t		 len, n;
	int		 alldigits;

	if (email == NULL || (len = strlen(email)) < 3 || len > EMAIL_MAX)
		return 0;
	if ((at = strchr(email, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return 0;
	n = (size_t)(at - email);
	if (n == 0 || n > LOCAL_MAX)
		return 0;
	for (p = email; p < at; p++)
		if (!is_atext((unsigned char)*p) && *p != '.')
			return 0;
	/* Domain: labels of 1..63 [A-Za-z0-9-], no hyphen at either end. */
	label = at + 1;
	n = 0;
	for (p = at + 1; ; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || p - label > 63 || *label == '-' ||
			    p[-1] == '-')
				return 0;
			n++;
			if (*p == '\0')
				break;
			label = p + 1;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	}
	if (n < 2)
		return 0;
	/* The top-level label: not all digits (that would be an IP address). */
	alldigits = 1;
	for (p = label; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			alldigits = 0;
	return !alldigits;
}

/*
 * What a member typed as an address, made comparable: surrounding white space
 * (ASCII and U+3000) removed, full-width ASCII (U+FF01..U+FF5E, e.g. "＠" typed
 * with a Japanese IME left on) turned into ASCII, U+3000 inside into a space (then
 * refused by account_email_valid), and the domain lower-cased (domains are
 * case-insensitive; the local part is kept as typed, uniqueness is
 * case-insensitive anyway through the column's collation). Returns a malloc'd
 * string, or NULL when the input is empty or longer than any address.
 */
char *
account_email_normalize(const char *in)
{
	const unsigned char *p;
	char		*out, *w, *at;
	size_t		 len;

	if (in == NULL)
		return NULL;
	len = strlen(in);
	if (len > EMAIL_MAX * 3)
		return NULL;
	out = w = xmalloc(len + 1);
	for (p = (const unsigned char *)in; *p != '\0'; ) {
		/* EF BC 81..EF BD 9E: U+FF01..U+FF5E → 0x21..0x7E. */
		if (p[0] == 0xef && (p[1] == 0xbc || p[1] == 0xbd) &&
		    p[2] >= 0x80 && p[2] <= 0xbf) {
			unsigned cp = ((unsigned)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);

			cp |= 0xf000;
			if (cp >= 0xff01 && cp <= 0xff5e) {
				*w++ = (char)(cp - 0xff01 + 0x21);
				p += 3;
				continue;
			}
		}
		if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) {
			*w++ = ' ';
			p += 3;
			continue;
		}
		*w++ = (char)*p++;
	}
	*w = '\0';
	/* Trim ASCII white space at both ends. */
	for (w = out; *w == ' ' || *w == '\t' || *w == '\r' || *w == '\n'; w++)
		;
	memmove(out, w, strlen(w) + 1);
	len = strlen(out);
	while (len > 0 && (out[len - 1] == ' ' || out[len - 1] == '\t' ||
	    out[len - 1] == '\r' || out[len - 1] == '\n'))
		out[--len] = '\0';
	if (len == 0) {
		free(out);
		return NULL;
	}
	if ((at = strrchr(out, '@')) != NULL)
		for (w = at + 1; *w != '\0'; w++)
			if (*w >= 'A' && *w <= 'Z')
				*w = (char)(*w - 'A' + 'a');
	return out;
}

#define ACCOUNT_COLS \
	"id, email, password_hash, state, level, insurer_id, roster_id," \
	" failed_logins, locked_until IS NOT NULL AND locked_until > NOW(6)," \
	" IF(locked_until > NOW(6), TIMESTAMPDIFF(SECOND, NOW(6), locked_until), 0)," \
	" lang"
#define ACCOUNT_NCOLS	11

/* Move one row (ACCOUNT_COLS, malloc'd strings) into a new struct account. */
static struct account *
account_from_row(char **col)
{
	struct account	*a = xcalloc(1, sizeof(*a));

	a->id = col[0] ? strtoll(col[0], NULL, 10) : 0;
	a->email = col[1];
	a->password_hash = col[2];
	a->state = col[3];
	col[1] = col[2] = col[3] = NULL;
	a->level = col[4] ? atoi(col[4]) : 0;
	a->insurer_id = col[5] ? strtoll(col[5], NULL, 10) : 0;
	a->roster_id = col[6] ? strtoll(col[6], NULL, 10) : 0;
	a->failed_logins = col[7] ? atoi(col[7]) : 0;
	a->locked = col[8] ? atoi(col[8]) != 0 : 0;
	a->locked_secs = col[9] ? strtoll(col[9], NULL, 10) : 0;
	a->lang = col[10];
	col[10] = NULL;
	return a;
}

static void
row_free(char **col, int n)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (i == 2)
			util_free_secret(col[i]);
		else
			free(col[i]);
		col[i] = NULL;
	}
}

int
account_find_email(const char *email, struct account **out)
{
	char	*col[ACCOUNT_NCOLS] = { NULL };
	int	 st;

	*out = NULL;
	if (email == NULL)
		return 0;
	st = db_row(col, ACCOUNT_NCOLS, "SELECT " ACCOUNT_COLS
	    " FROM accounts WHERE email = ?", "s", email);
	if (st == 1)
		*out = account_from_row(col);
	row_free(col, ACCOUNT_NCOLS);
	return st;
}

int
account_find_id(long long id, struct account **out)
{
	char	*col[ACCOUNT_NCOLS] = { NULL };
	int	 st;

	*out = NULL;
	st = db_row(col, ACCOUNT_NCOLS, "SELECT " ACCOUNT_COLS
	    " FROM accounts WHERE id = ?", "i", id);
	if (st == 1)
		*out = account_from_row(col);
	row_free(col, ACCOUNT_NCOLS);
	return st;
}

void
account_free(struct account *a)
{
	if (a == NULL)
		return;
	free(a->email);
	util_free_secret(a->password_hash);
	free(a->state);
	free(a->lang);
	free(a);
}

/*
 * Delete an account that has not finished signup (state pending or verified),
 * with its tokens and sessions (ON DELETE CASCADE). An active or withdrawn
 * account is never touched. Works inside or outside db_txn.
 * Returns 1 deleted, 0 nothing to delete (gone, or no longer unfinished), or a
 * db_status.
 */
int
account_delete_unfinished(long long id)
{
	long long	 n;

	n = db_exec("DELETE FROM accounts WHERE id = ? AND state IN"
	    " ('pending', 'verified')", "i", id);
	if (n < 0)
		return (int)n;
	return n > 0 ? 1 : 0;
}
