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
