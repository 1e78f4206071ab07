/*
 * image.c — image_normalise: an upload through kenpo-image and back (see
 * image.h; the helper's own checks are in src/kenpo-image.c).
 *
 * The helper policy in one screen:
 *   - one fresh process per image, started with posix_spawn (no copy of the
 *     worker's memory), every descriptor but its three pipes closed, default
 *     signal dispositions and an empty mask, an environment with nothing but
 *     the sanitizers' options; it sets its own rlimits before reading a byte;
 *   - its stdin is a socket, written with MSG_NOSIGNAL: a helper that stops
 *     reading (it refused the first bytes) costs us an EPIPE, never a SIGPIPE;
 *   - stdin, stdout and stderr are served by one poll loop, so neither side
 *     waits on a full pipe while the other waits on it (no deadlock);
 *   - stdout is read up to IMAGE_MAX_OUTPUT, stderr up to one line; past the
 *     wall-clock deadline (Verify.ImageTimeout) or the output cap the helper
 *     gets SIGKILL; it is always reaped (waitpid on its pid only, so other
 *     children of the process are not disturbed);
 *   - exit code 0 with a JPEG that image_sniff accepts is IMAGE_OK; exit codes
 *     1-5 are the helper's refusals; anything else (a signal, a failed exec,
 *     exit 6 or more, an output that does not check) is IMAGE_FAILED.
 * Logged: the outcome and the helper's reason line (ASCII only), never bytes.
 */
#include "autoconf.h"
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "config.h"
#include "image_sniff.h"
#include "log.h"
#include "util.h"

extern char **environ;

#define REASON_MAX	300	/* bytes of the helper's stderr kept */

const char *
image_result_key(enum image_result r)
{
	switch (r) {
	case IMAGE_OK:
		return "OK";
	case IMAGE_EMPTY:
		return "Empty";
	case IMAGE_TOO_LARGE:
		return "TooLarge";
	case IMAGE_TYPE:
		return "Type";
	case IMAGE_BROKEN:
		return "Broken";
	case IMAGE_DIMENSIONS:
		return "Dimensions";
	case IMAGE_FAILED:
		break;
	}
	return "Failed";
}

/* One child and its three descriptors (parent ends; -1 when closed). */
struct helper {
	pid_t		 pid;
	int		 in, out, err;
	struct buf	 jpeg;
	char		 reason[REASON_MAX + 1];
	size_t		 reason_len;
};

static void
close_fd(int *fd)
{
	if (*fd != -1) {
		close(*fd);
		*fd = -1;
	}
}

/*
 * The helper's environment: the sanitizers' options only (a sanitizer build
 * writes its reports where the test harness looks). NULL-terminated, the
 * strings are environ's.
 */
static char **
helper_env(char **env, size_t cap)
{
	size_t	 n = 0;
	char	**e;

	for (e = environ; e != NULL && *e != NULL && n + 1 < cap; e++)
		if (strncmp(*e, "ASAN_OPTIONS=", 13) == 0 ||
		    strncmp(*e, "UBSAN_OPTIONS=", 14) == 0 ||
		    strncmp(*e, "LSAN_OPTIONS=", 13) == 0)
			env[n++] = *e;
	env[n] = NULL;
	return env;
}

