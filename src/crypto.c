/*
 * crypto.c — randomness, hashes, MACs, AES-256-GCM boxes and Argon2id passwords,
 * all through libgcrypt.
 *
 * Password hashes are PHC strings that the reference argon2 tool produces and
 * accepts ($argon2id$v=19$m=…,t=…,p=…$salt$tag, standard base64 without padding).
 * libgcrypt has no PHC encoder, so this file builds and parses the string itself;
 * the parser is strict because a stored hash decides how much memory and time a
 * login spends.
 */
#include "autoconf.h"
#include "crypto.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>
#include <pthread.h>
#include <sys/random.h>

#include "config.h"
#include "log.h"
#include "util.h"

#define GCM_NONCE	12
#define GCM_TAG		16

#define PHC_PREFIX	"$argon2id$v=19$"
#define SALT_BYTES	16	/* salt of the hashes we make */
#define TAG_BYTES	32	/* tag length of the hashes we make */
#define SALT_MIN	8	/* the reference tool's minimum */
#define SALT_MAX	64
#define TAG_MIN		16
#define TAG_MAX		64

/*
 * Cost limits for hashes we verify or make. A stored hash names its own cost, so a
 * forged or corrupted one could make every login allocate gigabytes or spin for
 * minutes. Each limit is the configured value or the floor below, whichever is
 * higher, but never above the hard ceiling. The memory ceiling also keeps libgcrypt
 * clear of its 32-bit size computation (1024 * blocks wraps at 4 GiB).
 */
#define M_FLOOR		262144	/* KiB: 256 MiB */
#define M_CEIL		1048576	/* KiB: 1 GiB */
#define T_FLOOR		10
#define T_CEIL		100
#define P_FLOOR		8
#define P_CEIL		16

struct phc {
	unsigned	 m, t, p;
	unsigned char	 salt[SALT_MAX];
	size_t		 saltlen;
	unsigned char	 tag[TAG_MAX];
	size_t		 taglen;
};

static const char b64_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Initialise libgcrypt (idempotent). Call before forking so children share it. */
int
crypto_init(void)
{
	static int	 done;
	gcry_error_t	 err;

	if (done)
		return 0;
	if (gcry_check_version("1.10.0") == NULL) {
		log_err("crypto: libgcrypt %s is older than 1.10.0",
		    gcry_check_version(NULL));
		return -1;
	}
	/* No secure memory: it would need mlock limits and privileges, and the
	 * secrets it protects also pass through ordinary request buffers. */
	if ((err = gcry_control(GCRYCTL_DISABLE_SECMEM, 0)) != 0) {
		log_err("crypto: disable secmem: %s", gcry_strerror(err));
		return -1;
	}
	if ((err = gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0)) != 0) {
		log_err("crypto: initialization: %s", gcry_strerror(err));
		return -1;
	}
	done = 1;
	return 0;
}

/*
 * Randomness: the kernel's generator (getrandom(2)), read RANDOM_BUF bytes at a
 * time into a per-process buffer, so that a page's dozen small draws (request
 * id, CSRF binding, CAPTCHA id and characters, seal nonce) cost one system call
 * instead of one entropy poll each. Bytes handed out are wiped from the buffer;
 * a forked child starts with an empty one (pthread_atfork), so no two processes
 * ever share a byte.
 */
#define RANDOM_BUF	512

static unsigned char	 rbuf[RANDOM_BUF];
static size_t		 rleft;		/* unread bytes at the end of rbuf */
static int		 forget_at_fork;

static void
random_forget(void)
{
	util_wipe(rbuf, sizeof(rbuf));
	rleft = 0;
}

/* Fill p with n bytes straight from the kernel. */
static void
random_kernel(unsigned char *p, size_t n)
{
	ssize_t	 got;

	while (n > 0) {
		if ((got = getrandom(p, n, 0)) < 0) {
			if (errno == EINTR)
				continue;
			/* Without randomness nothing here is safe: stop. */
			log_err("crypto: getrandom: %s", strerror(errno));
			abort();
		}
		p += got;
		n -= (size_t)got;
	}
}

