/*
 * t_captcha_provider.c — unit tests for captcha_provider.c against a fake
 * siteverify server: a thread in this process listening on a free loopback port,
 * answering each request with what the test asked for (a JSON answer, an HTTP
 * status, an oversized body, a redirect, or nothing at all for a while).
 *
 * Covered: success, refusal, hostname check, garbled answers (not JSON, a string
 * "true", a duplicate key, trailing bytes, "success" only inside a string), HTTP
 * errors, redirects not followed, the 16 KiB answer cap, the total timeout, a
 * closed port, TLS attempted for https://, the configuration check (http:// only
 * to loopback, site key and secret required), the exact request body, and that
 * neither the secret nor the token ever reaches the log.
 */
#include "autoconf.h"

#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "captcha_provider.h"
#include "config.h"
#include "log.h"
#include "util.h"

/* Chosen so that escaping is visible: a space, '&', '=' and '+'. */
#define SECRET		"s3cr3t &=+SECRET-VALUE"
#define TOKEN		"TOKEN-VALUE_03AGdBq2+/=&x"

enum mode { ANSWER, HANG, BIG_LENGTH, BIG_STREAM, REDIRECT };

struct fake {
	int		 fd;
	int		 port;
	enum mode	 mode;
	int		 status;
	const char	*answer;
	int		 hang_ms;
	int		 requests;		/* requests seen */
	int		 tls_hello;		/* a TLS ClientHello came */
	char		 body[8192];		/* body of the last request */
	pthread_t	 th;
};

static struct fake	 fake;

/* Read one request (headers + Content-Length body) from c into f->body. */
static int
fake_read(struct fake *f, int c)
{
	char		 buf[16384], *end, *cl;
	size_t		 len = 0, want;
	ssize_t		 n;

	for (;;) {
		if (len + 1 >= sizeof(buf))
			return -1;
		if ((n = read(c, buf + len, sizeof(buf) - 1 - len)) <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		/* A TLS record of type handshake (22), version 3.x. */
		if (len >= 3 && buf[0] == 0x16 && buf[1] == 0x03) {
			f->tls_hello = 1;
			return -1;
		}
		if ((end = strstr(buf, "\r\n\r\n")) == NULL)
			continue;
		want = 0;
		if ((cl = strcasestr(buf, "\r\nContent-Length:")) != NULL && cl < end)
			want = strtoul(cl + 17, NULL, 10);
		if (len >= (size_t)(end + 4 - buf) + want) {
			snprintf(f->body, sizeof(f->body), "%.*s", (int)want, end + 4);
			return 0;
		}
	}
}

static void
write_all(int c, const char *s, size_t n)
{
	ssize_t		 w;

	while (n > 0 && (w = write(c, s, n)) > 0) {
		s += w;
		n -= (size_t)w;
	}
}

/* Serve requests until the listening socket is closed. */
static void *
fake_main(void *arg)
{
	struct fake	*f = arg;
	char		 head[512], *big;
	int		 c;

	while ((c = accept(f->fd, NULL, NULL)) >= 0) {
		if (fake_read(f, c) != 0) {
			close(c);
			continue;
		}
		f->requests++;
		switch (f->mode) {
		case HANG:
			usleep((useconds_t)f->hang_ms * 1000);
			break;
		case BIG_LENGTH:
		case BIG_STREAM:
			big = xmalloc(20000);
			memset(big, ' ', 20000);
			big[0] = '{';
			memcpy(big + 20000 - 17, "\"success\": true}", 16);
			big[19999] = ' ';
			if (f->mode == BIG_LENGTH)
				snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
				    "Content-Type: application/json\r\n"
				    "Content-Length: 20000\r\n"
				    "Connection: close\r\n\r\n");
			else
				snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
				    "Content-Type: application/json\r\n"
				    "Connection: close\r\n\r\n");
			write_all(c, head, strlen(head));
			write_all(c, big, 20000);
			free(big);
			break;
		case REDIRECT:
			snprintf(head, sizeof(head), "HTTP/1.1 302 Found\r\n"
			    "Location: http://127.0.0.1:%d/other\r\n"
			    "Content-Length: 0\r\nConnection: close\r\n\r\n", f->port);
			write_all(c, head, strlen(head));
			break;
		case ANSWER:
			snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\n"
			    "Content-Type: application/json; charset=utf-8\r\n"
			    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			    f->status, strlen(f->answer));
			write_all(c, head, strlen(head));
			write_all(c, f->answer, strlen(f->answer));
			break;
		}
		close(c);
	}
	return NULL;
}

