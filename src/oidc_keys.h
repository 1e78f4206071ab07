/*
 * oidc_keys.h — the ID token signing keys (table oidc_keys, docs/oidc.md
 * "Signing keys").
 *
 * ES256 (P-256) keys in three states: one 'current' (signs), one 'next'
 * (published in the JWKS ahead of its use, so relying parties that cache the
 * JWKS already know it when it starts signing), and any number of 'retired'
 * (published until retire_after = rotation time + OIDC.IDTokenSeconds +
 * OIDC_KEYS_MARGIN, so every ID token they signed can still be verified; then
 * deleted by the daily job). The kid is the key's RFC 7638 thumbprint.
 *
 * The private scalar is sealed by the vault (vault.h, context
 * "oidc-key:<kid>"): without Verify.MasterKey no key can be created or opened
 * and the provider cannot sign (OIDC_KEYS_NOVAULT; discovery and the token
 * endpoint answer 503).
 *
 * Missing keys are created lazily by whichever worker (or kenpoctl) needs one
 * first; the unique key on live_state (sql/0019) lets one INSERT win when
 * several race, on one host or many. Each worker caches the opened current key
 * and reopens only when the current kid changes.
 */
#ifndef KENPO_OIDC_KEYS_H
#define KENPO_OIDC_KEYS_H

#include <stddef.h>

#include "jose.h"

#define OIDC_KEYS_NOVAULT	(-10)	/* Verify.MasterKey not set */
#define OIDC_KEYS_MARGIN	3600	/* seconds a retired key outlives its tokens */

/*
 * The current signing key, private part opened, into *k (wipe it with
 * jose_key_wipe). Creates the current and next keys when missing. 0,
 * OIDC_KEYS_NOVAULT, -1 (logged: a key that does not open), or a db_status.
 */
int	 oidc_keys_signing(struct jose_key *k);

/*
 * The published keys (current, next, retired until retire_after), public
 * parts only, current first: *keys malloc'd (free it), *n of them. Creates
 * missing keys first when the vault is ready. 0 or a db_status.
 */
int	 oidc_keys_published(struct jose_key **keys, size_t *n);

/* Create the current and next keys when missing. 0, OIDC_KEYS_NOVAULT, -1
 * or a db_status. */
int	 oidc_keys_ensure(void);

/*
 * Rotate: current → retired (retire_after as above), next → current, a new
 * next. With expect_kid, only while the current key is still that one (the
 * daily job: an operator's rotation meanwhile wins). 1 rotated (new current
 * kid in new_kid when not NULL), 0 not (nothing to rotate or someone else
 * did), OIDC_KEYS_NOVAULT, -1, or a db_status.
 */
int	 oidc_keys_rotate(const char *expect_kid, char new_kid[JOSE_KID_LEN + 1]);

/*
 * The daily job's part (lifecycle.c): delete retired keys past retire_after
 * (*deleted), and rotate when the current key was activated at least
 * OIDC.KeyRotationDays days ago (0: never; *rotated). 0 or a db_status.
 */
int	 oidc_keys_daily(long long *deleted, int *rotated);

#endif