void
crypto_random(void *buf, size_t n)
{
	unsigned char	*at;

	if (n > RANDOM_BUF / 4) {
		random_kernel(buf, n);
		return;
	}
	if (n > rleft) {
		if (!forget_at_fork) {
			if (pthread_atfork(NULL, NULL, random_forget) != 0) {
				random_kernel(buf, n);	/* no buffer then */
				return;
			}
			forget_at_fork = 1;
		}
		random_kernel(rbuf, sizeof(rbuf));
		rleft = sizeof(rbuf);
	}
	at = rbuf + sizeof(rbuf) - rleft;
	memcpy(buf, at, n);
	util_wipe(at, n);
	rleft -= n;
}

/* Uniform in [0, bound) by rejection sampling; 0 when bound < 2. */
unsigned
crypto_random_uniform(unsigned bound)
{
	uint32_t	 r, min;

	if (bound < 2)
		return 0;
	/* 2^32 mod bound: values below it would bias the low residues. */
	min = (uint32_t)-bound % bound;
	do
		crypto_random(&r, sizeof(r));
	while (r < min);
	return r % bound;
}

/* CRYPTO_TOKEN_BYTES random bytes as base64url (43 characters). */
void
crypto_token(char out[CRYPTO_TOKEN_LEN + 1])
{
	unsigned char	 raw[CRYPTO_TOKEN_BYTES];

	crypto_random(raw, sizeof(raw));
	crypto_b64url_encode(raw, sizeof(raw), out);
	util_wipe(raw, sizeof(raw));
}

/* Six decimal digits, 000000–999999, each value equally likely. */
void
crypto_code6(char out[7])
{
	snprintf(out, 7, "%06u", crypto_random_uniform(1000000));
}

void
crypto_sha256(const void *data, size_t len, unsigned char out[32])
{
	gcry_md_hash_buffer(GCRY_MD_SHA256, out, data, len);
}

/* SHA-256 of the string's bytes, lowercase hex. */
void
crypto_sha256_hex(const char *s, char out[65])
{
	unsigned char	 h[32];

	crypto_sha256(s, strlen(s), h);
	util_hex(h, sizeof(h), out);
}

/* HMAC-SHA256 of msg under key into out. 0, or -1 (logged). */
int
crypto_hmac(const void *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[32])
{
	/* The last key's handle is kept: a page computes several MACs, nearly
	 * all with Security.Secret, and opening and keying a handle costs more
	 * than the MAC of a short message. */
	static gcry_mac_hd_t h;
	static unsigned char last[128];
	static size_t	 lastlen;
	gcry_error_t	 err;
	size_t		 outlen = 32;

	if (h != NULL && keylen == lastlen && memcmp(key, last, keylen) == 0)
		err = gcry_mac_reset(h);
	else {
		if (h != NULL)
			gcry_mac_close(h);
		h = NULL;
		util_wipe(last, sizeof(last));
		lastlen = 0;
		if ((err = gcry_mac_open(&h, GCRY_MAC_HMAC_SHA256, 0, NULL)) != 0) {
			log_err("crypto: hmac open: %s", gcry_strerror(err));
			h = NULL;
			return -1;
		}
		err = gcry_mac_setkey(h, key, keylen);
		if (err == 0 && keylen <= sizeof(last)) {
			memcpy(last, key, keylen);
			lastlen = keylen;
		}
	}
	if (err != 0 || (err = gcry_mac_write(h, msg, len)) != 0 ||
	    (err = gcry_mac_read(h, out, &outlen)) != 0) {
		log_err("crypto: hmac: %s", gcry_strerror(err));
		gcry_mac_close(h);
		h = NULL;
		util_wipe(last, sizeof(last));
		lastlen = 0;
		return -1;
	}
	if (lastlen == 0) {	/* a key too long to remember */
		gcry_mac_close(h);
		h = NULL;
	}
	return outlen == 32 ? 0 : -1;
}

/* 1 if the n bytes at a and b are equal; time depends on n only. */
int
crypto_equal(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *pa = a, *pb = b;
	volatile unsigned char	 d = 0;
	size_t			 i;

	for (i = 0; i < n; i++)
		d |= pa[i] ^ pb[i];
	return d == 0;
}