/* Start the helper with its pipes in h. 0, or -1 (logged). */
static int
helper_start(struct helper *h)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t	 none, all;
	const char	*path = config_str("Verify.ImageHelper");
	char		 bytes[32], pixels[32], *argv[4] = { NULL }, *env[8];
	int		 sv[2] = { -1, -1 }, po[2] = { -1, -1 };
	int		 pe[2] = { -1, -1 }, rc = -1, e;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 ||
	    pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) {
		log_err("image: pipes for the helper: %s", strerror(errno));
		goto out;
	}
	snprintf(bytes, sizeof(bytes), "%lld", config_int("Verify.MaxImageBytes"));
	snprintf(pixels, sizeof(pixels), "%lld", config_int("Verify.MaxPixels"));
	argv[0] = xstrdup(path);
	argv[1] = bytes;
	argv[2] = pixels;
	argv[3] = NULL;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	/* dup2 onto 0-2 clears close-on-exec there; the rest closes. */
	if ((e = posix_spawn_file_actions_adddup2(&fa, sv[1], 0)) != 0 ||
	    (e = posix_spawn_file_actions_adddup2(&fa, po[1], 1)) != 0 ||
	    (e = posix_spawn_file_actions_adddup2(&fa, pe[1], 2)) != 0 ||
	    (e = posix_spawn_file_actions_addclosefrom_np(&fa, 3)) != 0 ||
	    (e = posix_spawnattr_setsigmask(&attr, &none)) != 0 ||
	    (e = posix_spawnattr_setsigdefault(&attr, &all)) != 0 ||
	    (e = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF)) != 0 ||
	    (e = posix_spawn(&h->pid, path, &fa, &attr, argv,
	    helper_env(env, sizeof(env) / sizeof(env[0])))) != 0)
		log_err("image: cannot start the helper %s: %s", path,
		    strerror(e));
	else
		rc = 0;
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
 out:
	free(argv[0]);
	close_fd(&sv[1]);
	close_fd(&po[1]);
	close_fd(&pe[1]);
	if (rc == 0) {
		h->in = sv[0];
		h->out = po[0];
		h->err = pe[0];
		fcntl(h->in, F_SETFL, O_NONBLOCK);
		fcntl(h->out, F_SETFL, O_NONBLOCK);
		fcntl(h->err, F_SETFL, O_NONBLOCK);
	} else {
		close_fd(&sv[0]);
		close_fd(&po[0]);
		close_fd(&pe[0]);
	}
	return rc;
}

/*
 * Read what fd has into the JPEG buffer (out) or the reason (err); close it
 * at EOF or on error. -1 when the output passed IMAGE_MAX_OUTPUT.
 */
static int
helper_read(struct helper *h, int *fd)
{
	char	 chunk[16384];
	ssize_t	 n;

	for (;;) {
		n = read(*fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0) {
			close_fd(fd);
			return 0;
		}
		if (fd == &h->out) {
			if (h->jpeg.len + (size_t)n > IMAGE_MAX_OUTPUT)
				return -1;
			buf_append(&h->jpeg, chunk, (size_t)n);
		} else if (h->reason_len < REASON_MAX) {
			if ((size_t)n > REASON_MAX - h->reason_len)
				n = (ssize_t)(REASON_MAX - h->reason_len);
			memcpy(h->reason + h->reason_len, chunk, (size_t)n);
			h->reason_len += (size_t)n;
		}
	}
}

/*
 * Feed in[0..len) and collect the output until both outputs close. 0, or -1
 * on the deadline or the output cap (the helper is to be killed).
 */
static int
helper_pump(struct helper *h, const unsigned char *in, size_t len)
{
	struct pollfd	 p[3];
	int64_t		 deadline, left;
	size_t		 sent = 0;
	ssize_t		 n;
	int		 np, r;

	deadline = util_mono_ms() + 1000 * config_int("Verify.ImageTimeout");
	while (h->out != -1 || h->err != -1) {
		if ((left = deadline - util_mono_ms()) <= 0) {
			log_err("image: the helper took more than %lld s: killed",
			    config_int("Verify.ImageTimeout"));
			return -1;
		}
		np = 0;
		if (h->in != -1)
			p[np++] = (struct pollfd){ h->in, POLLOUT, 0 };
		if (h->out != -1)
			p[np++] = (struct pollfd){ h->out, POLLIN, 0 };
		if (h->err != -1)
			p[np++] = (struct pollfd){ h->err, POLLIN, 0 };
		if ((r = poll(p, (nfds_t)np, (int)(left > 1000 ? 1000 : left))) < 0 &&
		    errno != EINTR) {
			log_err("image: poll: %s", strerror(errno));
			return -1;
		}
		if (r <= 0)
			continue;
		if (h->in != -1 && p[0].revents != 0) {
			n = send(h->in, in + sent, len - sent,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n > 0)
				sent += (size_t)n;
			/* All sent (EOF for the helper), or it stopped reading:
			 * its exit code will say why. */
			if (sent == len || (n < 0 && errno != EAGAIN &&
			    errno != EWOULDBLOCK && errno != EINTR))
				close_fd(&h->in);
		}
		if (h->out != -1 && helper_read(h, &h->out) != 0) {
			log_err("image: the helper wrote more than %u bytes:"
			    " killed", IMAGE_MAX_OUTPUT);
			return -1;
		}
		if (h->err != -1)
			(void)helper_read(h, &h->err);
	}
	return 0;
}

