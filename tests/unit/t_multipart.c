/*
 * t_multipart.c — multipart_boundary and multipart_parse (src/multipart.c), the
 * parser of every photo upload: tables of the Content-Type values and bodies a
 * browser sends (accepted, with their parts read back) and of hostile or broken
 * ones (each refused with its own status). tests/fuzz/fuzz_multipart.c checks
 * the invariants on arbitrary bytes.
 */
#include "autoconf.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"
#include "util.h"

/* ---- the boundary ---- */

struct ct_row {
	const char	*ct;
	const char	*boundary;	/* NULL: refused */
	const char	*why;
};

static const struct ct_row ct_table[] = {
	{ "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
	    "----WebKitFormBoundary7MA4YWxkTrZu0gW", "Chrome" },
	{ "multipart/form-data; boundary=---------------------------1234567890123",
	    "---------------------------1234567890123", "Firefox" },
	{ "multipart/form-data; boundary=\"a b:c?d\"", "a b:c?d", "quoted, bchars" },
	{ "Multipart/Form-Data; BOUNDARY=x", "x", "case-insensitive" },
	{ "multipart/form-data;boundary=x", "x", "no space" },
	{ "multipart/form-data; charset=utf-8; boundary=x", "x", "another parameter first" },
	{ "multipart/form-data; boundary=x ; charset=\"utf-8\"", "x", "OWS, parameter after" },
	{ "multipart/form-data; boundary=0123456789012345678901234567890123456789"
	    "012345678901234567890123456789", "0123456789012345678901234567890123456789"
	    "012345678901234567890123456789", "70 characters" },
	{ "multipart/form-data; boundary=0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890", NULL, "71 characters" },
	{ "multipart/form-data", NULL, "no boundary" },
	{ "multipart/form-data;", NULL, "trailing semicolon" },
	{ "multipart/form-data; boundary=", NULL, "empty boundary" },
	{ "multipart/form-data; boundary=\"\"", NULL, "empty quoted boundary" },
	{ "multipart/form-data; boundary=\"x \"", NULL, "ends in a space" },
	{ "multipart/form-data; boundary=a; boundary=b", NULL, "two boundaries" },
	{ "multipart/form-data; boundary=a; boundary=a", NULL, "the same twice" },
	{ "multipart/form-data; boundary=a*b", NULL, "'*' is not a bchar" },
	{ "multipart/form-data; boundary=\"a\\\"b\"", NULL, "quoted-pair" },
	{ "multipart/form-data; boundary=\"a\x01\"", NULL, "control character" },
	{ "multipart/form-data; boundary=\"ab", NULL, "unterminated quote" },
	{ "multipart/form-data; boundary=\xe5\x81\xa5", NULL, "non-ASCII" },
	{ "multipart/form-data boundary=x", NULL, "no semicolon" },
	{ "multipart/mixed; boundary=x", NULL, "not form-data" },
	{ "multipart/form-datax; boundary=x", NULL, "longer subtype" },
	{ "application/x-www-form-urlencoded", NULL, "urlencoded" },
	{ "text/plain; boundary=x", NULL, "text/plain" },
	{ "", NULL, "empty" },
};

START_TEST(test_boundary)
{
	const struct ct_row *row = &ct_table[_i];
	char	 b[MP_BOUNDARY_MAX + 1];
	int	 rc = multipart_boundary(row->ct, b);

	if (row->boundary == NULL)
		ck_assert_msg(rc == -1, "%s: accepted", row->why);
	else {
		ck_assert_msg(rc == 0, "%s: refused", row->why);
		ck_assert_str_eq(b, row->boundary);
	}
}
END_TEST

START_TEST(test_boundary_null)
{
	char	 b[MP_BOUNDARY_MAX + 1];

	ck_assert_int_eq(multipart_boundary(NULL, b), -1);
}
END_TEST

/* ---- bodies ---- */

