/*
 * t_mail.c — mail_encode_header: RFC 2047 B-encoding of header values.
 * Every encoded result is decoded back with the small decoder below and must equal
 * the input; every encoded-word must be well formed, at most 75 characters, and
 * hold whole UTF-8 characters only.
 * mail_message_id: stable per outbox row, checked against vectors computed with
 * Python's hmac module (the same derivation tests/soak/run.py uses).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "notify_mail.h"
#include "outbox.h"
#include "util.h"

/* Decode standard base64 (with padding) of n characters; -1 on bad input. */
static long
b64_decode(const char *in, size_t n, unsigned char *out)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long	 v;
	size_t		 i, j;
	long		 len = 0;
	int		 pad, k;
	const char	*p;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i += 4) {
		v = 0;
		pad = 0;
		for (j = 0; j < 4; j++) {
			if (in[i + j] == '=') {
				if (i + 4 != n || j < 2)
					return -1;
				pad++;
				v <<= 6;
				continue;
			}
			if (pad > 0 || (p = strchr(tab, in[i + j])) == NULL ||
			    in[i + j] == '\0')
				return -1;
			v = v << 6 | (unsigned long)(p - tab);
		}
		for (k = 0; k < 3 - pad; k++)
			out[len++] = (unsigned char)(v >> (16 - 8 * k));
	}
	return len;
}

/*
 * Decode an encoded header value: a run of "=?UTF-8?B?…?=" words separated by
 * CRLF SP. Checks the form of every word; returns the decoded text (malloc'd).
 */
static char *
decode_words(const char *enc)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p = enc, *end, *q;
	unsigned char	 tmp[128];
	long		 n;

	buf_append(&b, "", 0);
	for (;;) {
		ck_assert_msg(strncmp(p, "=?UTF-8?B?", 10) == 0,
		    "word does not start with =?UTF-8?B?: %s", p);
		end = strstr(p + 10, "?=");
		ck_assert_ptr_nonnull(end);
		ck_assert_int_le(end + 2 - p, 75);
		for (q = p + 10; q < end; q++)
			ck_assert_msg(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz0123456789+/=", *q) != NULL,
			    "bad character in encoded text");
		n = b64_decode(p + 10, (size_t)(end - p - 10), tmp);
		ck_assert_int_ge(n, 1);
		/* Each word holds whole characters: valid UTF-8 by itself. */
		ck_assert_msg(util_utf8_valid((char *)tmp, (size_t)n),
		    "an encoded-word splits a UTF-8 character");
		buf_append(&b, tmp, (size_t)n);
		p = end + 2;
		if (*p == '\0')
			break;
		ck_assert_msg(strncmp(p, "\r\n ", 3) == 0,
		    "words must be separated by CRLF SP");
		p += 3;
	}
	return b.data;
}

/* Every physical line of "Subject: " + enc is at most 76 characters. */
static void
check_line_lengths(const char *enc)
{
	const char	*p = enc;
	size_t		 col = strlen("Subject: ");

	for (; *p != '\0'; p++) {
		if (*p == '\r') {
			ck_assert_int_le(col, 76);
			col = 0;
			continue;
		}
		if (*p != '\n')
			col++;
	}
	ck_assert_int_le(col, 76);
}

START_TEST(ascii_unchanged)
{
	const char *in[] = {
		"Hello, world",
		"",
		"Your kenpo account: please confirm (step 2/4)",
		"a?b=c ?= =x",
	};
	size_t	 i;
	char	*e;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		e = mail_encode_header(in[i]);
		ck_assert_str_eq(e, in[i]);
		free(e);
	}
}
END_TEST

START_TEST(ascii_looking_encoded_is_encoded)
{
	const char	*in = "=?UTF-8?B?AAAA?= trick";
	char		*e, *d;

	e = mail_encode_header(in);
	ck_assert_str_ne(e, in);
	d = decode_words(e);
	ck_assert_str_eq(d, in);
	free(d);
	free(e);
}
END_TEST

START_TEST(control_characters_cannot_inject)
{
	char	*e, *d, *p;

	e = mail_encode_header("hello\r\nBcc: victim@example.com");
	for (p = e; *p != '\0'; p++)
		ck_assert(*p != '\r' && *p != '\n');
	ck_assert_str_eq(e, "hello  Bcc: victim@example.com");
	free(e);

	/* Non-ASCII with a newline: encoded, and the newline is gone. */
	e = mail_encode_header("テスト\nBcc: x");
	d = decode_words(e);
	ck_assert_str_eq(d, "テスト Bcc: x");
	free(d);
	free(e);
}
END_TEST

