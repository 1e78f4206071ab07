/*
 * totp.h — time-based one-time passwords (RFC 6238 over RFC 4226's HOTP) for
 * the staff console: HMAC-SHA-1, 30-second steps, 6 digits, one step of clock
 * drift either way. A code is accepted only for a step later than the last one
 * accepted (staff.totp_last_step), so a code seen over a shoulder or in a proxy
 * cannot be used a second time.
 *
 * Also the enrolment's presentation: the secret in base32 (RFC 4648, no
 * padding) for manual entry, the otpauth:// URI authenticator apps read, and
 * that URI as a QR code (libqrencode) drawn as inline SVG.
 *
 * Nothing here logs a secret or a code.
 */
#ifndef KENPO_TOTP_H
#define KENPO_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES	20	/* 160 bits, RFC 4226 §4 R6 recommends it */
#define TOTP_PERIOD		30
#define TOTP_DIGITS		6
#define TOTP_B32_LEN(n)		(((n) * 8 + 4) / 5)

/*
 * The HOTP value of key for counter step with digits (6..8) digits, as a
 * NUL-terminated decimal string with leading zeros into out (digits + 1
 * bytes). 0, or -1 when HMAC-SHA-1 fails (logged).
 */
int	 totp_code(const unsigned char *key, size_t keylen, uint64_t step,
	    int digits, char *out);

/*
 * Check a 6-digit code typed at unix time now against key: the steps now-1,
 * now and now+1 (30 s each) that are later than last_step. Returns the step it
 * matched (> 0; store it as the new last_step), 0 when it matches none (wrong,
 * malformed, or a replay of an accepted step), -1 on an HMAC failure.
 * Comparisons are constant-time.
 */
long long totp_check(const unsigned char *key, size_t keylen, const char *code,
	    int64_t now, long long last_step);

/* RFC 4648 base32 of n bytes, without padding, NUL-terminated, into out
 * (TOTP_B32_LEN(n) + 1 bytes). */
void	 totp_base32(const unsigned char *in, size_t n, char *out);

/*
 * otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=ISSUER&algorithm=SHA1&digits=6
 * &period=30, the label and parameters percent-encoded. malloc'd.
 */
char	*totp_uri(const char *issuer, const char *account,
	    const unsigned char *key, size_t keylen);

/*
 * text as a QR code (libqrencode, error correction M), drawn as a standalone
 * <svg> element (one path of dark modules, a 4-module quiet zone) with
 * role="img" and the given aria-label (escaped here). malloc'd, or NULL (logged)
 * when the text does not fit a QR code.
 */
char	*totp_qr_svg(const char *text, const char *label);

/*
 * Recovery codes (staff and members): ten characters of an alphabet without
 * look-alikes, "abcde-fgh23" (TOTP_RECOVERY_LEN), from the strong RNG.
 */
#define TOTP_RECOVERY_LEN	11
void	 totp_recovery_code(char out[TOTP_RECOVERY_LEN + 1]);
/*
 * The stored form of a recovery code: hex HMAC-SHA256(Security.Secret,
 * purpose "|" code), the code lower-cased without dashes and spaces, so a
 * code typed "ABCDE FGH23" matches. purpose keeps staff and member codes apart
 * ("staff-recovery", "member-recovery"). 0, or -1 (logged).
 */
int	 totp_recovery_hash(const char *purpose, const char *code, char out[65]);

#endif
