/*
 * t_captcha.c — unit tests for captcha.c: sealed challenge round trip, PNG output
 * of every level, forged / damaged / foreign / expired challenges, answer
 * normalisation (lower case, full width, spaces, kanji numerals), and the text
 * questions rendered from the real lang files.
 *
 * The single-use check (captcha_used) needs the database: the login integration
 * tests cover it.
 *
 * With KENPO_CAPTCHA_SAMPLES=DIR set, writes sample images of each level to DIR
 * (level1-0.png …) for a person to look at.
 */
#include "autoconf.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "captcha.h"
#include "config.h"
#include "crypto.h"
#include "log.h"
#include "util.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

#define NOW	((int64_t)1700000000)

static const char secret_a[] =
    "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
static const char secret_b[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void
setup_config_secret(const char *secret)
{
	HDF	*hdf = NULL;

	if (hdf_init(&hdf) != STATUS_OK)
		abort();
	hdf_set_value(hdf, "Security.Pepper",
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	hdf_set_value(hdf, "Security.Secret", secret);
	hdf_set_value(hdf, "Login.CaptchaMinutes", "10");
	config_set(hdf);
}

static void
setup(void)
{
	setup_config_secret(secret_a);
}

/* Read a big-endian 32-bit value. */
static unsigned long
be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	    (unsigned long)p[2] << 8 | p[3];
}

/* A PNG with the right signature, an IHDR of w x h and a plausible size. */
static void
check_png(const struct buf *b, unsigned long w, unsigned long h)
{
	const unsigned char *p = (const unsigned char *)b->data;

	ck_assert_uint_gt(b->len, 1000);
	ck_assert_uint_lt(b->len, 80000);
	ck_assert_int_eq(memcmp(p, "\x89PNG\r\n\x1a\n", 8), 0);
	ck_assert_int_eq(memcmp(p + 12, "IHDR", 4), 0);
	ck_assert_uint_eq(be32(p + 16), w);
	ck_assert_uint_eq(be32(p + 20), h);
}

START_TEST(test_roundtrip_levels)
{
	static const unsigned long widths[] = { 0, 170, 200, 220 };
	static const unsigned long heights[] = { 0, 64, 66, 70 };
	char		 ch[CAPTCHA_CHALLENGE_MAX];
	struct captcha_box box;
	struct buf	 png = { NULL, 0, 0 };
	int		 level, i;

	for (level = 1; level <= CAPTCHA_LEVEL_MAX; level++) {
		ck_assert_int_eq(captcha_new_at(CAPTCHA_IMAGE, level, NOW, ch,
		    sizeof(ch)), 0);
		ck_assert_uint_lt(strlen(ch), 100);
		ck_assert_int_eq(captcha_open_at(ch, NOW, &box), 0);
		ck_assert_int_eq(box.kind, CAPTCHA_IMAGE);
		ck_assert_int_eq(box.level, level);
		ck_assert_int_eq(box.expires, NOW + 600);
		ck_assert_uint_eq(strlen(box.answer), (size_t)(3 + level));
		for (i = 0; box.answer[i] != '\0'; i++) {
			ck_assert_ptr_nonnull(strchr("23469ACDEFHJKMNPRTUVWXY",
			    box.answer[i]));
			/* The answer is not visible in the challenge. */
		}
		ck_assert_ptr_null(strstr(ch, box.answer));
		ck_assert_int_eq(captcha_render(&box, &png), 0);
		check_png(&png, widths[level], heights[level]);
		buf_free(&png);
		ck_assert_int_eq(captcha_answer_matches(&box, box.answer), 1);
	}
}
END_TEST

START_TEST(test_bad_levels)
{
	char	 ch[CAPTCHA_CHALLENGE_MAX];

	ck_assert_int_eq(captcha_new(0, ch, sizeof(ch)), -1);
	ck_assert_int_eq(captcha_new(4, ch, sizeof(ch)), -1);
	ck_assert_int_eq(captcha_new(-1, ch, sizeof(ch)), -1);
	ck_assert_int_eq(captcha_text_new(0, ch, sizeof(ch)), -1);
	ck_assert_int_eq(captcha_new_at(7, 1, NOW, ch, sizeof(ch)), -1);
	/* Too small a buffer. */
	ck_assert_int_eq(captcha_new(1, ch, 20), -1);
}
END_TEST

START_TEST(test_png_now_and_suffix)
{
	char		 ch[CAPTCHA_CHALLENGE_MAX], withpng[CAPTCHA_CHALLENGE_MAX + 4];
	struct buf	 a = { NULL, 0, 0 }, b = { NULL, 0, 0 };

	ck_assert_int_eq(captcha_new(2, ch, sizeof(ch)), 0);
	ck_assert_int_eq(captcha_kind(ch), CAPTCHA_IMAGE);
	ck_assert_int_eq(captcha_png(ch, &a), 0);
	snprintf(withpng, sizeof(withpng), "%s.png", ch);
	ck_assert_int_eq(captcha_png(withpng, &b), 0);
	/* The same challenge always gives the same picture. */
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.data, b.data, a.len), 0);
	buf_free(&a);
	buf_free(&b);
	/* Two challenges with the same level differ. */
	ck_assert_int_eq(captcha_new(2, withpng, sizeof(withpng)), 0);
	ck_assert_str_ne(ch, withpng);
}
END_TEST