START_TEST(japanese_encoded)
{
	char	*e, *d;

	e = mail_encode_header("テスト送信");
	ck_assert_str_eq(e, "=?UTF-8?B?44OG44K544OI6YCB5L+h?=");
	d = decode_words(e);
	ck_assert_str_eq(d, "テスト送信");
	free(d);
	free(e);
}
END_TEST

START_TEST(long_subject_split_on_characters)
{
	const char *in[] = {
		/* Mixed ASCII and kana: word boundaries fall anywhere. */
		"【kenpo】仮登録はまだ完了していません — メールアドレスの確認を"
		    "お願いします（24時間以内に手続きしてください）",
		/* Only 3-octet characters. */
		"あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほ"
		    "まみむめもやゆよらりるれろわをんアイウエオカキクケコ",
		/* 4-octet characters (outside the BMP) among 1- and 2-octet ones. */
		"a😀bé😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀cé𠮷野家",
		/* Each length from 1 to 60 of a 2-octet character is tried below. */
	};
	char	*e, *d, s[256];
	size_t	 i, n;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		e = mail_encode_header(in[i]);
		ck_assert_ptr_nonnull(strstr(e, "\r\n "));	/* was split */
		check_line_lengths(e);
		d = decode_words(e);
		ck_assert_str_eq(d, in[i]);
		free(d);
		free(e);
	}
	for (n = 1; n <= 60; n++) {
		s[0] = 'x';
		for (i = 0; i < n; i++)
			memcpy(s + 1 + 2 * i, "é", 2);
		s[1 + 2 * n] = '\0';
		e = mail_encode_header(s);
		check_line_lengths(e);
		d = decode_words(e);
		ck_assert_str_eq(d, s);
		free(d);
		free(e);
	}
}
END_TEST

START_TEST(invalid_utf8_does_not_crash)
{
	const char	 in[] = "ab\xe3\x81\xff\xc0 z\xf0\x9f";
	char		*e, *p, *end;
	unsigned char	 tmp[128];
	struct buf	 b = { NULL, 0, 0 };
	long		 n;

	e = mail_encode_header(in);
	/* The bytes come back unchanged even though they are not UTF-8. */
	for (p = e; (p = strstr(p, "=?UTF-8?B?")) != NULL; p = end + 2) {
		end = strstr(p + 10, "?=");
		ck_assert_ptr_nonnull(end);
		n = b64_decode(p + 10, (size_t)(end - p - 10), tmp);
		ck_assert_int_ge(n, 1);
		buf_append(&b, tmp, (size_t)n);
	}
	ck_assert_uint_eq(b.len, strlen(in));
	ck_assert(memcmp(b.data, in, b.len) == 0);
	buf_free(&b);
	free(e);
}
END_TEST

/*
 * k = hmac.new(bytes.fromhex("11" * 32), b"kenpo message-id v1", sha256).digest()
 * hmac.new(k, b"42|1700000000.123456", sha256).hexdigest()[:32]
 */
START_TEST(message_id_is_stable_per_row)
{
	HDF	*hdf = NULL;
	char	*a, *b;

	ck_assert_int_eq(crypto_init(), 0);
	ck_assert(hdf_init(&hdf) == STATUS_OK);
	hdf_set_value(hdf, "Security.Secret",
	    "1111111111111111111111111111111111111111111111111111111111111111");
	config_set(hdf);

	a = mail_message_id(42, "1700000000.123456", "example.jp");
	b = mail_message_id(42, "1700000000.123456", "example.jp");
	ck_assert_str_eq(a, "b792695ea3e49f8bd81c2cc0f7ede5de@example.jp");
	ck_assert_str_eq(a, b);			/* every attempt: the same ID */
	free(b);
	/* Another row, or the same id in a rebuilt database: another ID. */
	b = mail_message_id(43, "1700000000.123456", "example.jp");
	ck_assert_str_eq(b, "721d2f9bf750dc4e723875e0c782a546@example.jp");
	free(b);
	b = mail_message_id(42, "1700000000.123457", "example.jp");
	ck_assert_str_eq(b, "0f7676d1a6cdebba0774fd9057598714@example.jp");
	free(b);
	free(a);
}
END_TEST

/*
 * k = hmac.new(bytes.fromhex("11" * 32), b"kenpo unsubscribe v1", sha256).digest()
 * base64url(hmac.new(k, b"42|hanako@example.jp", sha256).digest()), no padding
 */