#define B	"XyZ"
#define D	"--" B "\r\n"
#define CLOSE	"--" B "--"
#define CD(n)	"Content-Disposition: form-data; name=\"" n "\"\r\n"

static const struct mp_limits limits = { 8, 256, 32, 64 };

struct body_row {
	const char	*body;
	size_t		 len;		/* bodies may hold NUL bytes */
	enum mp_status	 st;
	size_t		 nparts;	/* parts read, on MP_OK */
	const char	*why;
};

#define R(body, st, n, why)	{ body, sizeof(body) - 1, st, n, why }

static const struct body_row body_table[] = {
	/* Accepted: what browsers and curl send. */
	R(D CD("a") "\r\n1\r\n" CLOSE "\r\n", MP_OK, 1, "one text part"),
	R(D CD("a") "\r\n1\r\n" CLOSE, MP_OK, 1, "no CRLF after the close delimiter"),
	R(D CD("a") "\r\n\r\n" CLOSE, MP_OK, 1, "empty value"),
	R(D CD("a") "\r\n1\r\n" D CD("b") "\r\n2\r\n" CLOSE "\r\n", MP_OK, 2, "two"),
	R(D "Content-Disposition: form-data; name=\"f\"; filename=\"p.jpg\"\r\n"
	    "Content-Type: image/jpeg\r\n\r\n\xff\xd8\x00\r\n\xff\xd9\r\n" CLOSE,
	    MP_OK, 1, "a file with NUL and CRLF in it"),
	R(D "Content-Disposition: form-data; name=\"f\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n\r\n" CLOSE,
	    MP_OK, 1, "a file input left blank"),
	R(D "content-disposition: FORM-DATA; NAME=a\r\n\r\n1\r\n" CLOSE, MP_OK, 1,
	    "case-insensitive names, token value"),
	R(D "Content-Type: text/plain; charset=UTF-8\r\n" CD("a") "\r\n"
	    "\xe5\x81\xa5\r\n" CLOSE, MP_OK, 1, "text/plain, Content-Type first, UTF-8"),
	R(D CD("a") "\r\n--XyZa\r\n" CLOSE, MP_OK, 1,
	    "the boundary in a value, not after CRLF"),
	R(D CD("a") "\r\n1\r\n" D CD("a") "\r\n2\r\n" CLOSE, MP_OK, 2, "repeated name"),
	R(D "Content-Disposition: form-data; name=\"f\"; filename=\"C:\\dir\\p.jpg\"\r\n"
	    "\r\nx\r\n" CLOSE, MP_OK, 1, "backslashes in a filename"),
	/* Framing. */
	R("", MP_MALFORMED, 0, "empty body"),
	R(CLOSE "\r\n", MP_MALFORMED, 0, "no part"),
	R("preamble\r\n" D CD("a") "\r\n1\r\n" CLOSE, MP_MALFORMED, 0, "a preamble"),
	R("\r\n" D CD("a") "\r\n1\r\n" CLOSE, MP_MALFORMED, 0, "a CRLF before it"),
	R(D CD("a") "\r\n1\r\n" CLOSE "\r\nepilogue", MP_MALFORMED, 0, "an epilogue"),
	R(D CD("a") "\r\n1\r\n" CLOSE "\r\n\r\n", MP_MALFORMED, 0, "two CRLFs after"),
	R(D CD("a") "\r\n1", MP_MALFORMED, 0, "unterminated"),
	R(D CD("a") "\r\n1\r\n", MP_MALFORMED, 0, "no close delimiter"),
	R(D CD("a") "\r\n1\r\n--" B, MP_MALFORMED, 0, "last delimiter cut"),
	R(D CD("a") "\r\n1\r\n--" B "-", MP_MALFORMED, 0, "close delimiter cut"),
	R(D CD("a"), MP_MALFORMED, 0, "headers unterminated"),
	R(D, MP_MALFORMED, 0, "a delimiter only"),
	R("--" B, MP_MALFORMED, 0, "the boundary only"),
	R("--" B " \r\n" CD("a") "\r\n1\r\n" CLOSE, MP_MALFORMED, 0, "transport padding"),
	R("--" B "\n" CD("a") "\r\n1\r\n" CLOSE, MP_MALFORMED, 0, "LF after the delimiter"),
	R("--" B "x\r\n" CD("a") "\r\n1\r\n" CLOSE, MP_MALFORMED, 0, "a longer boundary"),
	R(D CD("a") "\r\n1\r\n--" B "x\r\n" CD("b") "\r\n2\r\n" CLOSE, MP_MALFORMED, 0,
	    "a longer boundary after CRLF"),
	R("--xyz\r\n" CD("a") "\r\n1\r\n--xyz--", MP_MALFORMED, 0, "boundary case differs"),
	R(D "Content-Disposition: form-data; name=\"a\"\n\n1\r\n" CLOSE, MP_MALFORMED, 0,
	    "LF line ends in the headers"),
	R(D "Content-Disposition: form-data; name=\"a\"\r\r\n\r\n1\r\n" CLOSE,
	    MP_MALFORMED, 0, "bare CR"),
	R(D "Content-Disposition: form-data;\r\n name=\"a\"\r\n\r\n1\r\n" CLOSE,
	    MP_MALFORMED, 0, "folded header"),
	R(D "Content-Disposition: form-data; name=\"a\"\x00\r\n\r\n1\r\n" CLOSE,
	    MP_MALFORMED, 0, "NUL in a header"),
	R(D "Content-Disposition form-data; name=\"a\"\r\n\r\n1\r\n" CLOSE, MP_MALFORMED,
	    0, "no colon"),
	R(D ": x\r\n" CD("a") "\r\n1\r\n" CLOSE, MP_MALFORMED, 0, "no header name"),
	R(D CD("a") "Content-Transfer-Encoding: base64\r\n\r\nMQ==\r\n" CLOSE,
	    MP_MALFORMED, 0, "Content-Transfer-Encoding (RFC 7578 §4.7)"),
	R(D CD("a") "X-Other: 1\r\n\r\n1\r\n" CLOSE, MP_MALFORMED, 0, "another header"),
	R(D CD("a") CD("b") "\r\n1\r\n" CLOSE, MP_MALFORMED, 0, "two dispositions"),
	R(D CD("a") "Content-Type: text/plain\r\nContent-Type: text/plain\r\n\r\n1\r\n"
	    CLOSE, MP_MALFORMED, 0, "two content types"),
	R(D "Content-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n" CLOSE, MP_MALFORMED,
	    0, "not form-data"),
	R(D "Content-Disposition: form-data; name=\"a\"; size=3\r\n\r\n1\r\n" CLOSE,
	    MP_MALFORMED, 0, "an unknown parameter"),
	R(D "Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''p.jpg\r\n\r\n"
	    "1\r\n" CLOSE, MP_MALFORMED, 0, "filename* (RFC 7578 §4.2)"),
	R(D "Content-Disposition: form-data; name=\"f\"; filename=\"a\"; filename=\"b\""
	    "\r\n\r\n1\r\n" CLOSE, MP_MALFORMED, 0, "two filenames"),
	R(D "Content-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\n1\r\n" CLOSE,
	    MP_MALFORMED, 0, "two names"),
	R(D "Content-Disposition: form-data; name=\"a\r\n\r\n1\r\n" CLOSE, MP_MALFORMED, 0,
	    "unterminated quote"),
	R(D "Content-Disposition: form-data; name=\"f\"; filename=\"\xc0\xaf\"\r\n\r\n"
	    "1\r\n" CLOSE, MP_MALFORMED, 0, "filename not UTF-8"),
	R(D CD("a") "Content-Type: image/jpeg\r\n\r\n1\r\n" CLOSE, MP_MALFORMED, 0,
	    "a text part that is not text/plain"),
	R(D CD("a") "Content-Type: jpeg\r\n\r\n1\r\n" CLOSE, MP_MALFORMED, 0,
	    "a media type without subtype"),
	R(D "Content-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n"
	    "Content-Type: image/jp\xc3\xa9g\r\n\r\n1\r\n" CLOSE, MP_MALFORMED, 0,
	    "a non-ASCII content type"),
	/* Names. */
	R(D "\r\n1\r\n" CLOSE, MP_BAD_NAME, 0, "no headers at all"),
	R(D "Content-Type: text/plain\r\n\r\n1\r\n" CLOSE, MP_BAD_NAME, 0,
	    "no Content-Disposition"),
	R(D "Content-Disposition: form-data\r\n\r\n1\r\n" CLOSE, MP_BAD_NAME, 0,
	    "no name"),
	R(D "Content-Disposition: form-data; filename=\"p.jpg\"\r\n\r\n1\r\n" CLOSE,
	    MP_BAD_NAME, 0, "a file without a name"),
	R(D CD("") "\r\n1\r\n" CLOSE, MP_BAD_NAME, 0, "empty name"),
	R(D CD("a.b") "\r\n1\r\n" CLOSE, MP_BAD_NAME, 0, "a dot (an HDF path)"),
	R(D CD("a b") "\r\n1\r\n" CLOSE, MP_BAD_NAME, 0, "a space"),
	R(D CD("\xe5\x81\xa5") "\r\n1\r\n" CLOSE, MP_BAD_NAME, 0, "non-ASCII"),
	R(D CD("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	    "\r\n1\r\n" CLOSE, MP_BAD_NAME, 0, "65 characters"),
	/* Nesting. */
	R(D CD("a") "Content-Type: multipart/mixed; boundary=in\r\n\r\n--in\r\n"
	    "Content-Disposition: file; filename=\"x\"\r\n\r\n1\r\n--in--\r\n" CLOSE,
	    MP_NESTED, 0, "multipart/mixed (RFC 2388)"),
	R(D "Content-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n"
	    "Content-Type: Multipart/Form-Data; boundary=in\r\n\r\n1\r\n" CLOSE,
	    MP_NESTED, 0, "multipart/form-data in a file part"),
	/* Values. */
	R(D CD("a") "\r\n" "123456789012345678901234567890123\r\n" CLOSE,
	    MP_FIELD_TOO_LONG, 0, "text over max_field"),
	R(D CD("a") "\r\n" "12345678901234567890123456789012\r\n" CLOSE,
	    MP_OK, 1, "text at max_field"),
	R(D CD("a") "\r\n\x01\r\n" CLOSE, MP_BAD_TEXT, 0, "control character"),
	R(D CD("a") "\r\n\x00\r\n" CLOSE, MP_BAD_TEXT, 0, "NUL"),
	R(D CD("a") "\r\n\x82\xa0\r\n" CLOSE, MP_BAD_TEXT, 0, "CP932"),
	R(D CD("a") "\r\n\xed\xa0\x80\r\n" CLOSE, MP_BAD_TEXT, 0, "a surrogate"),
	R(D "Content-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n"
	    "12345678901234567890123456789012345678901234567890123456789012345\r\n" CLOSE,
	    MP_FILE_TOO_LARGE, 0, "file over max_file"),
};

START_TEST(test_body)
{
	const struct body_row *row = &body_table[_i];
	struct multipart mp;
	enum mp_status	 st;
	const char	*bad;

	st = multipart_parse((const unsigned char *)row->body, row->len,
	    B, &limits, &mp, &bad);
	ck_assert_msg(st == row->st, "%s: %s, expected %s", row->why,
	    multipart_status_str(st), multipart_status_str(row->st));
	if (st == MP_OK)
		ck_assert_msg(mp.n == row->nparts, "%s: %zu parts", row->why, mp.n);
	if (st == MP_FIELD_TOO_LONG || st == MP_BAD_TEXT || st == MP_FILE_TOO_LARGE)
		ck_assert_msg(bad != NULL && bad[0] != '\0', "%s: no bad_name", row->why);
	else
		ck_assert_msg(bad == NULL, "%s: bad_name set", row->why);
	multipart_free(&mp);
}
END_TEST

/* A body with NUL bytes (the table's strings stop at the first one). */
static enum mp_status
parse_bytes(const char *body, size_t len, struct multipart *mp)
{
	return multipart_parse((const unsigned char *)body, len, B, &limits, mp, NULL);
}

START_TEST(test_values)
{
	static const char body[] = D CD("csrf") "\r\ntok\r\n"
	    D "Content-Disposition: form-data; name=\"photo\"; filename=\"p.jpg\"\r\n"
	    "Content-Type: image/jpeg\r\n\r\n\xff\xd8\x00\r\n-XyZ\n--XyZ\xff\r\n"
	    D CD("side") "\r\n\xe8\xa1\xa8\r\n" CLOSE "\r\n";
	static const unsigned char jpeg[] = "\xff\xd8\x00\r\n-XyZ\n--XyZ\xff";
	struct multipart mp;

	ck_assert_int_eq(parse_bytes(body, sizeof(body) - 1, &mp), MP_OK);
	ck_assert_uint_eq(mp.n, 3);
	ck_assert_str_eq(mp.parts[0].name, "csrf");
	ck_assert_ptr_null(mp.parts[0].filename);
	ck_assert_ptr_null(mp.parts[0].content_type);
	ck_assert_uint_eq(mp.parts[0].len, 3);
	ck_assert(memcmp(mp.parts[0].data, "tok", 3) == 0);
	ck_assert_str_eq(mp.parts[1].name, "photo");
	ck_assert_str_eq(mp.parts[1].filename, "p.jpg");
	ck_assert_str_eq(mp.parts[1].content_type, "image/jpeg");
	ck_assert_uint_eq(mp.parts[1].len, sizeof(jpeg) - 1);
	ck_assert(memcmp(mp.parts[1].data, jpeg, sizeof(jpeg) - 1) == 0);
	ck_assert_str_eq(mp.parts[2].name, "side");
	ck_assert_uint_eq(mp.parts[2].len, 3);
	multipart_free(&mp);
}
END_TEST

START_TEST(test_nul_in_text)
{
	static const char body[] = D CD("a") "\r\nx\0y\r\n" CLOSE;
	struct multipart mp;

	ck_assert_int_eq(parse_bytes(body, sizeof(body) - 1, &mp), MP_BAD_TEXT);
	multipart_free(&mp);
}
END_TEST

/* Parts: max_parts are read, one more is refused, and 1000 of them. */
START_TEST(test_too_many_parts)
{
	static const int counts[] = { 8, 9, 1000 };
	struct buf	 b;
	struct multipart mp;
	size_t		 k;
	int		 i;

	for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
		memset(&b, 0, sizeof(b));
		for (i = 0; i < counts[k]; i++)
			buf_puts(&b, D CD("a") "\r\nx\r\n");
		buf_puts(&b, CLOSE "\r\n");
		ck_assert_int_eq(multipart_parse((const unsigned char *)b.data, b.len, B,
		    &limits, &mp, NULL), counts[k] <= 8 ? MP_OK : MP_TOO_MANY_PARTS);
		ck_assert_uint_le(mp.n, 8);
		multipart_free(&mp);
		buf_free(&b);
	}
}
END_TEST

/* A header section of max_header bytes is read; one byte more is refused, as
 * is a header that never ends, whatever the body's length. */
START_TEST(test_header_size)
{
	struct buf	 b = { 0 };
	struct multipart mp;
	size_t		 pad, want;
	int		 extra;

	for (extra = 0; extra <= 1; extra++) {
		memset(&b, 0, sizeof(b));
		buf_puts(&b, D);
		/* A disposition with a filename of max_header bytes in all. */
		want = limits.max_header + (size_t)extra;
		buf_puts(&b, "Content-Disposition: form-data; name=\"a\"; filename=\"");
		pad = want - (b.len - strlen(D)) - 3;
		while (pad-- > 0)
			buf_puts(&b, "p");
		buf_puts(&b, "\"\r\n\r\n1\r\n" CLOSE);
		ck_assert_int_eq(multipart_parse((const unsigned char *)b.data, b.len, B,
		    &limits, &mp, NULL), extra ? MP_HEADER_TOO_LONG : MP_OK);
		multipart_free(&mp);
		buf_free(&b);
	}
	memset(&b, 0, sizeof(b));
	buf_puts(&b, D "X-Huge: ");
	for (pad = 0; pad < 100000; pad++)
		buf_puts(&b, "h");
	ck_assert_int_eq(multipart_parse((const unsigned char *)b.data, b.len, B,
	    &limits, &mp, NULL), MP_HEADER_TOO_LONG);
	multipart_free(&mp);
	buf_free(&b);
}
END_TEST

/* A filename of MP_FILENAME_MAX bytes (Japanese, as Windows allows) is read;
 * one byte more is refused. */
START_TEST(test_long_filename)
{
	struct mp_limits roomy = limits;
	struct buf	 b;
	struct multipart mp;
	size_t		 i;
	int		 extra;

	roomy.max_header = 2048;
	for (extra = 0; extra <= 1; extra++) {
		memset(&b, 0, sizeof(b));
		buf_puts(&b, D "Content-Disposition: form-data; name=\"f\"; filename=\"");
		for (i = 0; i + 3 <= MP_FILENAME_MAX; i += 3)
			buf_puts(&b, "\xe5\x86\x99");	/* 写 */
		for (; i < MP_FILENAME_MAX + (size_t)extra; i++)
			buf_puts(&b, "a");
		buf_puts(&b, "\"\r\n\r\n1\r\n" CLOSE);
		ck_assert_int_eq(multipart_parse((const unsigned char *)b.data, b.len, B,
		    &roomy, &mp, NULL), extra ? MP_MALFORMED : MP_OK);
		if (!extra)
			ck_assert_uint_eq(strlen(mp.parts[0].filename), MP_FILENAME_MAX);
		multipart_free(&mp);
		buf_free(&b);
	}
}
END_TEST

START_TEST(test_bad_args)
{
	struct multipart mp;
	struct mp_limits none = limits;

	ck_assert_int_eq(multipart_parse((const unsigned char *)"", 0, "", &limits,
	    &mp, NULL), MP_BAD_TYPE);
	none.max_parts = 0;
	ck_assert_int_eq(multipart_parse((const unsigned char *)D CD("a") "\r\n1\r\n"
	    CLOSE, strlen(D CD("a") "\r\n1\r\n" CLOSE), B, &none, &mp, NULL), MP_BAD_TYPE);
	multipart_free(&mp);
	multipart_free(NULL);
}
END_TEST

static Suite *
multipart_suite(void)
{
	Suite	*s = suite_create("multipart");
	TCase	*tc = tcase_create("table");

	tcase_add_loop_test(tc, test_boundary, 0,
	    (int)(sizeof(ct_table) / sizeof(ct_table[0])));
	tcase_add_test(tc, test_boundary_null);
	tcase_add_loop_test(tc, test_body, 0,
	    (int)(sizeof(body_table) / sizeof(body_table[0])));
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_nul_in_text);
	tcase_add_test(tc, test_too_many_parts);
	tcase_add_test(tc, test_header_size);
	tcase_add_test(tc, test_long_filename);
	tcase_add_test(tc, test_bad_args);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(multipart_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