/* Configure kenpo for the provider at url (NULL: the fake's). */
static void
config_for(const char *url)
{
	HDF	*hdf = NULL;
	char	 u[128];

	if (hdf_init(&hdf) != STATUS_OK)
		abort();
	if (url == NULL) {
		snprintf(u, sizeof(u), "http://127.0.0.1:%d/siteverify", fake.port);
		url = u;
	}
	hdf_set_value(hdf, "Service.BaseURL", "https://Portal.Example.JP/kenpo");
	hdf_set_value(hdf, "Login.Captcha", "on");
	hdf_set_value(hdf, "Login.CaptchaProvider", "recaptcha");
	hdf_set_value(hdf, "Login.RecaptchaSiteKey", "site-key");
	hdf_set_value(hdf, "Login.RecaptchaSecret", SECRET);
	hdf_set_value(hdf, "Login.RecaptchaVerifyURL", url);
	hdf_set_value(hdf, "Login.RecaptchaTimeout", "1");
	config_set(hdf);
}

/* Start the fake on a free port (runs in each forked test). */
static void
setup(void)
{
	struct sockaddr_in sa;
	socklen_t	 sl = sizeof(sa);
	int		 one = 1;

	memset(&fake, 0, sizeof(fake));
	fake.mode = ANSWER;
	fake.status = 200;
	fake.answer = "{\"success\": true}";
	if ((fake.fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		abort();
	setsockopt(fake.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fake.fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fake.fd, 8) != 0 ||
	    getsockname(fake.fd, (struct sockaddr *)&sa, &sl) != 0)
		abort();
	fake.port = ntohs(sa.sin_port);
	if (pthread_create(&fake.th, NULL, fake_main, &fake) != 0)
		abort();
	pthread_detach(fake.th);
	config_for(NULL);
}

static void
teardown(void)
{
	captcha_provider_cleanup();
	shutdown(fake.fd, SHUT_RDWR);
	close(fake.fd);
}

/* Verify TOKEN from a documentation address. */
static int
verify(void)
{
	return captcha_provider_verify(TOKEN, "203.0.113.7");
}

START_TEST(test_success_and_body)
{
	ck_assert_int_eq(captcha_provider_enabled(), 1);
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_OK);
	ck_assert_int_eq(fake.requests, 1);
	ck_assert_str_eq(fake.body,
	    "secret=s3cr3t%20%26%3D%2BSECRET-VALUE"
	    "&response=TOKEN-VALUE_03AGdBq2%2B%2F%3D%26x"
	    "&remoteip=203.0.113.7");
	/* Without an address, remoteip is left out. */
	ck_assert_int_eq(captcha_provider_verify("t", NULL), CAPTCHA_PROVIDER_OK);
	ck_assert_str_eq(fake.body, "secret=s3cr3t%20%26%3D%2BSECRET-VALUE"
	    "&response=t");
	ck_assert_int_eq(fake.requests, 2);
}
END_TEST

START_TEST(test_refused)
{
	fake.answer = "{\"success\": false, \"error-codes\": "
	    "[\"invalid-input-response\"]}";
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_REFUSED);
	fake.answer = "{\"success\": false}";
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_REFUSED);
	fake.answer = "{\"success\": false, \"error-codes\": "
	    "[\"timeout-or-duplicate\", 7, \"<script>\"]}";
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_REFUSED);
	/* Our secret refused: an operator's problem, not the member's. */
	fake.answer = "{\"success\": false, \"error-codes\": "
	    "[\"invalid-input-secret\"]}";
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);
}
END_TEST

