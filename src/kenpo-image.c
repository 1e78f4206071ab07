/*
 * kenpo-image — normalise one eKYC upload into a clean JPEG, in a process of
 * its own (spawned by image_normalise, src/image.c; never by hand in
 * production, though it is safe to: it reads stdin, writes stdout).
 *
 *   kenpo-image MAX_BYTES [MAX_PIXELS]
 *
 * In this order, each step refusing before the next costs anything:
 *   1. limits: close every descriptor above stderr; RLIMIT_AS (memory),
 *      RLIMIT_CPU, RLIMIT_FSIZE 0 (no file written), RLIMIT_NOFILE (no file
 *      opened), RLIMIT_CORE 0 (no image in a core dump), no new privileges.
 *      A limit that cannot be set is a failure, not a warning.
 *   2. read stdin, at most MAX_BYTES (IMAGE_TOO_LARGE past it);
 *   3. image_sniff (src/image_sniff.c): the type from the content — JPEG,
 *      PNG, HEIC by its ftyp brand, nothing else; the container whole, with
 *      nothing after its end (polyglots, truncation);
 *   4. the dimensions from the header (PNG IHDR, JPEG SOFn; HEIC: libheif's
 *      ispe, with libheif's own size limit set) against MAX_PIXELS (default
 *      40 MP), IMAGE_MAX_INPUT_SIDE and the minimum IMAGE_MIN_LONG ×
 *      IMAGE_MIN_SHORT, before a pixel is decoded (decompression bombs);
 *   5. decode: libgd (JPEG, PNG) or libheif (HEIC, which applies its own
 *      rotation and mirroring);
 *   6. scale down so that the longer side is at most IMAGE_MAX_SIDE, flatten
 *      any transparency onto white, apply the EXIF orientation of a JPEG
 *      (libexif) — the only thing read from its metadata;
 *   7. encode JPEG at IMAGE_QUALITY, strip the encoder's comment (no APPn but
 *      JFIF, no COM: no EXIF, GPS, XMP or ICC profile survive), write stdout.
 * The exit code is the enum image_result (src/image.h); on any other outcome
 * than IMAGE_OK one line on stderr says why, never with a byte of the image.
 * A signal (SIGXCPU, SIGKILL, SIGSEGV) is read by the parent as IMAGE_FAILED.
 */
#include "autoconf.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <gd.h>
#include <libexif/exif-data.h>
#include <libheif/heif.h>

#include "image.h"
#include "image_sniff.h"

/*
 * RLIMIT_AS. A 40-megapixel progressive JPEG without chroma subsampling
 * peaks at ~400 MB resident (libjpeg keeps every coefficient of a progressive
 * image: 6 bytes a pixel, then libgd 4 bytes a pixel); PNG and HEIC of that
 * size ~280 MB. Lower Verify.MaxPixels before lowering this.
 */
#define MEMORY_LIMIT	(512ull * 1024 * 1024)
#define CPU_SECONDS	8			/* RLIMIT_CPU, soft; hard + 2 */
#define THREAD_STACK	(1024 * 1024)		/* for libheif's and libde265's threads */
#define DEFAULT_PIXELS	40000000ull

/* Exit with result r and a one-line reason (never image bytes). */
static void __attribute__((noreturn, format(printf, 2, 3)))
refuse(enum image_result r, const char *fmt, ...)
{
	va_list	 ap;

	fputs("kenpo-image: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit((int)r);
}

/* libgd's messages would name libjpeg's and libpng's complaints: dropped. */
static void
gd_quiet(int priority, const char *fmt, va_list ap)
{
	(void)priority;
	(void)fmt;
	(void)ap;
}

/* Step 1. */
static void
limit_self(void)
{
	struct rlimit	 rl;
	pthread_attr_t	 attr;

#ifdef __linux__
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		refuse(IMAGE_FAILED, "prctl: %s", strerror(errno));
#endif
	/* Whatever the parent left open (a database or FastCGI socket). */
	if (close_range(3, ~0u, 0) != 0)
		refuse(IMAGE_FAILED, "close_range: %s", strerror(errno));
	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_CORE, &rl) != 0 || setrlimit(RLIMIT_FSIZE, &rl) != 0)
		refuse(IMAGE_FAILED, "setrlimit: %s", strerror(errno));
	rl.rlim_cur = CPU_SECONDS;
	rl.rlim_max = CPU_SECONDS + 2;
	if (setrlimit(RLIMIT_CPU, &rl) != 0)
		refuse(IMAGE_FAILED, "setrlimit(RLIMIT_CPU): %s", strerror(errno));
