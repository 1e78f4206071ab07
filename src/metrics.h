/*
 * metrics.h — process-shared counters (an anonymous shared mapping made by the
 * master before forking), exposed in Prometheus text form on /metrics to the
 * addresses of Server.MetricsAllow.
 */
#ifndef KENPO_METRICS_H
#define KENPO_METRICS_H

#include "util.h"

enum metric {
	M_REQ_2XX, M_REQ_3XX, M_REQ_4XX, M_REQ_5XX,
	M_REQ_MS,		/* total milliseconds spent in requests */
	M_WORKER_STARTS, M_WORKER_DEATHS,
	M_MAIL_SENT, M_MAIL_RETRY, M_MAIL_FAILED,
	M_LOGIN_OK, M_LOGIN_FAIL, M_SIGNUP_COMPLETE,
	M_HASH_BUSY,		/* password hashes refused: the pool was full */
	M_HASH_DONE,		/* password hashes computed by the pool */
	M__MAX
};

/* Map the counters (master, before fork). 0 or -1. Without it, counting is a no-op. */
int	 metrics_init(void);
void	 metrics_add(enum metric, long long);
void	 metrics_write(struct buf *);

#endif
