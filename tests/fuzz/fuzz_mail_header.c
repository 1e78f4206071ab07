/*
 * fuzz_mail_header.c — mail_encode_header (RFC 2047), which puts the Subject and
 * the From display name into a mail.
 *
 * Invariants: the result can never start a new header line (a CR or LF appears
 * only as the folding CRLF SP), has no other control character; plain ASCII
 * without "=?" comes back as it was; otherwise the result is encoded-words of at
 * most 75 characters, one per line, and decoding them gives back the input with
 * its control characters turned into spaces, never cutting a well-formed UTF-8
 * character between two words.
 *
 * The same input as a one-click unsubscribe URL (mail_list_unsubscribe): either
 * refused (NULL), or exactly the two header lines "List-Unsubscribe: <URL>" and
 * "List-Unsubscribe-Post: List-Unsubscribe=One-Click", each ending in its only
 * CRLF, with the URL as given: an http(s) URL with a host, at most 300
 * characters of printable ASCII without space, '<', '>', '"', '\\' or ','
 * (which could end the bracket or split the list), and accepted whenever it is
 * one.
 */
#include "autoconf.h"

#include "fuzz.h"
#include "outbox.h"

#define WORD_PREFIX	"=?UTF-8?B?"

static int
b64v(int c)
{
	const char	*a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/";
	const char	*p = c != '\0' ? strchr(a, c) : NULL;

	return p != NULL ? (int)(p - a) : -1;
}

/* Decode padded standard base64 of n characters, appending to b. */
static void
b64_decode(const char *s, size_t n, struct buf *b)
{
	size_t		 i;
	uint32_t	 v;
	int		 k, pad;
	unsigned char	 o[3];

	FUZZ_ASSERT(n % 4 == 0 && n > 0);
	for (i = 0; i < n; i += 4) {
		pad = 0;
		v = 0;
		for (k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == n && k >= 2) {
				pad++;
				v <<= 6;
				continue;
			}
			FUZZ_ASSERT(pad == 0 && b64v((unsigned char)s[i + k]) >= 0);
			v = v << 6 | (uint32_t)b64v((unsigned char)s[i + k]);
		}
		o[0] = (unsigned char)(v >> 16);
		o[1] = (unsigned char)(v >> 8);
		o[2] = (unsigned char)v;
		buf_append(b, o, 3 - (size_t)pad);
	}
}

/* 1 when the n bytes at s end in the middle of a well-formed UTF-8 sequence. */
static int
cut_inside(const unsigned char *s, size_t n, const unsigned char *next,
    size_t nextlen)
{
	size_t	 back, need;

	for (back = 0; back < n && back < 3 && (s[n - 1 - back] & 0xc0) == 0x80;
	    back++)
		;
	if (back == n)
		return 0;
	need = s[n - 1 - back] >= 0xf0 && s[n - 1 - back] <= 0xf4 ? 4 :
	    s[n - 1 - back] >= 0xe0 && s[n - 1 - back] <= 0xef ? 3 :
	    s[n - 1 - back] >= 0xc2 && s[n - 1 - back] <= 0xdf ? 2 : 1;
	/* The lead byte wants more than it has, and the next word has them. */
	return need > back + 1 && nextlen >= need - back - 1 &&
	    (next[0] & 0xc0) == 0x80;
}

/* The reference: is s a URL mail_list_unsubscribe must accept? */
static int
url_ok(const char *s)
{
	const char	*p, *host;
	size_t		 n = strlen(s);

	if (n > 300)
		return 0;
	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return 0;
	if (*host == '\0' || *host == '/')
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    *p == '<' || *p == '>' || *p == '"' || *p == '\\' || *p == ',')
			return 0;
	return 1;
}

static void
check_list_unsubscribe(const char *s)
{
	static const char	 post[] =
	    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
	char			*h, *want;

	h = mail_list_unsubscribe(s);
	if (h == NULL) {
		FUZZ_ASSERT(!url_ok(s));
		return;
	}
	FUZZ_ASSERT(url_ok(s));
	want = xasprintf("List-Unsubscribe: <%s>\r\n%s", s, post);
	FUZZ_ASSERT(strcmp(h, want) == 0);
	/* Two lines, no bare CR or LF anywhere. */
	FUZZ_ASSERT(strchr(h, '\n') == strstr(h, "\r\n") + 1);
	FUZZ_ASSERT(strstr(h, "\r\n") + 2 == strstr(h, post));
	free(want);
	free(h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s, *want, *r, *p, *end;
	struct buf	 dec = { NULL, 0, 0 };
	size_t		 i, len, wl, prev = 0, prevlen = 0;
	int		 plain = 1;

	s = fuzz_str(data, size);
	len = strlen(s);
	want = xstrdup(s);
	for (i = 0; i < len; i++) {
		if ((unsigned char)want[i] < 0x20 || want[i] == 0x7f)
			want[i] = ' ';
		else if ((unsigned char)want[i] >= 0x80)
			plain = 0;
	}
	check_list_unsubscribe(s);
	r = mail_encode_header(s);
	FUZZ_ASSERT(r != NULL);

	/* No header injection, no stray control characters. */
	for (p = r; *p != '\0'; p++) {
		if (*p == '\r') {
			FUZZ_ASSERT(p[1] == '\n' && p[2] == ' ');
			p += 2;
			continue;
		}
		FUZZ_ASSERT((unsigned char)*p >= 0x20 && *p != 0x7f);
	}

	if (plain && strstr(want, "=?") == NULL) {
		FUZZ_ASSERT(strcmp(r, want) == 0);
		goto out;
	}
	buf_append(&dec, "", 0);
	for (p = r; *p != '\0'; p = end) {
		FUZZ_ASSERT(strncmp(p, WORD_PREFIX, strlen(WORD_PREFIX)) == 0);
		end = strstr(p, "?=");
		FUZZ_ASSERT(end != NULL);
		end += 2;
		wl = (size_t)(end - p);
		FUZZ_ASSERT(wl <= 75);
		prev = dec.len;
		b64_decode(p + strlen(WORD_PREFIX), wl - strlen(WORD_PREFIX) - 2,
		    &dec);
		if (prevlen > 0 && util_utf8_valid(want, len))
			FUZZ_ASSERT(!cut_inside((unsigned char *)dec.data,
			    prev, (unsigned char *)dec.data + prev,
			    dec.len - prev));
		prevlen = dec.len - prev;
		if (*end != '\0') {
			FUZZ_ASSERT(strncmp(end, "\r\n ", 3) == 0);
			end += 3;
		}
	}
	FUZZ_ASSERT(dec.len == len && memcmp(dec.data, want, len) == 0);
out:
	buf_free(&dec);
	free(r);
	free(want);
	free(s);
	return 0;
}