#ifndef KENPO_SANITIZERS
	/* The sanitizers reserve terabytes of shadow memory and open files at
	 * exit: their builds keep only the limits above. */
	rl.rlim_cur = rl.rlim_max = MEMORY_LIMIT;
	if (setrlimit(RLIMIT_AS, &rl) != 0)
		refuse(IMAGE_FAILED, "setrlimit(RLIMIT_AS): %s", strerror(errno));
	rl.rlim_cur = rl.rlim_max = 3;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		refuse(IMAGE_FAILED, "setrlimit(RLIMIT_NOFILE): %s",
		    strerror(errno));
#endif
	/* Threads get small stacks: their default (RLIMIT_STACK, 8 MB) counts
	 * against RLIMIT_AS once per thread. */
	if (pthread_attr_init(&attr) != 0 ||
	    pthread_attr_setstacksize(&attr, THREAD_STACK) != 0 ||
	    pthread_setattr_default_np(&attr) != 0)
		refuse(IMAGE_FAILED, "cannot set the default thread stack");
	pthread_attr_destroy(&attr);
}

/* Step 2: stdin into a buffer of at most max bytes; *len set. */
static unsigned char *
read_input(size_t max, size_t *len)
{
	unsigned char	*buf;
	size_t		 n = 0;
	ssize_t		 r;

	/* One byte more than allowed tells "too large" from "exactly max". */
	if ((buf = malloc(max + 1)) == NULL)
		refuse(IMAGE_FAILED, "out of memory for %zu bytes", max);
	for (;;) {
		r = read(STDIN_FILENO, buf + n, max + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			refuse(IMAGE_FAILED, "read: %s", strerror(errno));
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max)
			refuse(IMAGE_TOO_LARGE, "more than %zu bytes", max);
	}
	*len = n;
	return buf;
}

/* Step 4: w × h against the limits (either orientation). */
static void
check_dimensions(unsigned long long w, unsigned long long h,
    unsigned long long max_pixels)
{
	unsigned long long lo = w < h ? w : h, hi = w < h ? h : w;

	if (hi > IMAGE_MAX_INPUT_SIDE || w * h > max_pixels)
		refuse(IMAGE_DIMENSIONS, "%llu x %llu pixels: over the limit"
		    " (%llu pixels, %d per side)", w, h, max_pixels,
		    IMAGE_MAX_INPUT_SIDE);
	if (hi < IMAGE_MIN_LONG || lo < IMAGE_MIN_SHORT)
		refuse(IMAGE_DIMENSIONS, "%llu x %llu pixels: under %d x %d", w,
		    h, IMAGE_MIN_LONG, IMAGE_MIN_SHORT);
}

/* The EXIF orientation (1-8) of the APP1 payload p[0..len), 1 if none. */
static int
exif_orientation(const unsigned char *p, size_t len)
{
	ExifData	*ed;
	ExifEntry	*e;
	int		 o = 1;

	if (len == 0 || len > UINT_MAX ||
	    (ed = exif_data_new_from_data(p, (unsigned)len)) == NULL)
		return 1;
	e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
	if (e != NULL && e->format == EXIF_FORMAT_SHORT && e->components == 1 &&
	    e->size >= 2)
		o = exif_get_short(e->data, exif_data_get_byte_order(ed));
	exif_data_unref(ed);
	return o >= 1 && o <= 8 ? o : 1;
}

