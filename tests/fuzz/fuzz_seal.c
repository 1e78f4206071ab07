/*
 * fuzz_seal.c — crypto_open on arbitrary bytes (a sealed box comes back from the
 * client: CAPTCHA challenges, signed state) and the seal/open round trip.
 *
 * Invariants: a box opens only with its length minus 28 and within the output
 * capacity; a box made by crypto_seal opens to the same bytes; changing any one
 * byte of it, or cutting it short, makes it fail, and a failed open leaves no
 * plaintext behind in the output buffer.
 */
#include "autoconf.h"

#include "fuzz.h"

#define OVERHEAD	28	/* nonce 12 + tag 16 */

static const unsigned char key[32] = "fuzz-key-0123456789abcdefghijklm";

/* 1 when all n bytes at p are zero. */
static int
zeroed(const unsigned char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	*out, *box;
	size_t		 cap, at;
	long		 n, b;

	fuzz_setup();
	/* Arbitrary bytes as a box: the output is sized exactly. */
	cap = size > OVERHEAD ? size - OVERHEAD : 0;
	out = xmalloc(cap + 1);
	n = crypto_open(key, data, size, out, cap);
	FUZZ_ASSERT(n == -1 || (size_t)n == cap);
	if (n == -1 && size >= OVERHEAD)
		FUZZ_ASSERT(zeroed(out, cap));
	if (cap > 0)
		FUZZ_ASSERT(crypto_open(key, data, size, out, cap - 1) == -1);
	free(out);

	/* The input as a message: seal, open, then damage the box. */
	box = xmalloc(size + OVERHEAD);
	out = xmalloc(size + 1);
	FUZZ_ASSERT(crypto_seal(key, data, size, box, size + OVERHEAD - 1) == -1);
	b = crypto_seal(key, data, size, box, size + OVERHEAD);
	FUZZ_ASSERT(b == (long)(size + OVERHEAD));
	n = crypto_open(key, box, (size_t)b, out, size);
	FUZZ_ASSERT(n == (long)size);
	if (size > 0)
		FUZZ_ASSERT(memcmp(out, data, size) == 0);
	at = size > 0 ? data[0] % (size_t)b : 0;
	box[at] ^= (unsigned char)(1u << (size > 1 ? data[1] % 8 : 0));
	memset(out, 0xaa, size + 1);
	FUZZ_ASSERT(crypto_open(key, box, (size_t)b, out, size) == -1);
	FUZZ_ASSERT(zeroed(out, size));
	box[at] ^= (unsigned char)(1u << (size > 1 ? data[1] % 8 : 0));
	FUZZ_ASSERT(crypto_open(key, box, (size_t)b - 1, out, size) == -1);
	free(box);
	free(out);
	return 0;
}