START_TEST(test_forged)
{
	char		 ch[CAPTCHA_CHALLENGE_MAX], bad[2 * CAPTCHA_CHALLENGE_MAX];
	struct captcha_box box;
	struct buf	 png = { NULL, 0, 0 };
	size_t		 i, n;

	ck_assert_int_eq(captcha_new_at(CAPTCHA_IMAGE, 1, NOW, ch, sizeof(ch)), 0);
	n = strlen(ch);
	/* Change any one character: rejected. */
	for (i = 0; i < n; i++) {
		memcpy(bad, ch, n + 1);
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		ck_assert_int_eq(captcha_open_at(bad, NOW, &box), -1);
	}
	/* Truncated, extended, empty, NULL, foreign characters, overlong. */
	memcpy(bad, ch, n + 1);
	bad[n - 1] = '\0';
	ck_assert_int_eq(captcha_open_at(bad, NOW, &box), -1);
	snprintf(bad, sizeof(bad), "%sAA", ch);
	ck_assert_int_eq(captcha_open_at(bad, NOW, &box), -1);
	ck_assert_int_eq(captcha_open_at("", NOW, &box), -1);
	ck_assert_int_eq(captcha_open_at(NULL, NOW, &box), -1);
	ck_assert_int_eq(captcha_open_at(".png", NOW, &box), -1);
	ck_assert_int_eq(captcha_open_at("../../etc/passwd", NOW, &box), -1);
	snprintf(bad, sizeof(bad), "%.20s%%00%s", ch, ch + 20);
	ck_assert_int_eq(captcha_open_at(bad, NOW, &box), -1);
	memset(bad, 'A', sizeof(bad) - 1);
	bad[sizeof(bad) - 1] = '\0';
	ck_assert_int_eq(captcha_open_at(bad, NOW, &box), -1);
	ck_assert_int_eq(captcha_png("AAAA", &png), -1);
	ck_assert_uint_eq(png.len, 0);
	ck_assert_int_eq(captcha_verify("AAAA", "x", 1), CAPTCHA_INVALID);
	ck_assert_int_eq(captcha_kind("AAAA"), -1);
	/* A box sealed under another Security.Secret. */
	setup_config_secret(secret_b);
	ck_assert_int_eq(captcha_open_at(ch, NOW, &box), -1);
	setup_config_secret(secret_a);
	ck_assert_int_eq(captcha_open_at(ch, NOW, &box), 0);
}
END_TEST