START_TEST(unsubscribe_token)
{
	HDF		*hdf = NULL;
	char		 t[NOTIFY_TOKEN_MAX], mac[NOTIFY_TOKEN_MAX];
	long long	 id;
	size_t		 i;
	static const char *const bad[] = {
		"", ".", "42", "42.", ".Ulwh_zRozxe2CTDyzsA7DDAxBKWuEWI41cZhIt_Y9wI",
		"042.Ulwh_zRozxe2CTDyzsA7DDAxBKWuEWI41cZhIt_Y9wI",
		"-42.Ulwh_zRozxe2CTDyzsA7DDAxBKWuEWI41cZhIt_Y9wI",
		"4x2.Ulwh_zRozxe2CTDyzsA7DDAxBKWuEWI41cZhIt_Y9wI",
		"42.Ulwh_zRozxe2CTDyzsA7DDAxBKWuEWI41cZhIt_Y9w",
		"42.Ulwh_zRozxe2CTDyzsA7DDAxBKWuEWI41cZhIt_Y9wIA",
		"42.Ulwh_zRozxe2CTDyzsA7DDAxBKWuEWI41cZhIt_Y9w=",
		"42.Ulwh+zRozxe2CTDyzsA7DDAxBKWuEWI41cZhIt_Y9wI",
		"99999999999999999999.Ulwh_zRozxe2CTDyzsA7DDAxBKWuEWI41cZhIt_Y9wI",
		"9223372036854775808.Ulwh_zRozxe2CTDyzsA7DDAxBKWuEWI41cZhIt_Y9wI",
	};

	ck_assert_int_eq(crypto_init(), 0);
	ck_assert(hdf_init(&hdf) == STATUS_OK);
	hdf_set_value(hdf, "Security.Secret",
	    "1111111111111111111111111111111111111111111111111111111111111111");
	config_set(hdf);

	ck_assert_int_eq(notify_token(42, "hanako@example.jp", t), 0);
	ck_assert_str_eq(t, "42.Ulwh_zRozxe2CTDyzsA7DDAxBKWuEWI41cZhIt_Y9wI");
	ck_assert_int_eq(notify_token_parse(t, &id, mac), 0);
	ck_assert_int_eq(id, 42);
	ck_assert_int_eq(notify_token_check(id, "hanako@example.jp", mac), 1);
	/* Another address (changed since the mail), another account: refused. */
	ck_assert_int_eq(notify_token_check(id, "other@example.jp", mac), 0);
	ck_assert_int_eq(notify_token_check(43, "hanako@example.jp", mac), 0);
	ck_assert_int_eq(notify_token(42, "other@example.jp", t), 0);
	ck_assert_str_eq(t, "42.Mcu-leqApEqReBKvZUmG2E6xYVWeMxV3ok59bIdo1zs");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(notify_token_parse(bad[i], &id, mac) == -1, "%s", bad[i]);
	ck_assert_int_eq(notify_token_parse(
	    "9223372036854775807.Ulwh_zRozxe2CTDyzsA7DDAxBKWuEWI41cZhIt_Y9wI",
	    &id, mac), 0);
	ck_assert_int_eq(notify_token_parse(NULL, &id, mac), -1);
}
END_TEST

START_TEST(list_unsubscribe_headers)
{
	char	*h;
	size_t	 i;
	static const char *const bad[] = {
		"", "https://", "http:///x", "ftp://h/x", "mailto:u@h",
		"https://h/a b", "https://h/a<b", "https://h/a>b", "https://h/a,b",
		"https://h/a\"b", "https://h/a\\b", "https://h/a\r\nBcc: x",
		"https://h/\x7f", "https://h/\xe3\x81\x82",
	};

	h = mail_list_unsubscribe("https://kenpo.example.jp/unsubscribe/1.abc");
	ck_assert_str_eq(h, "List-Unsubscribe: "
	    "<https://kenpo.example.jp/unsubscribe/1.abc>\r\n"
	    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	free(h);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(mail_list_unsubscribe(bad[i]) == NULL, "%s", bad[i]);
	ck_assert_ptr_null(mail_list_unsubscribe(NULL));
}
END_TEST

static Suite *
mail_suite(void)
{
	Suite	*s = suite_create("mail");
	TCase	*tc = tcase_create("encode_header");
	TCase	*tm = tcase_create("message_id");

	tcase_add_test(tc, ascii_unchanged);
	tcase_add_test(tc, ascii_looking_encoded_is_encoded);
	tcase_add_test(tc, control_characters_cannot_inject);
	tcase_add_test(tc, japanese_encoded);
	tcase_add_test(tc, long_subject_split_on_characters);
	tcase_add_test(tc, invalid_utf8_does_not_crash);
	suite_add_tcase(s, tc);
	tcase_add_test(tm, message_id_is_stable_per_row);
	tcase_add_test(tm, unsubscribe_token);
	tcase_add_test(tc, list_unsubscribe_headers);
	suite_add_tcase(s, tm);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(mail_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
