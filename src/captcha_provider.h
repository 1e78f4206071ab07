/*
 * captcha_provider.h — an optional reCAPTCHA-compatible CAPTCHA service, used at
 * login instead of kenpo's own image CAPTCHA (captcha.h) when the operator sets
 * Login.CaptchaProvider = recaptcha. Off by default: kenpo needs no third party.
 *
 * The page shows the provider's widget with Login.RecaptchaSiteKey; the widget
 * posts its answer as the form field `g-recaptcha-response`. The handler passes
 * that token here, and captcha_provider_verify() asks the provider whether it is
 * good: one HTTPS POST (application/x-www-form-urlencoded: secret, response,
 * remoteip) to Login.RecaptchaVerifyURL with libcurl, the answer being JSON with a
 * boolean "success" (and usually "hostname", "error-codes"). The same protocol is
 * spoken by Google reCAPTCHA v2, hCaptcha and Cloudflare Turnstile.
 *
 * Rules the module keeps:
 *  - TLS certificates and host names are always verified. Plain http:// is
 *    accepted only for 127.0.0.1 and [::1] (a local fake server in tests).
 *  - The whole exchange (connect + transfer) is bounded by Login.RecaptchaTimeout
 *    seconds and the answer by 16 KiB, so a slow provider costs a worker at most
 *    that long and a hostile one cannot make it buffer much.
 *  - The secret and the token are never logged and are wiped after use.
 *  - When the provider's answer names a hostname, it must be the host of
 *    Service.BaseURL (case-insensitive): a token solved on another site that
 *    shares the site key is refused.
 * One easy handle is kept per process, so the TLS connection to the provider is
 * reused between logins. Processes are single-threaded (see DESIGN.md).
 */
#ifndef KENPO_CAPTCHA_PROVIDER_H
#define KENPO_CAPTCHA_PROVIDER_H

#include <stddef.h>

/* Outcomes of captcha_provider_verify(). */
enum captcha_provider_verdict {
	CAPTCHA_PROVIDER_OK = 1,	/* the provider vouches for the token */
	CAPTCHA_PROVIDER_REFUSED = 0,	/* missing, bad, expired or reused token,
					 * or solved for another host: form error
					 * "solve the CAPTCHA again" */
	CAPTCHA_PROVIDER_UNAVAILABLE = -1, /* unreachable, timed out, garbled
					 * answer, or kenpo misconfigured (logged
					 * once here): form error "try again in a
					 * moment", never a 500 */
};

/*
 * 1 when the login CAPTCHA is the provider's: Login.Captcha is on and
 * Login.CaptchaProvider is recaptcha. Otherwise 0 (kenpo's own CAPTCHA, or none).
 */
int	 captcha_provider_enabled(void);

/*
 * Check the provider's configuration without any network access: a site key and a
 * secret are set, and Login.RecaptchaVerifyURL is https:// (or http:// to
 * 127.0.0.1 / [::1] only). Returns 0 when it is usable or the provider is not
 * enabled; -1 with a one-line reason naming the key in err otherwise. For
 * `kenpod -t` and startup; captcha_provider_verify() runs it too (and logs).
 */
int	 captcha_provider_check(char *err, size_t errlen);

/*
 * Ask the provider about response_token (the `g-recaptcha-response` field; NULL
 * or empty is refused without asking). remote_ip (may be NULL) is passed on as
 * `remoteip`. Blocks for at most Login.RecaptchaTimeout seconds. Returns an enum
 * captcha_provider_verdict; every UNAVAILABLE is logged here with its reason, so
 * the caller logs nothing more. Writes nothing to the database.
 */
int	 captcha_provider_verify(const char *response_token, const char *remote_ip);

/* Free the kept handle and libcurl's global state (for tests and clean exits). */
void	 captcha_provider_cleanup(void);

#endif
