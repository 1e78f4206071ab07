/*
 * t_vault.c — unit tests for vault.c: a sealed record opens with its context
 * and master key and with nothing else; a rotation (new Verify.MasterKey, the
 * old one in Verify.OldMasterKeys) rewraps data keys without touching the
 * sealed data; a dropped key leaves its records unreadable; the format is the
 * one vault.h documents (checked by opening a box with plain libgcrypt calls).
 */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>

#include "config.h"
#include "crypto.h"
#include "log.h"
#include "util.h"
#include "vault.h"

#define K1 "1111111111111111111111111111111111111111111111111111111111111111"
#define K2 "2222222222222222222222222222222222222222222222222222222222222222"

static void
use_keys(const char *current, const char *old)
{
	HDF	*hdf = NULL;

	if (hdf_init(&hdf) != STATUS_OK)
		abort();
	hdf_set_value(hdf, "Security.Pepper",
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	hdf_set_value(hdf, "Security.Secret",
	    "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");
	hdf_set_value(hdf, "Verify.MasterKey", current);
	hdf_set_value(hdf, "Verify.OldMasterKeys", old);
	config_set(hdf);
}

static const char	 msg[] = "\xff\xd8\xff\xe0 not really a JPEG, but bytes all the same";

START_TEST(test_roundtrip)
{
	struct vault_box box;
	unsigned char	*plain;
	size_t		 len;

	use_keys(K1, "");
	ck_assert_int_eq(vault_ready(), 1);
	ck_assert_int_eq(vault_seal(msg, sizeof(msg), "image:1:doc_front", &box), 0);
	ck_assert_uint_eq(box.sealed_len, sizeof(msg) + VAULT_OVERHEAD);
	ck_assert_uint_eq(strlen(box.key_id), VAULT_KEY_ID_LEN);
	/* The plaintext appears nowhere in what is stored. */
	ck_assert_ptr_null(memmem(box.sealed, box.sealed_len, "not really", 10));
	ck_assert_int_eq(vault_open(box.key_id, box.wrapped, sizeof(box.wrapped),
	    box.sealed, box.sealed_len, "image:1:doc_front", &plain, &len), 0);
	ck_assert_uint_eq(len, sizeof(msg));
	ck_assert_mem_eq(plain, msg, len);
	vault_free_plain(plain, len);

	/* Another record's context, a flipped bit, a damaged wrapped key: no. */
	ck_assert_int_eq(vault_open(box.key_id, box.wrapped, sizeof(box.wrapped),
	    box.sealed, box.sealed_len, "image:2:doc_front", &plain, &len), -1);
	ck_assert_ptr_null(plain);
	box.sealed[20] ^= 1;
	ck_assert_int_eq(vault_open(box.key_id, box.wrapped, sizeof(box.wrapped),
	    box.sealed, box.sealed_len, "image:1:doc_front", &plain, &len), -1);
	box.sealed[20] ^= 1;
	box.wrapped[30] ^= 1;
	ck_assert_int_eq(vault_open(box.key_id, box.wrapped, sizeof(box.wrapped),
	    box.sealed, box.sealed_len, "image:1:doc_front", &plain, &len), -1);
	box.wrapped[30] ^= 1;
	ck_assert_int_eq(vault_open(box.key_id, box.wrapped, sizeof(box.wrapped),
	    box.sealed, 10, "image:1:doc_front", &plain, &len), -1);
	vault_box_free(&box);
}
END_TEST

START_TEST(test_two_seals_differ)
{
	struct vault_box a, b;

	use_keys(K1, "");
	ck_assert_int_eq(vault_seal(msg, sizeof(msg), "c", &a), 0);
	ck_assert_int_eq(vault_seal(msg, sizeof(msg), "c", &b), 0);
	ck_assert_str_eq(a.key_id, b.key_id);
	ck_assert_int_ne(memcmp(a.wrapped, b.wrapped, VAULT_WRAPPED_LEN), 0);
	ck_assert_int_ne(memcmp(a.sealed, b.sealed, a.sealed_len), 0);
	vault_box_free(&a);
	vault_box_free(&b);
}
END_TEST

START_TEST(test_no_key)
{
	struct vault_box box;

	use_keys("", "");
	ck_assert_int_eq(vault_ready(), 0);
	ck_assert_int_eq(vault_seal(msg, sizeof(msg), "c", &box), -1);
	ck_assert_ptr_null(box.sealed);
}
END_TEST

START_TEST(test_rotation)
{
	struct vault_box box;
	char		 id1[VAULT_KEY_ID_LEN + 1], nid[VAULT_KEY_ID_LEN + 1];
	unsigned char	 nw[VAULT_WRAPPED_LEN], *plain;
	size_t		 len;

	use_keys(K1, "");
	ck_assert_int_eq(vault_seal(msg, sizeof(msg), "totp:7", &box), 0);
	memcpy(id1, box.key_id, sizeof(id1));

	/* Step 1: K2 seals, K1 still opens. */
	use_keys(K2, K1);
	ck_assert_int_eq(vault_open(box.key_id, box.wrapped, sizeof(box.wrapped),
	    box.sealed, box.sealed_len, "totp:7", &plain, &len), 0);
	vault_free_plain(plain, len);
	ck_assert_int_eq(vault_rewrap(box.key_id, box.wrapped, sizeof(box.wrapped),
	    nid, nw), 0);
	ck_assert_str_ne(nid, id1);
	/* Already under the current key: nothing to do. */
	ck_assert_int_eq(vault_rewrap(nid, nw, sizeof(nw), nid, nw), 1);

	/* Step 2: K1 dropped. The rewrapped key opens the untouched data... */
	use_keys(K2, "");
	ck_assert_int_eq(vault_open(nid, nw, sizeof(nw), box.sealed, box.sealed_len,
	    "totp:7", &plain, &len), 0);
	ck_assert_mem_eq(plain, msg, len);
	vault_free_plain(plain, len);
	/* ...and a record left under K1 no longer does. */
	ck_assert_int_eq(vault_open(id1, box.wrapped, sizeof(box.wrapped),
	    box.sealed, box.sealed_len, "totp:7", &plain, &len), -1);
	/* A wrapped key cannot be passed off under another key's id. */
	ck_assert_int_eq(vault_open(nid, box.wrapped, sizeof(box.wrapped),
	    box.sealed, box.sealed_len, "totp:7", &plain, &len), -1);
	vault_box_free(&box);
}
END_TEST

/* Open a box with plain libgcrypt, following vault.h's format. */
static int
gcm_open_aad(const unsigned char *key, const char *aad, const unsigned char *in,
    size_t n, unsigned char *out)
{
	gcry_cipher_hd_t h;
	int		 ok;

	ck_assert_int_eq(gcry_cipher_open(&h, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, 0), 0);
	ck_assert_int_eq(gcry_cipher_setkey(h, key, 32), 0);
	ck_assert_int_eq(gcry_cipher_setiv(h, in, 12), 0);
	ck_assert_int_eq(gcry_cipher_authenticate(h, aad, strlen(aad)), 0);
	ck_assert_int_eq(gcry_cipher_decrypt(h, out, n - 28, in + 12, n - 28), 0);
	ok = gcry_cipher_checktag(h, in + n - 16, 16) == 0;
	gcry_cipher_close(h);
	return ok;
}

START_TEST(test_format)
{
	struct vault_box box;
	unsigned char	 master[32], md[32], dek[32], buf[13 + 32], *out;
	char		 id[17], aad[64];

	use_keys(K1, "");
	memset(master, 0x11, sizeof(master));
	memcpy(buf, "kenpo-master:", 13);
	memcpy(buf + 13, master, 32);
	crypto_sha256(buf, sizeof(buf), md);
	util_hex(md, 8, id);
	ck_assert_int_eq(vault_seal(msg, sizeof(msg), "image:9:face_angle", &box), 0);
	ck_assert_str_eq(box.key_id, id);
	snprintf(aad, sizeof(aad), "kenpo-dek:%s", id);
	ck_assert(gcm_open_aad(master, aad, box.wrapped, VAULT_WRAPPED_LEN, dek));
	out = malloc(box.sealed_len);
	ck_assert(gcm_open_aad(dek, "image:9:face_angle", box.sealed, box.sealed_len, out));
	ck_assert_mem_eq(out, msg, sizeof(msg));
	free(out);
	vault_box_free(&box);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("vault");
	TCase	*tc = tcase_create("vault");
	SRunner	*sr;
	int	 failed;

	log_open("t_vault", 0);
	if (crypto_init() != 0)
		return 1;
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_two_seals_differ);
	tcase_add_test(tc, test_no_key);
	tcase_add_test(tc, test_rotation);
	tcase_add_test(tc, test_format);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
