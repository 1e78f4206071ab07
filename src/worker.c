/*
 * worker.c — the accept loop of a worker process.
 *
 * The listening socket is non-blocking and shared by every worker. Each idle worker
 * waits in poll() (so it notices a stop request within half a second), then tries
 * FCGX_Accept_r; when another worker won the connection the accept fails with
 * EAGAIN and we go back to poll. One request at a time per process: ClearSilver's
 * CGI kit keeps process-global state.
 *
 * SIGTERM and SIGHUP (stop) are blocked except inside that ppoll. libfcgi's
 * accept waits for the new connection's first bytes in a poll of its own and
 * closes the connection unanswered when a signal interrupts it; nginx answers
 * that with a 502. With the signals held, a stop asked for mid-accept or
 * mid-request takes effect at the next ppoll, after the answer.
 */
#include "autoconf.h"
#include "worker.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "db.h"
#include "log.h"

int
worker_run(int fd, volatile int *stop)
{
	FCGX_Request	 req;
	struct pollfd	 pfd;
	struct timespec	 tick = { 0, 500 * 1000 * 1000 };
	sigset_t	 stopsigs, waitmask;
	int		 rc;

	if (FCGX_Init() != 0) {
		log_err("FCGX_Init failed");
		return 1;
	}
	if (FCGX_InitRequest(&req, fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_err("FCGX_InitRequest failed");
		return 1;
	}
	/* Connect early so the first request does not pay for it; failure is fine
	 * here (the request will answer 503 and retry the connection). */
	(void)db_open();
	sigemptyset(&stopsigs);
	sigaddset(&stopsigs, SIGTERM);
	sigaddset(&stopsigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &stopsigs, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGHUP);
	while (!*stop) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		rc = ppoll(&pfd, 1, &tick, &waitmask);
		if (rc < 0 && errno != EINTR) {
			log_err("ppoll: %s", strerror(errno));
			break;
		}
		if (rc <= 0 || *stop)
			continue;
		if (FCGX_Accept_r(&req) < 0)
			continue;	/* another worker took it, or the peer went away */
		request_handle(&req);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 0);
	db_close();
	return 0;
}
