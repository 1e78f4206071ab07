/*
 * fuzz_b64url.c — crypto_b64url_decode, which reads CAPTCHA challenges and other
 * tokens from URLs and forms.
 *
 * Invariants: decoding is strict, so whatever decodes encodes back to exactly the
 * same text (one spelling per byte string); the output capacity is honoured to
 * the byte; and any bytes survive an encode/decode round trip.
 */
#include "autoconf.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s, *enc;
	unsigned char	*out;
	size_t		 len, cap;
	long		 n, n2;

	s = fuzz_str(data, size);
	len = strlen(s);
	cap = len;
	out = xmalloc(cap + 1);
	enc = xmalloc(4 * (cap / 3 + 1) + 1);

	n = crypto_b64url_decode(s, out, cap);
	FUZZ_ASSERT(n >= -1 && n <= (long)cap);
	if (n >= 0) {
		FUZZ_ASSERT((size_t)n == len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0));
		FUZZ_ASSERT(crypto_b64url_encode(out, (size_t)n, enc) == len);
		FUZZ_ASSERT(strcmp(enc, s) == 0);
		/* Exactly n bytes of room is enough, one fewer is not. */
		FUZZ_ASSERT(crypto_b64url_decode(s, out, (size_t)n) == n);
		if (n > 0)
			FUZZ_ASSERT(crypto_b64url_decode(s, out, (size_t)n - 1) == -1);
	}
	free(enc);
	free(out);

	/* Any bytes: encode, then decode gives them back. */
	enc = xmalloc(4 * (size / 3 + 1) + 1);
	out = xmalloc(size + 1);
	len = crypto_b64url_encode(data, size, enc);
	FUZZ_ASSERT(len == strlen(enc));
	FUZZ_ASSERT(strspn(enc, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == len);
	n2 = crypto_b64url_decode(enc, out, size);
	FUZZ_ASSERT(n2 == (long)size);
	if (size > 0)
		FUZZ_ASSERT(memcmp(out, data, size) == 0);
	FUZZ_ASSERT(crypto_b64url_decode(NULL, out, size) == -1);
	free(enc);
	free(out);
	free(s);
	return 0;
}