START_TEST(test_hostname)
{
	fake.answer = "{\"success\": true, \"hostname\": \"portal.example.jp\"}";
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_OK);
	fake.answer = "{\"success\": true, \"hostname\": \"PORTAL.example.JP\"}";
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_OK);
	fake.answer = "{\"success\": true, \"hostname\": \"\"}";
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_OK);
	fake.answer = "{\"success\": true, \"hostname\": \"evil.example\"}";
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_REFUSED);
	fake.answer = "{\"success\": true, \"hostname\": "
	    "\"portal.example.jp.evil.example\"}";
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_REFUSED);
	fake.answer = "{\"success\": true, \"hostname\": 1}";
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);
}
END_TEST

START_TEST(test_garbled)
{
	static const char *const bad[] = {
		"",
		"not json",
		"true",
		"[true]",
		"{\"success\": \"true\"}",
		"{\"success\": 1}",
		"{\"success\": null}",
		"{}",
		"{\"success\": true, \"success\": false}",
		"{\"success\": false, \"success\": true}",
		"{\"success\": true} trailing",
		"{\"success\": true",
		"{\"note\": \"\\\"success\\\": true\"}",
		"{\"nested\": {\"success\": true}}",
	};
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fake.answer = bad[i];
		ck_assert_msg(verify() == CAPTCHA_PROVIDER_UNAVAILABLE,
		    "answer %zu (%s) not taken as garbled", i, bad[i]);
	}
	ck_assert_int_eq(fake.requests, (int)i);
}
END_TEST

START_TEST(test_http_errors)
{
	fake.status = 500;
	fake.answer = "{\"success\": true}";
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);
	fake.status = 403;
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);
	fake.mode = REDIRECT;
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);
	/* The redirect was not followed. */
	ck_assert_int_eq(fake.requests, 3);
}
END_TEST

START_TEST(test_answer_cap)
{
	fake.mode = BIG_LENGTH;
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);
	fake.mode = BIG_STREAM;
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);
}
END_TEST

START_TEST(test_timeout)
{
	int64_t		 t0, ms;

	fake.mode = HANG;
	fake.hang_ms = 10000;
	t0 = util_mono_ms();
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);
	ms = util_mono_ms() - t0;
	/* Login.RecaptchaTimeout = 1: it gave up after about a second, long
	 * before the fake provider's 10 s answer (the wide upper bound is for a
	 * loaded host, not a speed claim). */
	ck_assert_msg(ms >= 900 && ms < 8000, "took %lld ms", (long long)ms);
}
END_TEST

START_TEST(test_unreachable)
{
	char	 url[128];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/siteverify", fake.port);
	shutdown(fake.fd, SHUT_RDWR);
	close(fake.fd);
	usleep(50000);
	config_for(url);
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);
}
END_TEST

START_TEST(test_tls_always)
{
	char	 url[128];

	/* The fake speaks plain HTTP: an https:// URL must fail the handshake. */
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/siteverify", fake.port);
	config_for(url);
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);
	ck_assert_int_eq(fake.tls_hello, 1);
	ck_assert_int_eq(fake.requests, 0);
}
END_TEST

START_TEST(test_no_token)
{
	char	*big;

	ck_assert_int_eq(captcha_provider_verify(NULL, "203.0.113.7"),
	    CAPTCHA_PROVIDER_REFUSED);
	ck_assert_int_eq(captcha_provider_verify("", "203.0.113.7"),
	    CAPTCHA_PROVIDER_REFUSED);
	big = xmalloc(20000);
	memset(big, 'a', 19999);
	big[19999] = '\0';
	ck_assert_int_eq(captcha_provider_verify(big, NULL),
	    CAPTCHA_PROVIDER_REFUSED);
	free(big);
	ck_assert_int_eq(fake.requests, 0);
}
END_TEST