START_TEST(test_foreign_box)
{
	unsigned char	 key[32], sealed[128];
	char		 ch[CAPTCHA_CHALLENGE_MAX];
	struct captcha_box box;
	long		 n;

	/* A box sealed with the raw secret (not the derived captcha key). */
	config_secret("Security.Secret", key, sizeof(key));
	n = crypto_seal(key, "\x01\x01\x01", 3, sealed, sizeof(sealed));
	ck_assert_int_gt(n, 0);
	crypto_b64url_encode(sealed, (size_t)n, ch);
	ck_assert_int_eq(captcha_open_at(ch, NOW, &box), -1);
}
END_TEST

START_TEST(test_expiry)
{
	char		 ch[CAPTCHA_CHALLENGE_MAX];
	struct captcha_box box;

	ck_assert_int_eq(captcha_new_at(CAPTCHA_IMAGE, 3, NOW, ch, sizeof(ch)), 0);
	ck_assert_int_eq(captcha_open_at(ch, NOW + 599, &box), 0);
	ck_assert_int_eq(captcha_open_at(ch, NOW + 600, &box), -1);
	ck_assert_int_eq(captcha_open_at(ch, NOW + 100000, &box), -1);
	/* Made long ago (real time is far past NOW + 600): the real-time API refuses. */
	ck_assert_int_eq(captcha_kind(ch), -1);
	ck_assert_int_eq(captcha_verify(ch, "AAAA", 1), CAPTCHA_INVALID);
	/* Login.CaptchaMinutes is honoured. */
	config_put("Login.CaptchaMinutes", "1");
	ck_assert_int_eq(captcha_new_at(CAPTCHA_TEXT, 1, NOW, ch, sizeof(ch)), 0);
	ck_assert_int_eq(captcha_open_at(ch, NOW + 59, &box), 0);
	ck_assert_int_eq(captcha_open_at(ch, NOW + 60, &box), -1);
	setup();
}
END_TEST