/* The helper's reason as one printable ASCII line (into h->reason). */
static const char *
helper_reason(struct helper *h)
{
	size_t	 i;

	h->reason[h->reason_len] = '\0';
	for (i = 0; i < h->reason_len; i++) {
		if (h->reason[i] == '\n') {
			h->reason[i] = '\0';
			break;
		}
		if (h->reason[i] < 0x20 || h->reason[i] > 0x7e)
			h->reason[i] = '?';
	}
	return h->reason_len > 0 ? h->reason : "(no reason given)";
}

enum image_result
image_normalise(const unsigned char *in, size_t len, unsigned char **jpeg,
    size_t *jpeg_len, unsigned *width, unsigned *height)
{
	struct helper	 h;
	struct image_info info;
	enum image_result res = IMAGE_FAILED;
	int		 st = 0, killed = 0;
	pid_t		 w;

	*jpeg = NULL;
	*jpeg_len = 0;
	*width = *height = 0;
	if (len == 0)
		return IMAGE_EMPTY;
	/* Refused here already: no process for what the helper would refuse. */
	if ((long long)len > config_int("Verify.MaxImageBytes"))
		return IMAGE_TOO_LARGE;
	memset(&h, 0, sizeof(h));
	h.in = h.out = h.err = -1;
	if (helper_start(&h) != 0)
		return IMAGE_FAILED;
	if (helper_pump(&h, in, len) != 0) {
		kill(h.pid, SIGKILL);
		killed = 1;
	}
	close_fd(&h.in);
	close_fd(&h.out);
	close_fd(&h.err);
	while ((w = waitpid(h.pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (w != h.pid) {
		log_err("image: waitpid: %s", strerror(errno));
		goto out;
	}
	if (killed)
		goto out;
	if (WIFSIGNALED(st)) {
		log_err("image: the helper died of signal %d (%s)", WTERMSIG(st),
		    WTERMSIG(st) == SIGXCPU || WTERMSIG(st) == SIGKILL ?
		    "CPU time limit" : "a crash or the memory limit");
		goto out;
	}
	if (WEXITSTATUS(st) > IMAGE_OK && WEXITSTATUS(st) < IMAGE_FAILED) {
		res = (enum image_result)WEXITSTATUS(st);
		log_info("image: refused (%s): %s", image_result_key(res),
		    helper_reason(&h));
		goto out;
	}
	if (WEXITSTATUS(st) != IMAGE_OK) {
		log_err("image: the helper failed (exit %d): %s",
		    WEXITSTATUS(st), helper_reason(&h));
		goto out;
	}
	if (image_sniff((unsigned char *)h.jpeg.data, h.jpeg.len, &info) !=
	    IMAGE_OK || info.kind != IMAGE_KIND_JPEG) {
		log_err("image: the helper's output is not a JPEG");
		goto out;
	}
	*jpeg = (unsigned char *)h.jpeg.data;
	*jpeg_len = h.jpeg.len;
	*width = info.width;
	*height = info.height;
	h.jpeg.data = NULL;
	res = IMAGE_OK;
 out:
	buf_free(&h.jpeg);
	return res;
}
