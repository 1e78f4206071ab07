/*
 * image.h — the eKYC image pipeline (issue 12 item 2): an upload in, a clean
 * JPEG out, the decoding done by the bounded helper program kenpo-image.
 *
 * A page worker never decodes pixels (a 12-megapixel photo is ~48 MB as
 * pixels, and image decoders are where parsers of hostile bytes go wrong):
 * image_normalise hands the bytes to a fresh kenpo-image process (its own
 * rlimits on memory, CPU time, files), reads the JPEG back and maps its exit
 * code. See src/kenpo-image.c for what the helper checks and in which order.
 */
#ifndef KENPO_IMAGE_H
#define KENPO_IMAGE_H

#include <stddef.h>

/*
 * Outcomes; also kenpo-image's exit codes (IMAGE_OK = 0, and so on), so that
 * the number means the same on both sides of the pipe.
 *   IMAGE_EMPTY       no bytes at all
 *   IMAGE_TOO_LARGE   more than Verify.MaxImageBytes
 *   IMAGE_TYPE        not a JPEG, PNG or HEIC/HEIF by its content
 *   IMAGE_BROKEN      truncated, bytes after the image's end (a polyglot), or
 *                     a structure or data the decoder refuses
 *   IMAGE_DIMENSIONS  more than Verify.MaxPixels pixels or a side over
 *                     IMAGE_MAX_INPUT_SIDE, or under IMAGE_MIN_LONG ×
 *                     IMAGE_MIN_SHORT (too small to read a document)
 *   IMAGE_FAILED      the helper could not run, was killed (memory, CPU,
 *                     wall-clock timeout) or produced nothing usable
 */
enum image_result {
	IMAGE_OK = 0,
	IMAGE_EMPTY,
	IMAGE_TOO_LARGE,
	IMAGE_TYPE,
	IMAGE_BROKEN,
	IMAGE_DIMENSIONS,
	IMAGE_FAILED,
};

/* The limits the helper applies beside the configured ones. */
#define IMAGE_MIN_LONG		320	/* the longer side at least */
#define IMAGE_MIN_SHORT		240	/* the shorter side at least */
#define IMAGE_MAX_INPUT_SIDE	16384	/* either side of the upload at most */
#define IMAGE_MAX_SIDE		2400	/* the output's longer side at most */
#define IMAGE_QUALITY		85	/* JPEG quality of the output */
#define IMAGE_MAX_OUTPUT	(16u * 1024 * 1024)	/* bytes read back at most */

/*
 * Normalise one upload: run kenpo-image (Verify.ImageHelper) on in[0..len),
 * at most Verify.ImageTimeout seconds of wall-clock time, and on IMAGE_OK set
 * *jpeg (malloc'd; the caller frees), *jpeg_len and the output's *width and
 * *height (orientation applied, longer side at most IMAGE_MAX_SIDE). The JPEG
 * carries no metadata (no EXIF, XMP, ICC profile, comment). Any other result
 * leaves *jpeg NULL; a failure is logged (one line, never an image byte).
 */
enum image_result image_normalise(const unsigned char *in, size_t len,
	    unsigned char **jpeg, size_t *jpeg_len, unsigned *width,
	    unsigned *height);

/*
 * The key under L.Verify.Upload of the member's message for r: "Empty",
 * "TooLarge", "Type", "Broken", "Dimensions", "Failed" ("OK" for IMAGE_OK).
 */
const char	*image_result_key(enum image_result r);

#endif
