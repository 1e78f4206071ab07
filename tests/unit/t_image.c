/*
 * t_image.c — image_normalise (src/image.c) with the built kenpo-image
 * ($KENPO_BUILD/kenpo-image; make check sets KENPO_BUILD): images made here
 * with libgd come back as JPEGs of the right size, scaled to IMAGE_MAX_SIDE;
 * empty, oversized, non-image, polyglot and tiny inputs get their result; and
 * the parent survives a helper that is missing, never answers (killed at
 * Verify.ImageTimeout), answers junk, floods its output (killed at
 * IMAGE_MAX_OUTPUT) or closes its outputs and lingers (killed at the
 * deadline) — each time IMAGE_FAILED and the child reaped.
 */
#include "autoconf.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ClearSilver.h>
#include <gd.h>

#include "config.h"
#include "image.h"
#include "image_sniff.h"
#include "log.h"
#include "util.h"

static char	 helper[4096];

/*
 * A fresh configuration: the built helper, a timeout a loaded machine never
 * reaches on these small images (the misbehaving helpers below get 2 s).
 */
static void
setup(void)
{
	HDF	*hdf = NULL;

	ck_assert(hdf_init(&hdf) == STATUS_OK);
	ck_assert(hdf_set_value(hdf, "Verify.ImageHelper", helper) == STATUS_OK);
	ck_assert(hdf_set_value(hdf, "Verify.ImageTimeout", "60") == STATUS_OK);
	config_set(hdf);
}

/* A w × h PNG (gradient, or noise), malloc'd; *len set. */
static unsigned char *
make_png(int w, int h, int noise, size_t *len)
{
	gdImagePtr	 im = gdImageCreateTrueColor(w, h);
	unsigned char	*out, *p;
	int		 x, y, size = 0;

	ck_assert_ptr_nonnull(im);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			im->tpixels[y][x] = noise ?
			    gdTrueColor(rand() & 255, rand() & 255, rand() & 255) :
			    gdTrueColor(x * 255 / w, y * 255 / h, 128);
	p = gdImagePngPtrEx(im, &size, noise ? 1 : 6);
	gdImageDestroy(im);
	ck_assert_ptr_nonnull(p);
	out = xmalloc((size_t)size + 64);
	memcpy(out, p, (size_t)size);
	gdFree(p);
	*len = (size_t)size;
	return out;
}

/* Normalise in[0..len) expecting want; on IMAGE_OK check the JPEG is w × h. */
static void
expect(const unsigned char *in, size_t len, enum image_result want,
    unsigned w, unsigned h)
{
	struct image_info info;
	unsigned char	*jpeg = (unsigned char *)"x";
	size_t		 jlen = 1;
	unsigned	 ow = 1, oh = 1;
	enum image_result r;

	r = image_normalise(in, len, &jpeg, &jlen, &ow, &oh);
	ck_assert_msg(r == want, "image_normalise: %s, want %s",
	    image_result_key(r), image_result_key(want));
	if (want != IMAGE_OK) {
		ck_assert_ptr_null(jpeg);
		ck_assert_uint_eq(jlen, 0);
		return;
	}
	ck_assert_ptr_nonnull(jpeg);
	ck_assert_uint_eq(ow, w);
	ck_assert_uint_eq(oh, h);
	ck_assert_int_eq(image_sniff(jpeg, jlen, &info), IMAGE_OK);
	ck_assert_int_eq(info.kind, IMAGE_KIND_JPEG);
	ck_assert_uint_eq(info.width, w);
	ck_assert_uint_eq(info.height, h);
	ck_assert_uint_eq(info.exif_len, 0);
	/* No comment: the encoder's "CREATOR: gd-jpeg" is stripped. */
	ck_assert_ptr_null(memmem(jpeg, jlen, "CREATOR", 7));
	free(jpeg);
}

