/*
 * crypto.h — everything secret goes through libgcrypt: randomness, hashes, MACs,
 * authenticated encryption, password hashing. Nothing else in kenpo touches random
 * numbers or compares secrets.
 */
#ifndef KENPO_CRYPTO_H
#define KENPO_CRYPTO_H

#include <stddef.h>

#define CRYPTO_TOKEN_BYTES	32
#define CRYPTO_TOKEN_LEN	43	/* base64url of 32 bytes, no padding */

/* Initialise libgcrypt once, in the master before forking. 0 or -1 (logged). */
int	 crypto_init(void);

/* n bytes of strong randomness. */
void	 crypto_random(void *buf, size_t n);
/* A uniformly random integer in [0, bound). */
unsigned crypto_random_uniform(unsigned bound);
/* A fresh random token: CRYPTO_TOKEN_BYTES random bytes, base64url, in out[44]. */
void	 crypto_token(char out[CRYPTO_TOKEN_LEN + 1]);
/* A 6-digit decimal code, uniformly random, in out[7]. */
void	 crypto_code6(char out[7]);

void	 crypto_sha256(const void *data, size_t len, unsigned char out[32]);
/* SHA-256 as 64 lowercase hex characters + NUL (how tokens are stored). */
void	 crypto_sha256_hex(const char *s, char out[65]);
/* HMAC-SHA256. 0 or -1. */
int	 crypto_hmac(const void *key, size_t keylen, const void *msg, size_t len,
	    unsigned char out[32]);
/* Constant-time comparison: 1 equal, 0 different. */
int	 crypto_equal(const void *a, const void *b, size_t n);
/* Constant-time comparison of two NUL-terminated strings (length may leak). */
int	 crypto_streq(const char *a, const char *b);

/* base64url without padding. encode: out needs 4*ceil(n/3)+1; returns length.
 * decode: returns decoded length or -1 on bad input / overflow of outcap. */
size_t	 crypto_b64url_encode(const void *in, size_t n, char *out);
long	 crypto_b64url_decode(const char *in, void *out, size_t outcap);

/*
 * AES-256-GCM sealed box for small messages (CAPTCHA challenges, signed state):
 * out = nonce(12) | ciphertext | tag(16). key is 32 bytes. Returns output length
 * or -1. open returns plaintext length, or -1 when the box is forged or damaged.
 */
long	 crypto_seal(const unsigned char key[32], const void *in, size_t n,
	    unsigned char *out, size_t outcap);
long	 crypto_open(const unsigned char key[32], const unsigned char *in, size_t n,
	    void *out, size_t outcap);

/*
 * Argon2id password hashing in PHC string form
 * ($argon2id$v=19$m=19456,t=2,p=1$<salt b64>$<hash b64>, standard base64 without
 * padding, as the reference argon2 tool writes). Cost from Security.Argon2.* config,
 * or the explicit values in crypto_password_hash_cost.
 * hash: returns a malloc'd string or NULL (logged; errno EAGAIN when the pool
 * is busy, see below).
 * verify: 1 match, 0 no match, -1 a malformed or unacceptable stored hash,
 * CRYPTO_BUSY not checked now (below).
 * *rehash (may be NULL) is set to 1 when the hash's cost differs from the
 * configured one.
 */
char	*crypto_password_hash(const char *password);
char	*crypto_password_hash_cost(const char *password, unsigned m_kib,
	    unsigned t, unsigned p);
int	 crypto_password_verify(const char *password, const char *phc, int *rehash);
/* Spend the time of one verification without a hash (unknown accounts). 0, or
 * CRYPTO_BUSY, or -1. */
int	 crypto_password_dummy(const char *password);

/*
 * In kenpod's page workers every Argon2 computation goes to the hashing pool
 * (hashpool.h), which may refuse a job when too many wait: then verify and dummy
 * return CRYPTO_BUSY and hash returns NULL with errno EAGAIN. verify and dummy
 * also return CRYPTO_BUSY when the hash could not be computed (a pool process
 * out of memory): the password was not checked. Such a request answers 503
 * (req_busy) and never counts as a failed login.
 */
#define CRYPTO_BUSY	(-2)
/* Longer passwords cannot match (Password.MaxLength is at most 128 characters):
 * they are checked, for the time it takes, by their first CRYPTO_PASSWORD_MAX bytes. */
#define CRYPTO_PASSWORD_MAX	1024

/* Raw Argon2id (version 0x13) here, in this process. 0 or -1 (logged). */
int	 crypto_argon2id(const char *pw, size_t pwlen, const unsigned char *salt,
	    size_t saltlen, unsigned m, unsigned t, unsigned p, unsigned char *tag,
	    size_t taglen);
/* Route every Argon2 computation of this process through fn (same contract as
 * crypto_argon2id, plus CRYPTO_BUSY); NULL computes here again. */
typedef int (*crypto_kdf_fn)(const char *, size_t, const unsigned char *, size_t,
	    unsigned, unsigned, unsigned, unsigned char *, size_t);
void	 crypto_argon2id_offload(crypto_kdf_fn fn);

#endif
