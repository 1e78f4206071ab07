/*
 * fuzz_phc.c — crypto_password_verify on arbitrary PHC strings (a stored hash is
 * data: a corrupted or planted one must not crash a worker or make it spend
 * unbounded memory or time).
 *
 * The configured cost is the smallest (8 KiB, t=1, p=1, fuzz.h). crypto.c still
 * accepts costs up to its floors (256 MiB, t=10, p=8), so to keep each run cheap
 * the password is "password" only when the string names a small cost, and empty
 * otherwise: an empty password goes through the whole parser but never hashes.
 *
 * Invariants: the result is -1, 0 or 1; a cost beyond the limits is refused
 * whatever follows; 1 only for a hash of "password"; *rehash is 0 or 1 and 0
 * exactly when the hash has the configured cost and a 32-byte tag.
 */
#include "autoconf.h"

#include "fuzz.h"

#define PREFIX	"$argon2id$v=19$m="

/* Read "$argon2id$v=19$m=M,t=T,p=P$" loosely (any digits); 0 or -1. */
static int
cost(const char *s, unsigned long long *m, unsigned long long *t,
    unsigned long long *p)
{
	char	*end;

	if (strncmp(s, PREFIX, strlen(PREFIX)) != 0)
		return -1;
	s += strlen(PREFIX);
	if (*s < '0' || *s > '9')
		return -1;
	*m = strtoull(s, &end, 10);
	if (strncmp(end, ",t=", 3) != 0 || end[3] < '0' || end[3] > '9')
		return -1;
	*t = strtoull(end + 3, &end, 10);
	if (strncmp(end, ",p=", 3) != 0 || end[3] < '0' || end[3] > '9')
		return -1;
	*p = strtoull(end + 3, &end, 10);
	return *end == '$' ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *known =
	    "$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$"
	    "8Tf44YakA6Z5zNBgblq13Nr+Q8FkCFWsjG4z6b1j7rM";
	unsigned long long m = 0, t = 0, p = 0;
	char		*phc;
	const char	*pw = "";
	int		 rc, rehash = -7, small, parsed;
	static int	 checked;

	fuzz_setup();
	if (!checked) {
		/* The harness itself: a hash of "password" must verify. */
		checked = 1;
		FUZZ_ASSERT(crypto_password_verify("password", known, &rehash) == 1);
		FUZZ_ASSERT(rehash == 0);
	}
	phc = fuzz_str(data, size);
	parsed = cost(phc, &m, &t, &p) == 0;
	small = parsed && m <= 1024 && t <= 2 && p <= 4;
	if (small)
		pw = "password";

	rc = crypto_password_verify(pw, phc, &rehash);
	FUZZ_ASSERT(rc == -1 || rc == 0 || rc == 1);
	FUZZ_ASSERT(rehash == 0 || rehash == 1);
	if (rc == -1)
		FUZZ_ASSERT(rehash == 0);
	/* Beyond the floors no configuration lowers: never computed. */
	if (parsed && (m > 262144 || t > 10 || p > 8 || p == 0 || t == 0 ||
	    m < 8 * p))
		FUZZ_ASSERT(rc == -1);
	if (rc >= 0) {
		FUZZ_ASSERT(parsed);
		/* rehash is 0 only for our cost and a 32-byte tag (43 chars). */
		if (m == 8 && t == 1 && p == 1 && strlen(strrchr(phc, '$') + 1) == 43)
			FUZZ_ASSERT(rehash == 0);
		else
			FUZZ_ASSERT(rehash == 1);
	}
	if (!small)
		FUZZ_ASSERT(rc != 1);
	/* NULLs are refused, not dereferenced. */
	FUZZ_ASSERT(crypto_password_verify(NULL, phc, NULL) == -1);
	free(phc);
	return 0;
}