/* 1 if both strings are equal; time depends on their lengths only. NULL: 0. */
int
crypto_streq(const char *a, const char *b)
{
	size_t	 la, lb;

	if (a == NULL || b == NULL)
		return 0;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return 0;
	return crypto_equal(a, b, la);
}

/* Encode n bytes with the given alphabet, no padding; returns the length. */
static size_t
b64_encode(const char *alpha, const void *in, size_t n, char *out)
{
	const unsigned char	*p = in;
	size_t			 i, o = 0;
	uint32_t		 v;

	for (i = 0; i + 3 <= n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = alpha[v >> 6 & 63];
		out[o++] = alpha[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)p[i] << 16;
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
	} else if (n - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = alpha[v >> 6 & 63];
	}
	out[o] = '\0';
	return o;
}

/* Value of one base64 character in the alphabet (url or standard), or -1. */
static int
b64_value(int c, int url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

/*
 * Decode inlen characters of unpadded base64. Strict: no padding, no whitespace,
 * no character outside the alphabet, no impossible length, and the unused low bits
 * of the last character must be zero (one string per byte sequence). Returns the
 * decoded length or -1.
 */
static long
b64_decode(const char *in, size_t inlen, int url, void *out, size_t outcap)
{
	unsigned char	*o = out;
	size_t		 i, need, n = 0;
	uint32_t	 acc = 0;
	int		 bits = 0, v;

	if (inlen % 4 == 1 || inlen / 4 > (size_t)LONG_MAX / 3)
		return -1;
	need = inlen / 4 * 3 + (inlen % 4 != 0 ? inlen % 4 - 1 : 0);
	if (need > outcap)
		return -1;
	for (i = 0; i < inlen; i++) {
		if ((v = b64_value((unsigned char)in[i], url)) < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			o[n++] = (unsigned char)(acc >> bits);
			acc &= (1U << bits) - 1;
		}
	}
	if (acc != 0)
		return -1;
	return (long)n;
}

size_t
crypto_b64url_encode(const void *in, size_t n, char *out)
{
	return b64_encode(b64_url, in, n, out);
}

long
crypto_b64url_decode(const char *in, void *out, size_t outcap)
{
	if (in == NULL)
		return -1;
	return b64_decode(in, strlen(in), 1, out, outcap);
}

/* Open an AES-256-GCM handle keyed with key and the given nonce. 0 or -1. */
static int
gcm_open(gcry_cipher_hd_t *h, const unsigned char key[32],
    const unsigned char *nonce)
{
	/* As crypto_hmac: the last key's handle is kept (the CAPTCHA key). */
	static gcry_cipher_hd_t kept;
	static unsigned char last[32];
	gcry_error_t	 err;

	*h = NULL;
	if (kept != NULL && memcmp(key, last, 32) == 0)
		err = gcry_cipher_reset(kept);
	else {
		if (kept != NULL)
			gcry_cipher_close(kept);
		kept = NULL;
		util_wipe(last, sizeof(last));
		if ((err = gcry_cipher_open(&kept, GCRY_CIPHER_AES256,
		    GCRY_CIPHER_MODE_GCM, 0)) != 0) {
			log_err("crypto: cipher open: %s", gcry_strerror(err));
			kept = NULL;
			return -1;
		}
		if ((err = gcry_cipher_setkey(kept, key, 32)) == 0)
			memcpy(last, key, 32);
	}
	if (err != 0 || (err = gcry_cipher_setiv(kept, nonce, GCM_NONCE)) != 0) {
		log_err("crypto: cipher setup: %s", gcry_strerror(err));
		gcry_cipher_close(kept);
		kept = NULL;
		util_wipe(last, sizeof(last));
		return -1;
	}
	*h = kept;
	return 0;
}

/*
 * Seal n bytes: out = nonce | ciphertext | tag. The nonce is random for every box
 * (2^-32 collision risk only after ~2^32 boxes under one key). in and out must not
 * overlap. Returns n + 28, or -1 when out is too small or libgcrypt fails.
 */
long
crypto_seal(const unsigned char key[32], const void *in, size_t n,
    unsigned char *out, size_t outcap)
{
	gcry_cipher_hd_t h = NULL;
	gcry_error_t	 err;
	long		 rc = -1;

	if (n > (size_t)LONG_MAX - GCM_NONCE - GCM_TAG ||
	    outcap < n + GCM_NONCE + GCM_TAG)
		return -1;
	crypto_random(out, GCM_NONCE);
	if (gcm_open(&h, key, out) != 0)
		return -1;
	if ((err = gcry_cipher_encrypt(h, out + GCM_NONCE, n, in, n)) != 0 ||
	    (err = gcry_cipher_gettag(h, out + GCM_NONCE + n, GCM_TAG)) != 0) {
		log_err("crypto: seal: %s", gcry_strerror(err));
		util_wipe(out, outcap);
		goto out;
	}
	rc = (long)(n + GCM_NONCE + GCM_TAG);
 out:
	return rc;	/* h stays open for the next box (gcm_open) */
}

/*
 * Open a box made by crypto_seal. Returns the plaintext length, or -1 when the box
 * is too short, out is too small, or the tag does not verify (out is wiped then:
 * unauthenticated plaintext never escapes).
 */
long
crypto_open(const unsigned char key[32], const unsigned char *in, size_t n,
    void *out, size_t outcap)
{
	gcry_cipher_hd_t h = NULL;
	gcry_error_t	 err;
	size_t		 len;
	long		 rc = -1;

	if (n < GCM_NONCE + GCM_TAG)
		return -1;
	len = n - GCM_NONCE - GCM_TAG;
	if (len > outcap)
		return -1;
	if (gcm_open(&h, key, in) != 0)
		return -1;
	if ((err = gcry_cipher_decrypt(h, out, len, in + GCM_NONCE, len)) != 0) {
		log_err("crypto: open: %s", gcry_strerror(err));
		util_wipe(out, len);
		goto out;
	}
	/* checktag compares in constant time; a mismatch is a forgery, not an error. */
	if (gcry_cipher_checktag(h, in + GCM_NONCE + len, GCM_TAG) != 0) {
		util_wipe(out, len);
		goto out;
	}
	rc = (long)len;
 out:
	return rc;	/* h stays open for the next box (gcm_open) */
}

static crypto_kdf_fn	 kdf_offload;

void
crypto_argon2id_offload(crypto_kdf_fn fn)
{
	kdf_offload = fn;
}

/* Argon2id (version 0x13) of pw into tag, here or in the pool. 0, -1 or CRYPTO_BUSY. */
static int
argon2id(const char *pw, size_t pwlen, const unsigned char *salt, size_t saltlen,
    unsigned m, unsigned t, unsigned p, unsigned char *tag, size_t taglen)
{
	if (pwlen > CRYPTO_PASSWORD_MAX)
		pwlen = CRYPTO_PASSWORD_MAX;
	if (kdf_offload != NULL)
		return kdf_offload(pw, pwlen, salt, saltlen, m, t, p, tag, taglen);
	return crypto_argon2id(pw, pwlen, salt, saltlen, m, t, p, tag, taglen);
}

int
crypto_argon2id(const char *pw, size_t pwlen, const unsigned char *salt,
    size_t saltlen, unsigned m, unsigned t, unsigned p, unsigned char *tag,
    size_t taglen)
{
	gcry_kdf_hd_t	 h = NULL;
	gcry_error_t	 err;
	/* libgcrypt's order: tag length, time, memory (KiB), lanes. */
	unsigned long	 param[4] = { taglen, t, m, p };

	if ((err = gcry_kdf_open(&h, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID, param, 4,
	    pw, pwlen, salt, saltlen, NULL, 0, NULL, 0)) != 0) {
		log_err("crypto: argon2 open: %s", gcry_strerror(err));
		return -1;
	}
	if ((err = gcry_kdf_compute(h, NULL)) != 0 ||
	    (err = gcry_kdf_final(h, taglen, tag)) != 0) {
		log_err("crypto: argon2: %s", gcry_strerror(err));
		gcry_kdf_close(h);
		return -1;
	}
	gcry_kdf_close(h);
	return 0;
}

/* max(configured, floor) capped at ceil. */
static unsigned
cost_limit(const char *key, unsigned floor, unsigned ceil)
{
	long long	 v = config_int(key);

	if (v < (long long)floor)
		v = floor;
	if (v > (long long)ceil)
		v = ceil;
	return (unsigned)v;
}

/* 1 if m/t/p are a cost we are willing to compute (see M_FLOOR above). */
static int
cost_ok(unsigned m, unsigned t, unsigned p)
{
	if (p < 1 || p > cost_limit("Security.Argon2.Lanes", P_FLOOR, P_CEIL))
		return 0;
	if (t < 1 || t > cost_limit("Security.Argon2.Time", T_FLOOR, T_CEIL))
		return 0;
	/* Argon2 needs 8 blocks per lane (the reference tool refuses fewer). */
	if (m < 8 * p ||
	    m > cost_limit("Security.Argon2.MemoryKiB", M_FLOOR, M_CEIL))
		return 0;
	return 1;
}

/*
 * Parse a PHC decimal parameter at *s: digits only, no sign, no leading zero,
 * at most 10 digits, fits in unsigned. Advances *s. 0 or -1.
 */
static int
phc_number(const char **s, unsigned *out)
{
	const char	*p = *s;
	unsigned long long v = 0;
	int		 n = 0;

	if (*p == '0' && p[1] >= '0' && p[1] <= '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (++n > 10)
			return -1;
		v = v * 10 + (unsigned)(*p++ - '0');
	}
	if (n == 0 || v > UINT_MAX)
		return -1;
	*out = (unsigned)v;
	*s = p;
	return 0;
}

/* Expect the literal lit at *s and advance past it. 0 or -1. */
static int
phc_expect(const char **s, const char *lit)
{
	size_t	 n = strlen(lit);

	if (strncmp(*s, lit, n) != 0)
		return -1;
	*s += n;
	return 0;
}

/*
 * Parse "$argon2id$v=19$m=M,t=T,p=P$SALT$TAG" exactly: that parameter order, no
 * optional fields (keyid, data), canonical base64, sizes and cost within limits.
 * 0 or -1.
 */
static int
phc_parse(const char *phc, struct phc *out)
{
	const char	*s = phc, *end;
	long		 n;

	if (phc_expect(&s, PHC_PREFIX "m=") != 0 || phc_number(&s, &out->m) != 0 ||
	    phc_expect(&s, ",t=") != 0 || phc_number(&s, &out->t) != 0 ||
	    phc_expect(&s, ",p=") != 0 || phc_number(&s, &out->p) != 0 ||
	    phc_expect(&s, "$") != 0)
		return -1;
	if (!cost_ok(out->m, out->t, out->p))
		return -1;
	if ((end = strchr(s, '$')) == NULL)
		return -1;
	n = b64_decode(s, (size_t)(end - s), 0, out->salt, sizeof(out->salt));
	if (n < SALT_MIN)
		return -1;
	out->saltlen = (size_t)n;
	s = end + 1;
	end = s + strlen(s);
	n = b64_decode(s, (size_t)(end - s), 0, out->tag, sizeof(out->tag));
	if (n < TAG_MIN)
		return -1;
	out->taglen = (size_t)n;
	return 0;
}

/* Hash with the configured cost. A malloc'd PHC string, or NULL (logged). */
char *
crypto_password_hash(const char *password)
{
	return crypto_password_hash_cost(password,
	    (unsigned)config_int("Security.Argon2.MemoryKiB"),
	    (unsigned)config_int("Security.Argon2.Time"),
	    (unsigned)config_int("Security.Argon2.Lanes"));
}

/*
 * Hash with an explicit cost and a fresh 16-byte salt. Refuses an empty password
 * (libgcrypt cannot hash one) and a cost crypto_password_verify would reject.
 * A malloc'd PHC string, or NULL (logged).
 */
char *
crypto_password_hash_cost(const char *password, unsigned m_kib, unsigned t,
    unsigned p)
{
	unsigned char	 salt[SALT_BYTES], tag[TAG_BYTES];
	char		 salt64[(SALT_BYTES + 2) / 3 * 4 + 1];
	char		 tag64[(TAG_BYTES + 2) / 3 * 4 + 1];
	char		*phc = NULL;
	int		 rc;

	errno = 0;
	if (password == NULL || password[0] == '\0') {
		log_err("crypto: refusing to hash an empty password");
		return NULL;
	}
	if (!cost_ok(m_kib, t, p)) {
		log_err("crypto: argon2 cost m=%u t=%u p=%u out of range",
		    m_kib, t, p);
		return NULL;
	}
	if (strlen(password) > CRYPTO_PASSWORD_MAX) {
		log_err("crypto: refusing to hash a password over %d bytes",
		    CRYPTO_PASSWORD_MAX);
		return NULL;
	}
	crypto_random(salt, sizeof(salt));
	if ((rc = argon2id(password, strlen(password), salt, sizeof(salt), m_kib,
	    t, p, tag, sizeof(tag))) != 0) {
		if (rc == CRYPTO_BUSY)
			errno = EAGAIN;
		goto out;
	}
	b64_encode(b64_std, salt, sizeof(salt), salt64);
	b64_encode(b64_std, tag, sizeof(tag), tag64);
	phc = xasprintf(PHC_PREFIX "m=%u,t=%u,p=%u$%s$%s", m_kib, t, p, salt64,
	    tag64);
 out:
	util_wipe(tag, sizeof(tag));
	util_wipe(tag64, sizeof(tag64));
	return phc;
}

/*
 * Check password against a PHC string. 1 match, 0 no match, -1 malformed or
 * unacceptable hash, or a libgcrypt failure. *rehash (if not NULL) becomes 1 when the
 * hash's cost or tag length differs from what crypto_password_hash makes now.
 * An empty password never matches (our hashes cannot hold one) and spends no time,
 * as crypto_password_dummy does for it.
 */
int
crypto_password_verify(const char *password, const char *phc, int *rehash)
{
	struct phc	 h;
	unsigned char	 tag[TAG_MAX];
	int		 rc = -1;

	if (rehash != NULL)
		*rehash = 0;
	if (password == NULL || phc == NULL || phc_parse(phc, &h) != 0)
		return -1;
	if (rehash != NULL)
		*rehash = h.m != (unsigned)config_int("Security.Argon2.MemoryKiB") ||
		    h.t != (unsigned)config_int("Security.Argon2.Time") ||
		    h.p != (unsigned)config_int("Security.Argon2.Lanes") ||
		    h.taglen != TAG_BYTES;
	if (password[0] == '\0') {
		rc = 0;
		goto out;
	}
	if (argon2id(password, strlen(password), h.salt, h.saltlen, h.m, h.t,
	    h.p, tag, h.taglen) != 0) {
		/* Not computed (the pool is full, or it failed): not checked. */
		rc = CRYPTO_BUSY;
		goto out;
	}
	/* A longer password was checked by its first bytes: it cannot be ours. */
	rc = crypto_equal(tag, h.tag, h.taglen) &&
	    strlen(password) <= CRYPTO_PASSWORD_MAX;
 out:
	util_wipe(tag, sizeof(tag));
	util_wipe(&h, sizeof(h));
	return rc;
}

/*
 * Spend the time of a verification at the configured cost (for unknown accounts,
 * so a failed login takes as long whether or not the address exists).
 */
int
crypto_password_dummy(const char *password)
{
	static const unsigned char salt[SALT_BYTES] = "kenpo-dummy-salt";
	unsigned char	 tag[TAG_BYTES];
	unsigned	 m, t, p;
	int		 rc;

	if (password == NULL || password[0] == '\0')
		return 0;
	m = (unsigned)config_int("Security.Argon2.MemoryKiB");
	t = (unsigned)config_int("Security.Argon2.Time");
	p = (unsigned)config_int("Security.Argon2.Lanes");
	if (!cost_ok(m, t, p))
		return -1;
	rc = argon2id(password, strlen(password), salt, sizeof(salt), m, t, p,
	    tag, sizeof(tag));
	util_wipe(tag, sizeof(tag));
	return rc == 0 ? 0 : CRYPTO_BUSY;
}