/* Step 5, HEIC: decode the primary image (transformations applied). */
static gdImagePtr
decode_heif(const unsigned char *p, size_t len, unsigned long long max_pixels)
{
	struct heif_context	*ctx = NULL;
	struct heif_image_handle *h = NULL;
	struct heif_image	*img = NULL;
	struct heif_error	 err;
	gdImagePtr		 im = NULL;
	const uint8_t		*row;
	int			 w, hh, stride, x, y;

	if ((ctx = heif_context_alloc()) == NULL)
		refuse(IMAGE_FAILED, "libheif: no context");
	/* libheif refuses an image wider or taller than this while reading. */
	heif_context_set_maximum_image_size_limit(ctx, IMAGE_MAX_INPUT_SIDE);
	heif_context_set_max_decoding_threads(ctx, 0);
	err = heif_context_read_from_memory_without_copy(ctx, p, len, NULL);
	if (err.code != heif_error_Ok)
		refuse(err.subcode == heif_suberror_Security_limit_exceeded ?
		    IMAGE_DIMENSIONS : IMAGE_BROKEN, "libheif: cannot read"
		    " the container (error %d.%d)", err.code, err.subcode);
	err = heif_context_get_primary_image_handle(ctx, &h);
	if (err.code != heif_error_Ok)
		refuse(IMAGE_BROKEN, "libheif: no primary image (error %d.%d)",
		    err.code, err.subcode);
	if (heif_image_handle_get_width(h) <= 0 ||
	    heif_image_handle_get_height(h) <= 0)
		refuse(IMAGE_BROKEN, "libheif: no image size (ispe)");
	check_dimensions((unsigned)heif_image_handle_get_width(h),
	    (unsigned)heif_image_handle_get_height(h), max_pixels);
	err = heif_decode_image(h, &img, heif_colorspace_RGB,
	    heif_chroma_interleaved_RGB, NULL);
	if (err.code != heif_error_Ok)
		refuse(IMAGE_BROKEN, "libheif: cannot decode (error %d.%d)",
		    err.code, err.subcode);
	w = heif_image_get_width(img, heif_channel_interleaved);
	hh = heif_image_get_height(img, heif_channel_interleaved);
	row = heif_image_get_plane_readonly(img, heif_channel_interleaved,
	    &stride);
	if (row == NULL || w <= 0 || hh <= 0)
		refuse(IMAGE_BROKEN, "libheif: no pixels");
	/* The transformations may have turned it: the limits once more. */
	check_dimensions((unsigned)w, (unsigned)hh, max_pixels);
	if ((im = gdImageCreateTrueColor(w, hh)) == NULL)
		refuse(IMAGE_FAILED, "out of memory for %d x %d pixels", w, hh);
	for (y = 0; y < hh; y++, row += stride)
		for (x = 0; x < w; x++)
			im->tpixels[y][x] = gdTrueColor(row[3 * x],
			    row[3 * x + 1], row[3 * x + 2]);
	heif_image_release(img);
	heif_image_handle_release(h);
	heif_context_free(ctx);
	return im;
}

/*
 * Step 6: the image turned as EXIF orientation o says (1 as stored, 2 mirrored,
 * 3 turned 180°, 4 flipped, 5 transposed, 6 turned 90° clockwise, 7
 * transversed, 8 turned 90° anticlockwise). Frees src when it returns another.
 */
static gdImagePtr
orient(gdImagePtr src, int o)
{
	gdImagePtr	 dst;
	int		 w = gdImageSX(src), h = gdImageSY(src), x, y;

	switch (o) {
	case 2:
		gdImageFlipHorizontal(src);
		return src;
	case 3:
		gdImageFlipBoth(src);
		return src;
	case 4:
		gdImageFlipVertical(src);
		return src;
	case 5: case 6: case 7: case 8:
		break;
	default:
		return src;
	}
	if ((dst = gdImageCreateTrueColor(h, w)) == NULL)
		refuse(IMAGE_FAILED, "out of memory turning the image");
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			int	 p = src->tpixels[y][x];

			if (o == 5)
				dst->tpixels[x][y] = p;
			else if (o == 6)
				dst->tpixels[x][h - 1 - y] = p;
			else if (o == 7)
				dst->tpixels[w - 1 - x][h - 1 - y] = p;
			else
				dst->tpixels[w - 1 - x][y] = p;
		}
	gdImageDestroy(src);
	return dst;
}

/* Step 6: at most IMAGE_MAX_SIDE on the longer side, opaque. */
static gdImagePtr
shrink(gdImagePtr im)
{
	gdImagePtr	 out, flat;
	int		 w = gdImageSX(im), h = gdImageSY(im), nw = w, nh = h;

	if (w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE) {
		if (w >= h) {
			nw = IMAGE_MAX_SIDE;
			nh = (int)(((long long)h * IMAGE_MAX_SIDE + w / 2) / w);
		} else {
			nh = IMAGE_MAX_SIDE;
			nw = (int)(((long long)w * IMAGE_MAX_SIDE + h / 2) / h);
		}
		if (nw < 1)
			nw = 1;
		if (nh < 1)
			nh = 1;
		if (!gdImageSetInterpolationMethod(im, GD_BICUBIC) ||
		    (out = gdImageScale(im, (unsigned)nw, (unsigned)nh)) == NULL)
			refuse(IMAGE_FAILED, "cannot scale %d x %d to %d x %d",
			    w, h, nw, nh);
		gdImageDestroy(im);
		im = out;
	}
	/* Transparent parts onto white (JPEG has no alpha). */
	if ((flat = gdImageCreateTrueColor(nw, nh)) == NULL)
		refuse(IMAGE_FAILED, "out of memory for %d x %d pixels", nw, nh);
	gdImageFilledRectangle(flat, 0, 0, nw - 1, nh - 1,
	    gdTrueColor(255, 255, 255));
	gdImageAlphaBlending(flat, 1);
	gdImageCopy(flat, im, 0, 0, 0, 0, nw, nh);
	gdImageDestroy(im);
	return flat;
}

