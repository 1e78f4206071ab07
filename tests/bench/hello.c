/*
 * hello.c — the baseline of `make bench`: a bare libfcgi "hello" with kenpod's
 * accept model and nothing else.
 *
 *   hello SOCKET WORKERS [BACKLOG]
 *
 * Listens on the unix socket path SOCKET (FCGX_OpenSocket, backlog BACKLOG,
 * default 128 = kenpod's Server.Backlog), forks WORKERS prefork workers and
 * waits; SIGTERM or SIGINT stops the workers and removes the socket. Each worker
 * answers every request with 200 and a fixed page of a few hundred bytes.
 *
 * Why this shape: the figures of kenpod's pages are read as ratios to this
 * program, so it must cost what kenpod's plumbing costs and no more. Like
 * src/kenpod.c and src/worker.c it shares one NON-BLOCKING listening socket among
 * its workers; an idle worker waits in poll() and then calls FCGX_Accept_r, which
 * fails with EAGAIN when another worker won the connection (the thundering herd
 * is part of what kenpod pays too). One request at a time per process, no
 * keep-alive (nginx opens a FastCGI connection per request, as for kenpod). No
 * templates, no database, no cookies, no security headers: that difference is
 * what the bench measures. It is compiled by tests/bench/run.py with
 * `cc -O2 hello.c -lfcgi` and runs behind the same nginx configuration
 * (contrib/nginx/dev.conf.in) with as many workers as kenpod.
 *
 * Dead workers are not replaced: a benchmark that loses one shows it in its
 * figures (and the bench checks the page before measuring).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

static const char page[] =
    "Status: 200 OK\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head><meta charset=\"utf-8\"><title>hello</title></head>\n"
    "<body><h1>Hello</h1><p>A bare libfcgi worker: the baseline of make bench.</p>"
    "</body>\n"
    "</html>\n";

static volatile sig_atomic_t stop;

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* The accept loop of one worker (src/worker.c without the request handling). */
static int
worker(int fd)
{
	FCGX_Request	 req;
	struct pollfd	 pfd;
	int		 rc;

	if (FCGX_InitRequest(&req, fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		fprintf(stderr, "hello: FCGX_InitRequest failed\n");
		return 1;
	}
	while (!stop) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		rc = poll(&pfd, 1, 500);
		if (rc < 0 && errno != EINTR) {
			perror("hello: poll");
			return 1;
		}
		if (rc <= 0 || stop)
			continue;
		if (FCGX_Accept_r(&req) < 0)
			continue;	/* another worker took it, or the peer went away */
		FCGX_PutStr(page, (int)sizeof(page) - 1, req.out);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 0);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct sigaction sa;
	sigset_t	 stopsigs, old;
	pid_t		*pids;
	int		 fd, flags, n, backlog, i, status;

	if (argc < 3 || argc > 4 || (n = atoi(argv[2])) < 1 || n > 256) {
		fprintf(stderr, "usage: hello SOCKET WORKERS [BACKLOG]\n");
		return 2;
	}
	backlog = argc == 4 ? atoi(argv[3]) : 128;
	if (FCGX_Init() != 0) {
		fprintf(stderr, "hello: FCGX_Init failed\n");
		return 1;
	}
	unlink(argv[1]);
	if ((fd = FCGX_OpenSocket(argv[1], backlog)) < 0) {
		fprintf(stderr, "hello: cannot listen on %s\n", argv[1]);
		return 1;
	}
	/* kenpod's default Server.SocketMode. */
	if (chmod(argv[1], 0660) != 0 ||
	    (flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		perror("hello: socket setup");
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: poll() must return on the signal. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Blocked until the master waits in sigsuspend (no lost wake-up); each
	 * worker unblocks them at once. */
	sigemptyset(&stopsigs);
	sigaddset(&stopsigs, SIGTERM);
	sigaddset(&stopsigs, SIGINT);
	sigprocmask(SIG_BLOCK, &stopsigs, &old);

	if ((pids = calloc((size_t)n, sizeof(*pids))) == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		if ((pids[i] = fork()) < 0) {
			perror("hello: fork");
			stop = 1;
			break;
		}
		if (pids[i] == 0) {
			sigprocmask(SIG_SETMASK, &old, NULL);
			_exit(worker(fd));
		}
	}
	while (!stop)
		sigsuspend(&old);
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
				;
	unlink(argv[1]);
	free(pids);
	return 0;
}
