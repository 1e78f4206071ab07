/*
 * multipart.c — multipart/form-data, strictly (the rules are in multipart.h).
 *
 * Everything here reads bytes an attacker chose, up to Verify.MaxRequestBytes
 * of them. The body is never modified and never copied: a part's data points
 * into it. The work is bounded by the body's length: each delimiter search
 * starts where the last one ended, a header section is looked for in at most
 * max_header bytes, and the parts array is allocated once, max_parts long.
 * Only names (≤ 64 bytes), filenames (≤ 800 bytes) and part content types (≤ 127)
 * are copied.
 */
#include "autoconf.h"
#include "multipart.h"

#include <string.h>
#include <strings.h>
#include <stdlib.h>

#include "util.h"

#define PARAM_NAME_MAX	32
#define PARAM_VALUE_MAX	(MP_FILENAME_MAX + 1)

/* RFC 9110 tchar. */
static int
is_tchar(int c)
{
	return c > 0 && c < 0x80 && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 2046 bchars. */
static int
is_bchar(int c)
{
	return c > 0 && c < 0x80 && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=? ", c) != NULL);
}

static const char *
skip_ows(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *
skip_token(const char *p, const char *end)
{
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	return p;
}

/* The end of "type/subtype" at p, or NULL when there is none. */
static const char *
media_type(const char *p, const char *end)
{
	const char	*s = skip_token(p, end);

	if (s == p || s == end || *s != '/')
		return NULL;
	p = skip_token(s + 1, end);
	return p == s + 1 ? NULL : p;
}

/*
 * The next parameter of a header value at *pp (RFC 9110 §5.6.6: OWS ";" OWS
 * name "=" (token / quoted-string)). 1 with name and value copied and
 * NUL-terminated, 0 at the end of the value (OWS only), -1 on a syntax error,
 * a control character other than tab, or a name or value too long. A backslash
 * in a quoted-string is an ordinary character: browsers percent-encode '"',
 * CR and LF in names and filenames and send backslashes as they are (HTML,
 * "multipart/form-data encoding algorithm").
 */
static int
param_next(const char **pp, const char *end, char *name, size_t namesz,
    char *val, size_t valsz)
{
	const char	*p = skip_ows(*pp, end), *s;
	size_t		 n = 0;
	unsigned char	 c;

	if (p == end)
		return 0;
	if (*p != ';')
		return -1;
	p = skip_ows(p + 1, end);
	s = p;
	p = skip_token(p, end);
	if (p == s || (size_t)(p - s) >= namesz || p == end || *p != '=')
		return -1;
	memcpy(name, s, (size_t)(p - s));
	name[p - s] = '\0';
	p++;
	if (p < end && *p == '"') {
		for (p++; ; p++) {
			if (p == end)
				return -1;
			c = (unsigned char)*p;
			if (c == '"')
				break;
			if ((c < 0x20 && c != '\t') || c == 0x7f || n + 1 >= valsz)
				return -1;
			val[n++] = (char)c;
		}
		p++;
	} else {
		s = p;
		p = skip_token(p, end);
		n = (size_t)(p - s);
		if (n == 0 || n >= valsz)
			return -1;
		memcpy(val, s, n);
	}
	val[n] = '\0';
	*pp = p;
	return 1;
}

int
multipart_boundary(const char *ct, char boundary[MP_BOUNDARY_MAX + 1])
{
	const char	*end, *p, *e;
	char		 name[PARAM_NAME_MAX], val[PARAM_VALUE_MAX];
	size_t		 n, i;
	int		 rc, found = 0;

	if (ct == NULL)
		return -1;
	end = ct + strlen(ct);
	p = skip_ows(ct, end);
	if ((e = media_type(p, end)) == NULL || e - p != 19 ||
	    strncasecmp(p, "multipart/form-data", 19) != 0)
		return -1;
	while ((rc = param_next(&e, end, name, sizeof(name), val, sizeof(val))) == 1) {
		if (strcasecmp(name, "boundary") != 0)
			continue;
		n = strlen(val);
		if (found || n < 1 || n > MP_BOUNDARY_MAX || val[n - 1] == ' ')
			return -1;
		for (i = 0; i < n; i++)
			if (!is_bchar((unsigned char)val[i]))
				return -1;
		memcpy(boundary, val, n + 1);
		found = 1;
	}
	return rc == 0 && found ? 0 : -1;
}

/* A part name: the names form.c accepts ([A-Za-z0-9_-]{1,64}). */
static int
name_ok(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n < 1 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* Content-Disposition: form-data; name=…[; filename=…] into part. */
static enum mp_status
disposition(const char *v, const char *end, struct mp_part *part)
{
	const char	*p = skip_token(v, end);
	char		 name[PARAM_NAME_MAX], val[PARAM_VALUE_MAX];
	int		 rc, have_name = 0;

	if (p - v != 9 || strncasecmp(v, "form-data", 9) != 0)
		return MP_MALFORMED;
	while ((rc = param_next(&p, end, name, sizeof(name), val, sizeof(val))) == 1) {
		if (strcasecmp(name, "name") == 0) {
			if (have_name)
				return MP_MALFORMED;
			have_name = 1;
			if (!name_ok(val))
				return MP_BAD_NAME;
			memcpy(part->name, val, strlen(val) + 1);
		} else if (strcasecmp(name, "filename") == 0) {
			if (part->filename != NULL || !util_utf8_valid(val, strlen(val)))
				return MP_MALFORMED;
			part->filename = xstrdup(val);
		} else
			return MP_MALFORMED;	/* filename* included (RFC 7578 §4.2) */
	}
	if (rc < 0)
		return MP_MALFORMED;
	return have_name ? MP_OK : MP_BAD_NAME;
}

/* Content-Type of a part: a media type with well-formed parameters, ASCII. */
static enum mp_status
part_content_type(const char *v, const char *end, struct mp_part *part)
{
	const char	*p, *q;
	char		 name[PARAM_NAME_MAX], val[PARAM_VALUE_MAX];
	int		 rc;

	if ((p = media_type(v, end)) == NULL || end - v > MP_CTYPE_MAX)
		return MP_MALFORMED;
	while ((rc = param_next(&p, end, name, sizeof(name), val, sizeof(val))) == 1)
		;
	if (rc < 0)
		return MP_MALFORMED;
	for (q = v; q < end; q++)
		if ((unsigned char)*q >= 0x80)
			return MP_MALFORMED;
	if (strncasecmp(v, "multipart/", 10) == 0)
		return MP_NESTED;
	part->content_type = xstrndup(v, (size_t)(end - v));
	return MP_OK;
}

/*
 * The header section [p, end) of a part, end just after the CRLF of its last
 * line (the empty line is not included).
 */
static enum mp_status
part_headers(const char *p, const char *end, struct mp_part *part)
{
	const char	*q, *name_end, *v, *ve;
	enum mp_status	 st;
	int		 have_cd = 0, have_ct = 0;
	unsigned char	 c;

	while (p < end) {
		for (q = p; q < end && *q != '\r'; q++) {
			c = (unsigned char)*q;
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return MP_MALFORMED;	/* a bare LF, NUL, … */
		}
		if (end - q < 2 || q[1] != '\n')
			return MP_MALFORMED;
		name_end = skip_token(p, q);
		if (name_end == p || name_end == q || *name_end != ':')
			return MP_MALFORMED;	/* folding (leading space), no name, no colon */
		v = skip_ows(name_end + 1, q);
		for (ve = q; ve > v && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
			;
		if (name_end - p == 19 && strncasecmp(p, "Content-Disposition", 19) == 0) {
			if (have_cd++)
				return MP_MALFORMED;
			if ((st = disposition(v, ve, part)) != MP_OK)
				return st;
		} else if (name_end - p == 12 && strncasecmp(p, "Content-Type", 12) == 0) {
			if (have_ct++)
				return MP_MALFORMED;
			if ((st = part_content_type(v, ve, part)) != MP_OK)
				return st;
		} else
			return MP_MALFORMED;
		p = q + 2;
	}
	return have_cd ? MP_OK : MP_BAD_NAME;
}

/* The value of a part against its kind's limits. */
static enum mp_status
part_check(const struct mp_part *part, const struct mp_limits *lim)
{
	const char	*ct = part->content_type;

	if (part->filename != NULL)
		return part->len > lim->max_file ? MP_FILE_TOO_LARGE : MP_OK;
	if (ct != NULL && (strncasecmp(ct, "text/plain", 10) != 0 ||
	    (ct[10] != '\0' && ct[10] != ';' && ct[10] != ' ' && ct[10] != '\t')))
		return MP_MALFORMED;
	if (part->len > lim->max_field)
		return MP_FIELD_TOO_LONG;
	if (memchr(part->data, '\0', part->len) != NULL ||
	    !util_utf8_valid((const char *)part->data, part->len))
		return MP_BAD_TEXT;
	return MP_OK;
}

enum mp_status
multipart_parse(const unsigned char *body, size_t len, const char *boundary,
    const struct mp_limits *lim, struct multipart *out, const char **bad_name)
{
	const unsigned char *p = body, *end = body + len, *hend, *data, *next;
	struct mp_part	*part;
	char		 delim[4 + MP_BOUNDARY_MAX];
	size_t		 blen = boundary != NULL ? strlen(boundary) : 0, dlen, window;
	enum mp_status	 st;

	out->parts = NULL;
	out->n = 0;
	if (bad_name != NULL)
		*bad_name = NULL;
	if (blen < 1 || blen > MP_BOUNDARY_MAX || lim->max_parts == 0)
		return MP_BAD_TYPE;
	/* Every delimiter but the first is CRLF "--" boundary. */
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen);
	dlen = 4 + blen;
	if (len < dlen - 2 || memcmp(p, delim + 2, dlen - 2) != 0)
		return MP_MALFORMED;	/* a preamble, or another boundary */
	p += dlen - 2;
	for (;;) {
		/* Just after a delimiter: "--" closes, CRLF opens a part. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
			p += 2;
			if (out->n == 0)
				return MP_MALFORMED;
			if (p == end || (end - p == 2 && p[0] == '\r' && p[1] == '\n'))
				return MP_OK;
			return MP_MALFORMED;	/* an epilogue */
		}
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return MP_MALFORMED;	/* transport padding, or a longer boundary */
		p += 2;
		if (out->n == lim->max_parts)
			return MP_TOO_MANY_PARTS;
		if (out->parts == NULL)
			out->parts = xcalloc(lim->max_parts, sizeof(*out->parts));
		part = &out->parts[out->n++];
		/* The header section ends with an empty line, within max_header
		 * bytes (its lines with their CRLFs). No header at all: no name. */
		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
			return MP_BAD_NAME;
		window = (size_t)(end - p) < lim->max_header + 2 ?
		    (size_t)(end - p) : lim->max_header + 2;
		if ((hend = memmem(p, window, "\r\n\r\n", 4)) == NULL)
			return window == (size_t)(end - p) ? MP_MALFORMED :
			    MP_HEADER_TOO_LONG;
		if ((st = part_headers((const char *)p, (const char *)hend + 2,
		    part)) != MP_OK)
			return st;
		data = hend + 4;
		if ((next = memmem(data, (size_t)(end - data), delim, dlen)) == NULL)
			return MP_MALFORMED;	/* unterminated */
		part->data = data;
		part->len = (size_t)(next - data);
		if ((st = part_check(part, lim)) != MP_OK) {
			if (bad_name != NULL && st != MP_MALFORMED)
				*bad_name = part->name;
			return st;
		}
		p = next + dlen;
	}
}

void
multipart_free(struct multipart *mp)
{
	size_t	 i;

	if (mp == NULL || mp->parts == NULL)
		return;
	for (i = 0; i < mp->n; i++) {
		free(mp->parts[i].filename);
		free(mp->parts[i].content_type);
	}
	free(mp->parts);
	mp->parts = NULL;
	mp->n = 0;
}

const char *
multipart_status_str(enum mp_status st)
{
	switch (st) {
	case MP_OK:		return "ok";
	case MP_BAD_TYPE:	return "not multipart/form-data or a bad boundary";
	case MP_MALFORMED:	return "malformed multipart body";
	case MP_TOO_MANY_PARTS:	return "too many parts";
	case MP_HEADER_TOO_LONG: return "part header section too long";
	case MP_BAD_NAME:	return "part without an acceptable name";
	case MP_NESTED:		return "nested multipart";
	case MP_FIELD_TOO_LONG:	return "text part too long";
	case MP_BAD_TEXT:	return "text part not UTF-8 text";
	case MP_FILE_TOO_LARGE:	return "file part too large";
	}
	return "unknown";
}
