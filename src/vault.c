/*
 * vault.c — envelope encryption at rest (the contract and formats: vault.h).
 *
 * The master keys are decoded from the configuration once per configuration
 * generation (a reload may bring a new one). Data keys live only on the stack
 * of one call and are wiped on the way out, as is every buffer that held
 * plaintext and did not reach the caller.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>

#include "config.h"
#include "crypto.h"
#include "log.h"
#include "util.h"
#include "vault.h"

#define NONCE	12
#define TAG	16
#define DEK	32
#define MAXKEYS	8	/* the current key and up to 7 old ones */

struct mkey {
	char		 id[VAULT_KEY_ID_LEN + 1];
	unsigned char	 key[32];
};

static struct mkey	 keys[MAXKEYS];
static int		 nkeys = -1;	/* -1: not read for this generation */
static int		 have_current;	/* keys[0] is Verify.MasterKey */
static unsigned		 keys_gen;

/* The key id of a 32-byte master key (vault.h). */
static void
key_id(const unsigned char key[32], char id[VAULT_KEY_ID_LEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 buf[13 + 32], md[32];
	int			 i;

	memcpy(buf, "kenpo-master:", 13);
	memcpy(buf + 13, key, 32);
	crypto_sha256(buf, sizeof(buf), md);
	util_wipe(buf, sizeof(buf));
	for (i = 0; i < VAULT_KEY_ID_LEN / 2; i++) {
		id[2 * i] = hex[md[i] >> 4];
		id[2 * i + 1] = hex[md[i] & 15];
	}
	id[VAULT_KEY_ID_LEN] = '\0';
}

/* Decode 64 hex digits (exactly) into key; 0 or -1. */
static int
hex32(const char *s, size_t len, unsigned char key[32])
{
	size_t	 i;
	int	 hi, lo;

	if (len != 64)
		return -1;
	for (i = 0; i < 32; i++) {
		if ((hi = util_hexval((unsigned char)s[2 * i])) < 0 ||
		    (lo = util_hexval((unsigned char)s[2 * i + 1])) < 0)
			return -1;
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* (Re)read the master keys when the configuration changed. */
static void
keys_load(void)
{
	const char	*cur, *old, *p;
	size_t		 len;
	int		 i;

	if (nkeys >= 0 && keys_gen == config_generation())
		return;
	for (i = 0; i < MAXKEYS; i++)
		util_wipe(&keys[i], sizeof(keys[i]));
	nkeys = 0;
	have_current = 0;
	keys_gen = config_generation();
	cur = config_str("Verify.MasterKey");
	if (cur[0] != '\0') {
		/* config.c has checked the form: 64 hex digits. */
		if (hex32(cur, strlen(cur), keys[0].key) != 0) {
			log_err("vault: Verify.MasterKey is not 64 hex digits");
			return;
		}
		key_id(keys[0].key, keys[0].id);
		have_current = 1;
		nkeys = 1;
	}
	for (p = old = config_str("Verify.OldMasterKeys"); *p != '\0'; p += len) {
		p += strspn(p, " \t,");
		len = strcspn(p, " \t,");
		if (len == 0)
			break;
		if (nkeys == MAXKEYS) {
			log_err("vault: Verify.OldMasterKeys: more than %d keys; the rest "
			    "are ignored", MAXKEYS - 1);
			break;
		}
		if (hex32(p, len, keys[nkeys].key) != 0) {
			log_err("vault: Verify.OldMasterKeys: an entry is not 64 hex digits");
			continue;
		}
		key_id(keys[nkeys].key, keys[nkeys].id);
		nkeys++;
	}
}

static const struct mkey *
key_find(const char *id)
{
	int	 i;

	keys_load();
	for (i = 0; i < nkeys; i++)
		if (strcmp(keys[i].id, id) == 0)
			return &keys[i];
	return NULL;
}

int
vault_ready(void)
{
	keys_load();
	return have_current;
}

const char *
vault_current_id(void)
{
	keys_load();
	return have_current ? keys[0].id : "";
}

int
vault_has_key(const char *key_id)
{
	return key_find(key_id) != NULL;
}

/*
 * AES-256-GCM with associated data: out = nonce | ciphertext | tag (encrypt),
 * or the plaintext of such a box (decrypt; the tag is checked, and the output
 * wiped when it does not verify). 0 or -1 (logged without any data).
 */
static int
gcm(int encrypt, const unsigned char key[32], const void *aad, size_t aadlen,
    const unsigned char *in, size_t n, unsigned char *out)
{
	gcry_cipher_hd_t h = NULL;
	gcry_error_t	 err;
	int		 rc = -1;

	if ((err = gcry_cipher_open(&h, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, 0)) != 0 ||
	    (err = gcry_cipher_setkey(h, key, 32)) != 0)
		goto fail;
	if (encrypt) {
		crypto_random(out, NONCE);
		if ((err = gcry_cipher_setiv(h, out, NONCE)) != 0 ||
		    (err = gcry_cipher_authenticate(h, aad, aadlen)) != 0 ||
		    (err = gcry_cipher_encrypt(h, out + NONCE, n, in, n)) != 0 ||
		    (err = gcry_cipher_gettag(h, out + NONCE + n, TAG)) != 0)
			goto fail;
	} else {
		size_t len = n - NONCE - TAG;

		if ((err = gcry_cipher_setiv(h, in, NONCE)) != 0 ||
		    (err = gcry_cipher_authenticate(h, aad, aadlen)) != 0 ||
		    (err = gcry_cipher_decrypt(h, out, len, in + NONCE, len)) != 0)
			goto fail;
		if ((err = gcry_cipher_checktag(h, in + NONCE + len, TAG)) != 0) {
			util_wipe(out, len);
			goto out;	/* forged, damaged or the wrong context: not logged here */
		}
	}
	rc = 0;
	goto out;
 fail:
	log_err("vault: %s", gcry_strerror(err));
 out:
	if (h != NULL)
		gcry_cipher_close(h);
	return rc;
}

/* The associated data of a wrapped data key: "kenpo-dek:" || key id. */
static size_t
dek_aad(const char *id, char *buf, size_t cap)
{
	int	 n = snprintf(buf, cap, "kenpo-dek:%s", id);

	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

/* Unwrap a data key with the master key id; 0 or -1 (logged). */
static int
unwrap(const char *id, const unsigned char *wrapped, size_t wlen, unsigned char dek[DEK])
{
	const struct mkey	*mk;
	char			 aad[48];
	size_t			 alen;

	if ((mk = key_find(id)) == NULL) {
		log_err("vault: master key %s is not configured (Verify.MasterKey, "
		    "Verify.OldMasterKeys)", id);
		return -1;
	}
	if (wlen != VAULT_WRAPPED_LEN || (alen = dek_aad(id, aad, sizeof(aad))) == 0 ||
	    gcm(0, mk->key, aad, alen, wrapped, wlen, dek) != 0) {
		log_err("vault: a data key under master key %s does not open", id);
		return -1;
	}
	return 0;
}

/* Wrap dek under the current master key. 0 or -1. */
static int
wrap(const unsigned char dek[DEK], char id[VAULT_KEY_ID_LEN + 1],
    unsigned char wrapped[VAULT_WRAPPED_LEN])
{
	char	 aad[48];
	size_t	 alen;

	keys_load();
	if (!have_current) {
		log_err("vault: no Verify.MasterKey: nothing can be sealed");
		return -1;
	}
	memcpy(id, keys[0].id, VAULT_KEY_ID_LEN + 1);
	if ((alen = dek_aad(id, aad, sizeof(aad))) == 0)
		return -1;
	return gcm(1, keys[0].key, aad, alen, dek, DEK, wrapped);
}

int
vault_seal(const void *plain, size_t len, const char *context, struct vault_box *box)
{
	unsigned char	 dek[DEK];
	int		 rc = -1;

	memset(box, 0, sizeof(*box));
	if (len > SIZE_MAX - VAULT_OVERHEAD ||
	    (box->sealed = malloc(len + VAULT_OVERHEAD)) == NULL) {
		log_err("vault: seal: out of memory");
		return -1;
	}
	crypto_random(dek, sizeof(dek));
	if (wrap(dek, box->key_id, box->wrapped) != 0 ||
	    gcm(1, dek, context, strlen(context), plain, len, box->sealed) != 0)
		goto out;
	box->sealed_len = len + VAULT_OVERHEAD;
	rc = 0;
 out:
	util_wipe(dek, sizeof(dek));
	if (rc != 0)
		vault_box_free(box);
	return rc;
}

int
vault_open(const char *key_id, const unsigned char *wrapped, size_t wrapped_len,
    const unsigned char *sealed, size_t sealed_len, const char *context,
    unsigned char **plain, size_t *plain_len)
{
	unsigned char	 dek[DEK], *out = NULL;
	size_t		 len;
	int		 rc = -1;

	*plain = NULL;
	*plain_len = 0;
	if (sealed_len < VAULT_OVERHEAD) {
		log_err("vault: a sealed record is too short (%zu bytes)", sealed_len);
		return -1;
	}
	len = sealed_len - VAULT_OVERHEAD;
	if (unwrap(key_id, wrapped, wrapped_len, dek) != 0)
		goto out;
	if ((out = malloc(len > 0 ? len : 1)) == NULL) {
		log_err("vault: open: out of memory");
		goto out;
	}
	if (gcm(0, dek, context, strlen(context), sealed, sealed_len, out) != 0) {
		log_err("vault: a record sealed under master key %s does not open "
		    "(damaged, or moved from another record)", key_id);
		goto out;
	}
	*plain = out;
	*plain_len = len;
	out = NULL;
	rc = 0;
 out:
	util_wipe(dek, sizeof(dek));
	free(out);
	return rc;
}

int
vault_rewrap(const char *key_id, const unsigned char *wrapped, size_t wrapped_len,
    char new_key_id[VAULT_KEY_ID_LEN + 1], unsigned char new_wrapped[VAULT_WRAPPED_LEN])
{
	unsigned char	 dek[DEK];
	int		 rc = -1;

	keys_load();
	if (!have_current) {
		log_err("vault: no Verify.MasterKey to rewrap under");
		return -1;
	}
	if (strcmp(key_id, keys[0].id) == 0)
		return 1;
	if (unwrap(key_id, wrapped, wrapped_len, dek) != 0)
		goto out;
	rc = wrap(dek, new_key_id, new_wrapped);
 out:
	util_wipe(dek, sizeof(dek));
	return rc;
}

void
vault_box_free(struct vault_box *box)
{
	if (box->sealed != NULL) {
		util_wipe(box->sealed, box->sealed_len);
		free(box->sealed);
	}
	memset(box, 0, sizeof(*box));
}

void
vault_free_plain(unsigned char *plain, size_t len)
{
	if (plain == NULL)
		return;
	util_wipe(plain, len);
	free(plain);
}
