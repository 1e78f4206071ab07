/*
 * vault.h — envelope encryption of the most sensitive data at rest: the eKYC
 * images (verification_images) and the staff TOTP secrets (staff.totp_*).
 *
 * Each record is sealed with a fresh 256-bit data key (AES-256-GCM, a random
 * 96-bit nonce); the data key is wrapped, also with AES-256-GCM, by a master
 * key from the configuration. Formats (byte strings, stored as they are):
 *
 *   sealed  = nonce(12) || ciphertext || tag(16)        under the data key,
 *             AAD = the record's context string (e.g. "image:42:doc_front"),
 *             so a blob moved to another row does not open;
 *   wrapped = nonce(12) || AES-GCM(data key)(32) || tag(16)   (60 bytes)
 *             under the master key, AAD = "kenpo-dek:" || key_id;
 *   key_id  = the first 16 hex digits of SHA-256("kenpo-master:" || master key).
 *
 * Master keys: Verify.MasterKey (64 hex digits) seals; Verify.OldMasterKeys
 * (space-separated, each 64 hex digits) still open. Rotation (docs/operations.md):
 * put a new key in Verify.MasterKey and the old one in Verify.OldMasterKeys,
 * reload, run `kenpoctl verify rekey` (rewraps every data key under the new
 * master key; the sealed data is not touched), then drop the old key. Without
 * Verify.MasterKey nothing can be sealed: the eKYC level is not offered.
 */
#ifndef KENPO_VAULT_H
#define KENPO_VAULT_H

#include <stddef.h>

#define VAULT_KEY_ID_LEN	16	/* hex digits, without the NUL */
#define VAULT_WRAPPED_LEN	60
#define VAULT_OVERHEAD		28	/* sealed length = plain length + this */

struct vault_box {
	char		 key_id[VAULT_KEY_ID_LEN + 1];
	unsigned char	 wrapped[VAULT_WRAPPED_LEN];
	unsigned char	*sealed;	/* malloc'd; free with vault_box_free */
	size_t		 sealed_len;
};

/* 1 when a master key is configured (Verify.MasterKey), so sealing works. */
int	 vault_ready(void);
/* The id of the current master key, or "" without one. */
const char *vault_current_id(void);
/* 1 when the master key key_id is configured (current or old). */
int	 vault_has_key(const char *key_id);

/*
 * Seal len bytes of plain under a fresh data key wrapped by the current master
 * key, bound to context (a NUL-terminated string naming the record). 0 on
 * success (box filled), -1 (logged, without any of the data) on failure.
 */
int	 vault_seal(const void *plain, size_t len, const char *context,
	    struct vault_box *box);

/*
 * Open a sealed record: find the master key key_id among the configured ones,
 * unwrap the data key, decrypt and authenticate. On success returns 0 and sets
 * *plain (malloc'd, len *plain_len; the caller wipes and frees it with
 * vault_free_plain). -1 (logged) when the key is unknown or anything fails to
 * authenticate.
 */
int	 vault_open(const char *key_id, const unsigned char *wrapped, size_t wrapped_len,
	    const unsigned char *sealed, size_t sealed_len, const char *context,
	    unsigned char **plain, size_t *plain_len);

/*
 * Rewrap a data key under the current master key: from (key_id, wrapped) to
 * (new_key_id, new_wrapped). 0, 1 when it is already under the current key
 * (nothing to do), -1 (logged) when it cannot be opened.
 */
int	 vault_rewrap(const char *key_id, const unsigned char *wrapped, size_t wrapped_len,
	    char new_key_id[VAULT_KEY_ID_LEN + 1], unsigned char new_wrapped[VAULT_WRAPPED_LEN]);

void	 vault_box_free(struct vault_box *);
void	 vault_free_plain(unsigned char *plain, size_t len);

#endif
