/*
 * metrics.c — shared counters; atomic adds, no locks.
 */
#include "autoconf.h"
#include "metrics.h"

#include <sys/mman.h>
#include <stddef.h>

static long long	*counters;

static const struct {
	const char	*name, *help, *labels;
} desc[M__MAX] = {
	[M_REQ_2XX] = { "kenpo_http_requests_total", "Requests answered", "code=\"2xx\"" },
	[M_REQ_3XX] = { "kenpo_http_requests_total", NULL, "code=\"3xx\"" },
	[M_REQ_4XX] = { "kenpo_http_requests_total", NULL, "code=\"4xx\"" },
	[M_REQ_5XX] = { "kenpo_http_requests_total", NULL, "code=\"5xx\"" },
	[M_REQ_MS] = { "kenpo_http_request_milliseconds_total", "Time spent in requests", NULL },
	[M_WORKER_STARTS] = { "kenpo_worker_starts_total", "Children started", NULL },
	[M_WORKER_DEATHS] = { "kenpo_worker_deaths_total", "Children that died unexpectedly", NULL },
	[M_MAIL_SENT] = { "kenpo_mail_total", "Mail delivery attempts by outcome", "result=\"sent\"" },
	[M_MAIL_RETRY] = { "kenpo_mail_total", NULL, "result=\"retry\"" },
	[M_MAIL_FAILED] = { "kenpo_mail_total", NULL, "result=\"failed\"" },
	[M_LOGIN_OK] = { "kenpo_logins_total", "Login attempts by outcome", "result=\"ok\"" },
	[M_LOGIN_FAIL] = { "kenpo_logins_total", NULL, "result=\"fail\"" },
	[M_SIGNUP_COMPLETE] = { "kenpo_signups_completed_total", "Signups completed", NULL },
	[M_HASH_BUSY] = { "kenpo_hash_busy_total", "Password hashes refused because the hashing pool was full (answered 503)", NULL },
	[M_HASH_DONE] = { "kenpo_password_hashes_total", "Argon2id hashes computed by the hashing pool (logins, signups, password changes)", NULL },
};

int
metrics_init(void)
{
	void	*p;

	p = mmap(NULL, sizeof(long long) * M__MAX, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	counters = p;
	return 0;
}

void
metrics_add(enum metric m, long long n)
{
	if (counters != NULL && m < M__MAX)
		__atomic_add_fetch(&counters[m], n, __ATOMIC_RELAXED);
}

void
metrics_write(struct buf *b)
{
	int	 i;

	for (i = 0; i < M__MAX; i++) {
		long long v = counters ? __atomic_load_n(&counters[i], __ATOMIC_RELAXED) : 0;

		if (desc[i].help != NULL)
			buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n", desc[i].name,
			    desc[i].help, desc[i].name);
		if (desc[i].labels != NULL)
			buf_printf(b, "%s{%s} %lld\n", desc[i].name, desc[i].labels, v);
		else
			buf_printf(b, "%s %lld\n", desc[i].name, v);
	}
}