START_TEST(test_config_check)
{
	char	 err[256];

	config_for("https://www.google.com/recaptcha/api/siteverify");
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), 0);
	config_for("http://[::1]:9/siteverify");
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), 0);
	config_for("HTTP://127.0.0.1:9/siteverify");
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), 0);

	config_for("http://www.google.com/recaptcha/api/siteverify");
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "Login.RecaptchaVerifyURL"));
	/* Refused at use too, without a request. */
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);
	config_for("http://localhost:9/siteverify");
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), -1);
	config_for("http://127.0.0.2:9/siteverify");
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), -1);
	config_for("ftp://127.0.0.1/siteverify");
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), -1);
	config_for("file:///etc/passwd");
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), -1);
	config_for("www.google.com/recaptcha/api/siteverify");
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), -1);
	config_for("");
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), -1);
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);

	config_for(NULL);
	config_put("Login.RecaptchaSecret", "");
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "Login.RecaptchaSecret"));
	ck_assert_int_eq(verify(), CAPTCHA_PROVIDER_UNAVAILABLE);
	config_for(NULL);
	config_put("Login.RecaptchaSiteKey", "");
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "Login.RecaptchaSiteKey"));
	ck_assert_int_eq(fake.requests, 0);

	/* Off: the built-in CAPTCHA, or no CAPTCHA at all. */
	config_for("http://www.google.com/");
	config_put("Login.CaptchaProvider", "builtin");
	ck_assert_int_eq(captcha_provider_enabled(), 0);
	ck_assert_int_eq(captcha_provider_check(err, sizeof(err)), 0);
	config_for(NULL);
	config_put("Login.Captcha", "off");
	ck_assert_int_eq(captcha_provider_enabled(), 0);
	config_for(NULL);
	ck_assert_int_eq(captcha_provider_enabled(), 1);
}
END_TEST

START_TEST(test_config_default_off)
{
	HDF	*hdf = NULL;

	/* Nothing set: config.c's defaults, the built-in CAPTCHA. */
	if (hdf_init(&hdf) != STATUS_OK)
		abort();
	config_set(hdf);
	ck_assert_int_eq(captcha_provider_enabled(), 0);
	ck_assert_int_eq(config_int("Login.RecaptchaTimeout"), 3);
}
END_TEST

START_TEST(test_log_has_no_secret)
{
	char	 path[] = "/tmp/t_captcha_provider.XXXXXX", text[65536];
	int	 fd, saved;
	ssize_t	 n;

	/* Every logging path once, with stderr (the log) caught in a file. */
	if ((fd = mkstemp(path)) < 0)
		abort();
	unlink(path);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	fake.answer = "{\"success\": false, \"error-codes\": "
	    "[\"invalid-input-response\"]}";
	verify();
	fake.answer = "{\"success\": false, \"error-codes\": "
	    "[\"invalid-input-secret\"]}";
	verify();
	fake.answer = "{\"success\": true, \"hostname\": \"evil.example\"}";
	verify();
	fake.answer = "garbled " TOKEN;
	verify();
	fake.status = 500;
	verify();
	fake.mode = BIG_STREAM;
	verify();
	config_for("http://www.google.com/");
	verify();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	ck_assert_int_gt(n, 0);
	text[n] = '\0';
	ck_assert_ptr_nonnull(strstr(text, "invalid-input-response"));
	ck_assert_ptr_null(strstr(text, "SECRET-VALUE"));
	ck_assert_ptr_null(strstr(text, "TOKEN-VALUE"));
	ck_assert_ptr_null(strstr(text, "s3cr3t"));
}
END_TEST

static Suite *
provider_suite(void)
{
	Suite	*s = suite_create("captcha_provider");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_success_and_body);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_hostname);
	tcase_add_test(tc, test_garbled);
	tcase_add_test(tc, test_http_errors);
	tcase_add_test(tc, test_answer_cap);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_unreachable);
	tcase_add_test(tc, test_tls_always);
	tcase_add_test(tc, test_no_token);
	tcase_add_test(tc, test_config_check);
	tcase_add_test(tc, test_config_default_off);
	tcase_add_test(tc, test_log_has_no_secret);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner		*sr;
	int		 failed;

	log_open("t_captcha_provider", 0);
	sr = srunner_create(provider_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