/* No child of ours is left unreaped. */
static void
no_zombie(void)
{
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

START_TEST(test_png_roundtrip)
{
	size_t		 len;
	unsigned char	*png = make_png(640, 480, 0, &len);

	expect(png, len, IMAGE_OK, 640, 480);
	free(png);
	png = make_png(3000, 2000, 0, &len);
	expect(png, len, IMAGE_OK, 2400, 1600);	/* the longer side cut */
	free(png);
	png = make_png(480, 960, 0, &len);
	expect(png, len, IMAGE_OK, 480, 960);
	free(png);
	no_zombie();
}
END_TEST

START_TEST(test_big_input_no_deadlock)
{
	size_t		 len;
	/* Several MB each way: the helper writes while it is still being fed
	 * only if the parent serves both pipes. */
	unsigned char	*png = make_png(1800, 1300, 1, &len);

	ck_assert_uint_gt(len, 4 * 1024 * 1024);
	expect(png, len, IMAGE_OK, 1800, 1300);
	free(png);
	no_zombie();
}
END_TEST

START_TEST(test_refusals)
{
	static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00"
	    "\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00"
	    "\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
	static const unsigned char zip[] = "PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0";
	size_t		 len;
	unsigned char	*png = make_png(640, 480, 0, &len);

	expect(png, 0, IMAGE_EMPTY, 0, 0);
	expect(gif, sizeof(gif) - 1, IMAGE_TYPE, 0, 0);
	expect(png, len - 10, IMAGE_BROKEN, 0, 0);	/* truncated */
	memcpy(png + len, zip, sizeof(zip) - 1);	/* a ZIP after IEND */
	expect(png, len + sizeof(zip) - 1, IMAGE_BROKEN, 0, 0);
	ck_assert_int_eq(config_put("Verify.MaxImageBytes", "2048"), 0);
	expect(png, len, IMAGE_TOO_LARGE, 0, 0);
	free(png);
	png = make_png(200, 150, 0, &len);
	expect(png, len, IMAGE_DIMENSIONS, 0, 0);	/* too small to read */
	free(png);
	no_zombie();
}
END_TEST

START_TEST(test_bad_helpers)
{
	char		 dir[] = "/tmp/t_image.XXXXXX", linger[64];
	size_t		 len;
	unsigned char	*png = make_png(640, 480, 0, &len);
	FILE		*f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(linger, sizeof(linger), "%s/linger", dir);
	ck_assert_ptr_nonnull(f = fopen(linger, "w"));
	fputs("#!/bin/sh\nexec </dev/null >&- 2>&-\nexec sleep 600\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(linger, 0700), 0);

	ck_assert_int_eq(config_put("Verify.ImageTimeout", "2"), 0);
	/* Missing. */
	ck_assert_int_eq(config_put("Verify.ImageHelper", "/nonexistent/kenpo-image"), 0);
	expect(png, len, IMAGE_FAILED, 0, 0);
	/* Never answers: `sleep MAX_BYTES MAX_PIXELS` sleeps for years. */
	ck_assert_int_eq(config_put("Verify.ImageHelper", "/bin/sleep"), 0);
	expect(png, len, IMAGE_FAILED, 0, 0);
	/* Exit 0 with something that is not a JPEG. */
	ck_assert_int_eq(config_put("Verify.ImageHelper", "/bin/echo"), 0);
	expect(png, len, IMAGE_FAILED, 0, 0);
	/* Floods stdout: cut at IMAGE_MAX_OUTPUT. */
	ck_assert_int_eq(config_put("Verify.ImageHelper", "/usr/bin/yes"), 0);
	expect(png, len, IMAGE_FAILED, 0, 0);
	/* Closes its outputs, then lingers: killed at the deadline. */
	ck_assert_int_eq(config_put("Verify.ImageHelper", linger), 0);
	expect(png, len, IMAGE_FAILED, 0, 0);
	free(png);
	no_zombie();
	unlink(linger);
	rmdir(dir);
}
END_TEST

START_TEST(test_keys)
{
	ck_assert_str_eq(image_result_key(IMAGE_TOO_LARGE), "TooLarge");
	ck_assert_str_eq(image_result_key(IMAGE_TYPE), "Type");
	ck_assert_str_eq(image_result_key(IMAGE_BROKEN), "Broken");
	ck_assert_str_eq(image_result_key(IMAGE_DIMENSIONS), "Dimensions");
	ck_assert_str_eq(image_result_key(IMAGE_FAILED), "Failed");
	ck_assert_str_eq(image_result_key((enum image_result)99), "Failed");
}
END_TEST

static Suite *
image_suite(void)
{
	Suite	*s = suite_create("image");
	TCase	*tc = tcase_create("normalise");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_png_roundtrip);
	tcase_add_test(tc, test_big_input_no_deadlock);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_bad_helpers);
	tcase_add_test(tc, test_keys);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	const char	*build = getenv("KENPO_BUILD");
	SRunner		*sr;
	int		 failed;

	log_open("t_image", 0);
	snprintf(helper, sizeof(helper), "%s/kenpo-image",
	    build != NULL && build[0] != '\0' ? build : ".");
	sr = srunner_create(image_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
