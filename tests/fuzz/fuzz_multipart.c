/*
 * fuzz_multipart.c — multipart_boundary and multipart_parse (src/multipart.c):
 * the Content-Type and body of every photo upload (R_UPLOAD routes).
 *
 * Input: one byte choosing the limits, then the Content-Type value up to the
 * first NUL, then the body (any bytes). The body is parsed with the boundary
 * of the Content-Type when it has one, else with "XyZ" (the seeds' boundary),
 * so that mutations of the body are not lost to a broken header. Invariants,
 * besides no crash and no leak:
 *   - an accepted boundary is 1–70 bchars not ending in a space, and the
 *     Content-Type starts with multipart/form-data;
 *   - on MP_OK: 1..max_parts parts, in body order, each one's data inside the
 *     body and followed by CRLF "--" boundary; names [A-Za-z0-9_-]{1,64}; a
 *     text part at most max_field bytes of UTF-8 text without NUL, with no
 *     content type or text/plain; a file part at most max_file bytes; a
 *     filename UTF-8 of at most MP_FILENAME_MAX bytes; a content type ASCII, ≤ 127 bytes,
 *     never multipart/…;
 *   - *bad_name set exactly on MP_FIELD_TOO_LONG, MP_BAD_TEXT, MP_FILE_TOO_LARGE;
 *   - round trip: the parts written out again the way a browser does parse to
 *     the same parts (with 64 bytes more of header room: quotes and spaces).
 */
#include "autoconf.h"

#include <strings.h>

#include "fuzz.h"
#include "multipart.h"

static int
ref_bchar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c != '\0' && strchr("'()+_,-./:=? ", c) != NULL);
}

static int
ref_name(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n < 1 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* The parts written out as a browser would: the canonical form. */
static void
serialise(const struct multipart *mp, const char *boundary, struct buf *b)
{
	const struct mp_part *p;
	size_t	 i;

	for (i = 0; i < mp->n; i++) {
		p = &mp->parts[i];
		buf_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"",
		    boundary, p->name);
		if (p->filename != NULL)
			buf_printf(b, "; filename=\"%s\"", p->filename);
		buf_puts(b, "\r\n");
		if (p->content_type != NULL)
			buf_printf(b, "Content-Type: %s\r\n", p->content_type);
		buf_puts(b, "\r\n");
		buf_append(b, p->data, p->len);
		buf_puts(b, "\r\n");
	}
	buf_printf(b, "--%s--\r\n", boundary);
}

static void
check_ok(const struct multipart *mp, const uint8_t *body, size_t len,
    const char *boundary, const struct mp_limits *lim)
{
	const struct mp_part *p;
	const uint8_t	*last = body;
	size_t		 i, blen = strlen(boundary), k;

	FUZZ_ASSERT(mp->n >= 1 && mp->n <= lim->max_parts);
	for (i = 0; i < mp->n; i++) {
		p = &mp->parts[i];
		FUZZ_ASSERT(ref_name(p->name));
		FUZZ_ASSERT(p->data >= last && p->data + p->len + 4 + blen <= body + len);
		FUZZ_ASSERT(memcmp(p->data + p->len, "\r\n--", 4) == 0 &&
		    memcmp(p->data + p->len + 4, boundary, blen) == 0);
		last = p->data + p->len;
		if (p->filename == NULL) {
			FUZZ_ASSERT(p->len <= lim->max_field);
			FUZZ_ASSERT(memchr(p->data, '\0', p->len) == NULL);
			FUZZ_ASSERT(util_utf8_valid((const char *)p->data, p->len));
			FUZZ_ASSERT(p->content_type == NULL ||
			    strncasecmp(p->content_type, "text/plain", 10) == 0);
		} else {
			FUZZ_ASSERT(p->len <= lim->max_file);
			FUZZ_ASSERT(strlen(p->filename) <= MP_FILENAME_MAX);
			FUZZ_ASSERT(util_utf8_valid(p->filename, strlen(p->filename)));
			FUZZ_ASSERT(strchr(p->filename, '"') == NULL);
		}
		if (p->content_type != NULL) {
			FUZZ_ASSERT(strlen(p->content_type) <= MP_CTYPE_MAX);
			for (k = 0; p->content_type[k] != '\0'; k++)
				FUZZ_ASSERT((unsigned char)p->content_type[k] < 0x80);
			FUZZ_ASSERT(strncasecmp(p->content_type, "multipart/", 10) != 0);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct mp_limits limits[] = {
		{ 1, 64, 0, 0 }, { 2, 128, 8, 16 }, { 4, 256, 64, 256 },
		{ 16, 1024, 4096, 65536 },
	};
	const struct mp_limits *lim;
	struct mp_limits roomy;
	struct multipart mp, again;
	struct buf	 b = { 0 };
	char		 boundary[MP_BOUNDARY_MAX + 1], *ct;
	const uint8_t	*nul, *body;
	const char	*bad;
	enum mp_status	 st;
	size_t		 ctlen, len, i, n;

	if (size < 1)
		return 0;
	lim = &limits[data[0] % 4];
	data++;
	size--;
	nul = memchr(data, '\0', size);
	ctlen = nul != NULL ? (size_t)(nul - data) : size;
	ct = fuzz_str(data, ctlen);
	body = nul != NULL ? nul + 1 : data + size;
	len = (size_t)(data + size - body);

	if (multipart_boundary(ct, boundary) == 0) {
		n = strlen(boundary);
		FUZZ_ASSERT(n >= 1 && n <= MP_BOUNDARY_MAX && boundary[n - 1] != ' ');
		for (i = 0; i < n; i++)
			FUZZ_ASSERT(ref_bchar((unsigned char)boundary[i]));
		FUZZ_ASSERT(strncasecmp(ct + strspn(ct, " \t"), "multipart/form-data",
		    19) == 0);
	} else
		memcpy(boundary, "XyZ", 4);
	free(ct);

	st = multipart_parse(body, len, boundary, lim, &mp, &bad);
	if (st == MP_FIELD_TOO_LONG || st == MP_BAD_TEXT || st == MP_FILE_TOO_LARGE)
		FUZZ_ASSERT(bad != NULL && ref_name(bad));
	else
		FUZZ_ASSERT(bad == NULL);
	if (st == MP_OK) {
		check_ok(&mp, body, len, boundary, lim);
		serialise(&mp, boundary, &b);
		/* The canonical headers may be a few bytes longer (quotes, spaces). */
		roomy = *lim;
		roomy.max_header += 64;
		FUZZ_ASSERT(multipart_parse((const uint8_t *)b.data, b.len, boundary,
		    &roomy, &again, NULL) == MP_OK);
		FUZZ_ASSERT(again.n == mp.n);
		for (i = 0; i < mp.n; i++) {
			const struct mp_part *p = &mp.parts[i], *q = &again.parts[i];

			FUZZ_ASSERT(strcmp(p->name, q->name) == 0);
			FUZZ_ASSERT((p->filename == NULL) == (q->filename == NULL));
			FUZZ_ASSERT(p->filename == NULL ||
			    strcmp(p->filename, q->filename) == 0);
			FUZZ_ASSERT((p->content_type == NULL) == (q->content_type == NULL));
			FUZZ_ASSERT(p->content_type == NULL ||
			    strcmp(p->content_type, q->content_type) == 0);
			FUZZ_ASSERT(p->len == q->len &&
			    memcmp(p->data, q->data, p->len) == 0);
		}
		multipart_free(&again);
		buf_free(&b);
	}
	multipart_free(&mp);
	return 0;
}
