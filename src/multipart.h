/*
 * multipart.h — multipart/form-data (RFC 7578 over RFC 2046), strictly, over a
 * body already read into memory. Untrusted bytes: fuzzed by
 * tests/fuzz/fuzz_multipart.c, table-tested by tests/unit/t_multipart.c.
 *
 * What a browser sends is accepted; anything else is refused, never guessed at:
 *   - the boundary comes from the Content-Type parameter "boundary" (token or
 *     quoted-string, exactly once), 1–70 characters of RFC 2046's bchars, not
 *     ending in a space;
 *   - the body starts with the first delimiter (no preamble), every delimiter
 *     line ends in CRLF right after the boundary (no transport padding), the
 *     close delimiter is followed by nothing or one CRLF (no epilogue), and at
 *     least one part comes before it;
 *   - a part's header section is CRLF-terminated lines, no folding, no bare CR
 *     or LF, no control character but tab, at most max_header bytes; it holds
 *     exactly one Content-Disposition ("form-data; name=…" with an optional
 *     "filename=…", nothing else) and at most one Content-Type; any other header
 *     (Content-Transfer-Encoding included, RFC 7578 §4.7) is refused;
 *   - a Content-Type of multipart/… is refused (no nested multipart, §4.3);
 *   - a text part (no filename) has no Content-Type or text/plain, and its value
 *     passes the urlencoded form's checks: UTF-8 text, at most max_field bytes;
 *   - a file part (a filename, even "") has at most max_file bytes of any kind.
 * Part names are those of form.c: [A-Za-z0-9_-]{1,64}.
 */
#ifndef KENPO_MULTIPART_H
#define KENPO_MULTIPART_H

#include <stddef.h>

#define MP_BOUNDARY_MAX		70	/* RFC 2046 §5.1.1 */
#define MP_FILENAME_MAX		800	/* bytes of a filename: 255 UTF-16 units of Windows, in UTF-8 */
#define MP_CTYPE_MAX		127	/* bytes of a part's Content-Type */

enum mp_status {
	MP_OK = 0,
	MP_BAD_TYPE,		/* Content-Type not multipart/form-data, or no or a bad boundary */
	MP_MALFORMED,		/* framing, CRLF, header syntax, unknown header or parameter */
	MP_TOO_MANY_PARTS,	/* more than max_parts parts */
	MP_HEADER_TOO_LONG,	/* a part's header section over max_header bytes */
	MP_BAD_NAME,		/* a part without a name, or a name form.c would refuse */
	MP_NESTED,		/* a part of type multipart/… */
	MP_FIELD_TOO_LONG,	/* a text part over max_field bytes */
	MP_BAD_TEXT,		/* a text part that is not UTF-8 text */
	MP_FILE_TOO_LARGE	/* a file part over max_file bytes */
};

struct mp_limits {
	size_t	 max_parts;	/* parts in the body */
	size_t	 max_header;	/* bytes of one part's header section (its lines, CRLFs included) */
	size_t	 max_field;	/* bytes of a text part (Server.MaxField) */
	size_t	 max_file;	/* bytes of a file part (Verify.MaxImageBytes) */
};

struct mp_part {
	char			 name[65];
	char			*filename;	/* NULL for a text part; the client's claim */
	char			*content_type;	/* NULL if the part had none; the client's claim */
	const unsigned char	*data;		/* into the body given to multipart_parse */
	size_t			 len;
};

struct multipart {
	struct mp_part	*parts;		/* in body order, repeated names included */
	size_t		 n;
};

/*
 * The boundary of a Content-Type header value: 0 with boundary set (NUL-
 * terminated), or -1 when the media type is not multipart/form-data, the
 * parameters do not parse, boundary is absent or repeated or not 1–70 bchars.
 */
int		 multipart_boundary(const char *content_type,
		    char boundary[MP_BOUNDARY_MAX + 1]);

/*
 * Parse body[0..len) framed by boundary into *out (always initialised; free it
 * with multipart_free whatever the result). MP_OK or the first problem met;
 * *bad_name, when not NULL, names the part concerned on MP_FIELD_TOO_LONG,
 * MP_BAD_TEXT and MP_FILE_TOO_LARGE (it points into *out), else NULL. The
 * parts' data point into body, which must outlive *out.
 */
enum mp_status	 multipart_parse(const unsigned char *body, size_t len,
		    const char *boundary, const struct mp_limits *limits,
		    struct multipart *out, const char **bad_name);
void		 multipart_free(struct multipart *);
/* A short English reason for a log line (never any of the body's bytes). */
const char	*multipart_status_str(enum mp_status);

#endif