/* Step 7: write all of p[0..len) to stdout. */
static void
write_all(const unsigned char *p, size_t len)
{
	ssize_t	 r;

	while (len > 0) {
		r = write(STDOUT_FILENO, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			refuse(IMAGE_FAILED, "write: %s", strerror(errno));
		p += r;
		len -= (size_t)r;
	}
}

/* A positive decimal argument, or exit IMAGE_FAILED. */
static unsigned long long
arg_number(const char *s, unsigned long long max)
{
	char			*end;
	unsigned long long	 n;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || n == 0 ||
	    n > max)
		refuse(IMAGE_FAILED, "usage: kenpo-image MAX_BYTES [MAX_PIXELS]");
	return n;
}

int
main(int argc, char **argv)
{
	struct image_info	 info;
	enum image_result	 r;
	unsigned long long	 max_pixels = DEFAULT_PIXELS;
	unsigned char		*in, *out;
	size_t			 max, len, olen;
	gdImagePtr		 im = NULL;
	int			 size, o = 1;

	if (argc < 2 || argc > 3)
		refuse(IMAGE_FAILED, "usage: kenpo-image MAX_BYTES [MAX_PIXELS]");
	max = (size_t)arg_number(argv[1], INT_MAX - 1);
	if (argc == 3)
		max_pixels = arg_number(argv[2], 1ull << 40);
	limit_self();
	gdSetErrorMethod(gd_quiet);

	in = read_input(max, &len);
	switch ((r = image_sniff(in, len, &info))) {
	case IMAGE_OK:
		break;
	case IMAGE_EMPTY:
		refuse(r, "no bytes");
	case IMAGE_TYPE:
		refuse(r, "not a JPEG, PNG or HEIC image by its content");
	case IMAGE_DIMENSIONS:
		refuse(r, "no size in the image header");
	default:
		refuse(r, "the %s is truncated, malformed or has data after"
		    " its end", info.kind == IMAGE_KIND_JPEG ? "JPEG" :
		    info.kind == IMAGE_KIND_PNG ? "PNG" :
		    info.kind == IMAGE_KIND_HEIF ? "HEIF" : "file");
	}
	switch (info.kind) {
	case IMAGE_KIND_JPEG:
		check_dimensions(info.width, info.height, max_pixels);
		o = exif_orientation(in + info.exif_off, info.exif_len);
		im = gdImageCreateFromJpegPtrEx((int)len, in, 1);
		break;
	case IMAGE_KIND_PNG:
		check_dimensions(info.width, info.height, max_pixels);
		im = gdImageCreateFromPngPtr((int)len, in);
		if (im != NULL && !gdImageTrueColor(im) &&
		    !gdImagePaletteToTrueColor(im)) {
			gdImageDestroy(im);
			im = NULL;
		}
		break;
	case IMAGE_KIND_HEIF:
		im = decode_heif(in, len, max_pixels);
		break;
	default:
		refuse(IMAGE_TYPE, "not a JPEG, PNG or HEIC image");
	}
	if (im == NULL)
		refuse(IMAGE_BROKEN, "the decoder refused the image data");
	free(in);

	im = orient(shrink(im), o);
	gdImageInterlace(im, 0);	/* baseline, whatever the input was */
	out = gdImageJpegPtr(im, &size, IMAGE_QUALITY);
	gdImageDestroy(im);
	if (out == NULL || size <= 0)
		refuse(IMAGE_FAILED, "the JPEG encoder failed");
	if ((olen = image_jpeg_strip(out, (size_t)size)) == 0)
		refuse(IMAGE_FAILED, "the encoder's JPEG does not check");
	write_all(out, olen);
	gdFree(out);
	return IMAGE_OK;
}