START_TEST(test_normalize)
{
	char	 out[16];

	ck_assert_int_eq(captcha_normalize("ab3k", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "AB3K");
	/* Full-width letters and digits, ideographic space. */
	ck_assert_int_eq(captcha_normalize("ＡＢ３ｋ", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "AB3K");
	ck_assert_int_eq(captcha_normalize(" a\xe3\x80\x80" "b 3\tk ", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "AB3K");
	ck_assert_int_eq(captcha_normalize("", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	/* Invalid UTF-8, NULL, too long. */
	ck_assert_int_eq(captcha_normalize("\xff\xfe", out, sizeof(out)), -1);
	ck_assert_int_eq(captcha_normalize(NULL, out, sizeof(out)), -1);
	ck_assert_int_eq(captcha_normalize("abcdefghijklmnopq", out, sizeof(out)),
	    -1);
	ck_assert_int_eq(captcha_normalize("abcd", out, 4), -1);
	ck_assert_int_eq(captcha_normalize("abc", out, 4), 0);
}
END_TEST

START_TEST(test_answer_matches)
{
	struct captcha_box box;

	memset(&box, 0, sizeof(box));
	box.kind = CAPTCHA_IMAGE;
	box.level = 1;
	strcpy(box.answer, "AC4K");
	ck_assert_int_eq(captcha_answer_matches(&box, "AC4K"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "ac4k"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "ａｃ４ｋ"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "Ａ Ｃ　4 k"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "AC4"), 0);
	ck_assert_int_eq(captcha_answer_matches(&box, "AC4KK"), 0);
	ck_assert_int_eq(captcha_answer_matches(&box, "AC4X"), 0);
	ck_assert_int_eq(captcha_answer_matches(&box, ""), 0);
	ck_assert_int_eq(captcha_answer_matches(&box, NULL), 0);
	ck_assert_int_eq(captcha_answer_matches(&box, "\xff"), 0);

	box.kind = CAPTCHA_TEXT;
	strcpy(box.answer, "13");
	ck_assert_int_eq(captcha_answer_matches(&box, "13"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "１３"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, " 13 "), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "013"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "十三"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "十二"), 0);
	ck_assert_int_eq(captcha_answer_matches(&box, "一三"), 0);
	ck_assert_int_eq(captcha_answer_matches(&box, "三十"), 0);
	ck_assert_int_eq(captcha_answer_matches(&box, "12"), 0);
	ck_assert_int_eq(captcha_answer_matches(&box, "1 3x"), 0);
	ck_assert_int_eq(captcha_answer_matches(&box, ""), 0);
	ck_assert_int_eq(captcha_answer_matches(&box, "-13"), 0);
	strcpy(box.answer, "10");
	ck_assert_int_eq(captcha_answer_matches(&box, "十"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "一十"), 0);
	strcpy(box.answer, "0");
	ck_assert_int_eq(captcha_answer_matches(&box, "〇"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "零"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "0"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "十"), 0);
	strcpy(box.answer, "7");
	ck_assert_int_eq(captcha_answer_matches(&box, "七"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "７"), 1);
	strcpy(box.answer, "20");
	ck_assert_int_eq(captcha_answer_matches(&box, "二十"), 1);
	ck_assert_int_eq(captcha_answer_matches(&box, "二十〇"), 0);
}
END_TEST

/* Load one lang file (lang/<lang>/captcha.hdf) of the source tree. */
static HDF *
load_lang(const char *lang)
{
	HDF	*h = NULL;
	char	 path[512];
	NEOERR	*err;

	snprintf(path, sizeof(path), "%s/templates/lang/%s/captcha.hdf",
	    TOP_SRCDIR, lang);
	ck_assert(hdf_init(&h) == STATUS_OK);
	err = hdf_read_file(h, path);
	if (err != STATUS_OK) {
		nerr_ignore(&err);
		ck_abort_msg("cannot read %s", path);
	}
	return h;
}

/* The value of a number word in lang h (L.Captcha.Num.*) at *p; advances *p. */
static int
number_word(HDF *h, const char **p)
{
	char		 key[32];
	const char	*w;
	int		 n, best = -1;
	size_t		 bestlen = 0;

	/* Longest match first: 十三 before 十. */
	for (n = 0; n <= 18; n++) {
		snprintf(key, sizeof(key), "L.Captcha.Num.%d", n);
		w = hdf_get_value(h, key, NULL);
		ck_assert_ptr_nonnull(w);
		if (strncmp(*p, w, strlen(w)) == 0 && strlen(w) > bestlen) {
			best = n;
			bestlen = strlen(w);
		}
	}
	*p += bestlen;
	return best;
}

/* Evaluate a Japanese question "A たす B [ひく C] は …" by its words. */
static int
eval_ja(HDF *h, const char *q)
{
	const char	*p = q;
	int		 v, n;

	v = number_word(h, &p);
	ck_assert_int_ge(v, 0);
	for (;;) {
		if (strncmp(p, " たす ", strlen(" たす ")) == 0) {
			p += strlen(" たす ");
			n = number_word(h, &p);
			ck_assert_int_ge(n, 0);
			v += n;
		} else if (strncmp(p, " ひく ", strlen(" ひく ")) == 0) {
			p += strlen(" ひく ");
			n = number_word(h, &p);
			ck_assert_int_ge(n, 0);
			v -= n;
		} else
			break;
	}
	ck_assert_msg(strncmp(p, " は", strlen(" は")) == 0, "question: %s", q);
	return v;
}

START_TEST(test_text_questions)
{
	HDF		*ja = load_lang("ja"), *en = load_lang("en");
	char		 ch[CAPTCHA_CHALLENGE_MAX], q[256], ans[8];
	struct captcha_box box;
	struct buf	 png = { NULL, 0, 0 };
	int		 i, level, v;

	for (i = 0; i < 60; i++) {
		level = 1 + i % 3;
		ck_assert_int_eq(captcha_text_new(level, ch, sizeof(ch)), 0);
		ck_assert_int_eq(captcha_kind(ch), CAPTCHA_TEXT);
		ck_assert_int_eq(captcha_open_at(ch, util_now(), &box), 0);
		ck_assert_int_eq(box.level, level);
		ck_assert_int_eq(captcha_question(ch, ja, q, sizeof(q)), 0);
		ck_assert_ptr_null(strchr(q, '{'));
		v = eval_ja(ja, q);
		ck_assert_int_ge(v, 0);
		ck_assert_int_le(v, 18);
		snprintf(ans, sizeof(ans), "%d", v);
		ck_assert_str_eq(ans, box.answer);
		ck_assert_int_eq(captcha_answer_matches(&box, ans), 1);
		if (level == 3)
			ck_assert_ptr_nonnull(strstr(q, "ひく"));
		ck_assert_int_eq(captcha_question(ch, en, q, sizeof(q)), 0);
		ck_assert_ptr_null(strchr(q, '{'));
		ck_assert(strncmp(q, "What is ", 8) == 0);
		/* No image for a text challenge. */
		ck_assert_int_eq(captcha_png(ch, &png), -1);
		ck_assert_int_eq(captcha_question(ch, ja, q, 4), -1);
	}
	/* No question for an image challenge; none without texts. */
	ck_assert_int_eq(captcha_new(1, ch, sizeof(ch)), 0);
	ck_assert_int_eq(captcha_question(ch, ja, q, sizeof(q)), -1);
	ck_assert_int_eq(captcha_text_new(1, ch, sizeof(ch)), 0);
	ck_assert_int_eq(captcha_question(ch, NULL, q, sizeof(q)), -1);
	hdf_destroy(&ja);
	hdf_destroy(&en);
}
END_TEST

/* Write sample images for a person to look at (KENPO_CAPTCHA_SAMPLES=DIR). */
static void
write_samples(const char *dir)
{
	char		 ch[CAPTCHA_CHALLENGE_MAX], path[512];
	struct captcha_box box;
	struct buf	 png = { NULL, 0, 0 };
	FILE		*f;
	int		 level, i;

	for (level = 1; level <= CAPTCHA_LEVEL_MAX; level++) {
		for (i = 0; i < 4; i++) {
			if (captcha_new(level, ch, sizeof(ch)) != 0 ||
			    captcha_open_at(ch, util_now(), &box) != 0 ||
			    captcha_render(&box, &png) != 0)
				abort();
			snprintf(path, sizeof(path), "%s/level%d-%d.png", dir,
			    level, i);
			if ((f = fopen(path, "wb")) == NULL)
				abort();
			fwrite(png.data, 1, png.len, f);
			fclose(f);
			printf("%s %s (%zu bytes)\n", path, box.answer, png.len);
			buf_free(&png);
		}
	}
}

static Suite *
captcha_suite(void)
{
	Suite	*s = suite_create("captcha");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_roundtrip_levels);
	tcase_add_test(tc, test_bad_levels);
	tcase_add_test(tc, test_png_now_and_suffix);
	tcase_add_test(tc, test_forged);
	tcase_add_test(tc, test_foreign_box);
	tcase_add_test(tc, test_expiry);
	tcase_add_test(tc, test_normalize);
	tcase_add_test(tc, test_answer_matches);
	tcase_add_test(tc, test_text_questions);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner		*sr;
	const char	*dir;
	int		 failed;

	log_open("t_captcha", 0);
	if (crypto_init() != 0)
		return 1;
	setup();
	if ((dir = getenv("KENPO_CAPTCHA_SAMPLES")) != NULL && dir[0] != '\0') {
		write_samples(dir);
		return 0;
	}
	sr = srunner_create(captcha_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
