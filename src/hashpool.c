/*
 * hashpool.c — the password-hashing pool (see hashpool.h for the model).
 */
#include "autoconf.h"
#include "hashpool.h"

#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "crypto.h"
#include "log.h"
#include "metrics.h"
#include "util.h"

#define SLOTS_MAX	256	/* Server.HashQueue's ceiling (config.c) */
#define SALT_MAX	64
#define TAG_MAX		64
#define WAIT_MS		15000	/* a healthy pool answers within HashQueue hashes */

struct job {
	uint32_t	 seq;
	uint32_t	 m, t, p;
	uint32_t	 saltlen, taglen, pwlen;
	unsigned char	 salt[SALT_MAX];
	char		 pw[CRYPTO_PASSWORD_MAX];
};

struct answer {
	uint32_t	 seq;
	int32_t		 status;	/* 0 or -1 */
	unsigned char	 tag[TAG_MAX];
};

static int	 chan[2] = { -1, -1 };	/* [0] page workers send, [1] the pool receives */
static pid_t	*slots;			/* shared: pid of each waiting worker, or 0 */
static int	 held = -1;		/* the slot of hashpool_reserve, or -1 */
static uint32_t	 seq;

int
hashpool_size(void)
{
	long long	 n = config_int("Server.HashWorkers");
	long		 cpus;

	if (n > 0)
		return (int)n;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus > 0 ? (int)cpus : 1;
}

/*
 * Server.HashQueue: how many page workers may wait for the pool at once. 0 =
 * twice the pool (so that a pool process finds its next job waiting), but never
 * every page worker: one at least stays free for pages.
 */
static int
queue_size(void)
{
	long long	 n = config_int("Server.HashQueue");
	long long	 w = config_int("Server.Workers");

	if (n <= 0) {
		n = 2LL * hashpool_size();
		if (n > w - 1)
			n = w - 1;
		if (n < 1)
			n = 1;
	}
	return n > SLOTS_MAX ? SLOTS_MAX : (int)n;
}

int
hashpool_init(void)
{
	void	*p;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, chan) != 0) {
		log_err("hash pool: socketpair: %s", strerror(errno));
		return -1;
	}
	p = mmap(NULL, SLOTS_MAX * sizeof(pid_t), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_err("hash pool: mmap: %s", strerror(errno));
		return -1;
	}
	slots = p;
	return 0;
}

void
hashpool_forget(pid_t pid)
{
	pid_t	 want;
	int	 i;

	if (slots == NULL)
		return;
	for (i = 0; i < SLOTS_MAX; i++) {
		want = pid;
		__atomic_compare_exchange_n(&slots[i], &want, 0, 0,
		    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	}
}

void
hashpool_close(void)
{
	if (chan[0] >= 0)
		close(chan[0]);
	if (chan[1] >= 0)
		close(chan[1]);
	chan[0] = chan[1] = -1;
}

/* ---------------------------------------------------------------- the pool */

/* Receive one job and the reply descriptor that came with it. 1, 0 (none), -1. */
static int
job_recv(struct job *j, int *fd)
{
	union {
		struct cmsghdr	 h;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec	 iov = { j, sizeof(*j) };
	struct msghdr	 msg;
	struct cmsghdr	*c;
	ssize_t		 n;

	*fd = -1;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	if ((n = recvmsg(chan[1], &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC)) < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	if (*fd < 0 || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    (size_t)n < offsetof(struct job, pw) ||
	    j->saltlen > SALT_MAX || j->taglen > TAG_MAX ||
	    j->pwlen > CRYPTO_PASSWORD_MAX ||
	    (size_t)n != offsetof(struct job, pw) + j->pwlen) {
		log_err("hash pool: malformed job");
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return 0;
	}
	return 1;
}

int
hashpool_run(volatile int *stop)
{
	struct job	 j;
	struct answer	 a;
	struct pollfd	 pfd;
	int64_t		 stop_at = 0;
	int		 fd, rc;

	close(chan[0]);
	chan[0] = -1;
	/*
	 * Keep the Argon2 area (19 MiB at the default cost) in the heap between
	 * hashes: glibc would map each one afresh and unmap it after, and the
	 * page faults and the kernel's freeing cost a fifth of each hash. No
	 * mmap at all (M_MMAP_THRESHOLD cannot exceed 32 MiB, an operator's cost
	 * may), and no trimming of the heap's top.
	 */
	if (mallopt(M_MMAP_MAX, 0) != 1 ||
	    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024) != 1)
		log_warn("hash pool: mallopt failed; each hash maps its own memory");
	for (;;) {
		/*
		 * Asked to stop, serve what page workers still send while they
		 * finish their requests: stop when no job came for 200 ms, or 3 s
		 * after the request (a new generation serves the channel then).
		 */
		if (*stop && stop_at == 0)
			stop_at = util_mono_ms() + 3000;
		if (stop_at != 0 && util_mono_ms() >= stop_at)
			break;
		pfd.fd = chan[1];
		pfd.events = POLLIN;
		pfd.revents = 0;
		if ((rc = poll(&pfd, 1, stop_at != 0 ? 200 : 500)) < 0 &&
		    errno != EINTR) {
			log_err("hash pool: poll: %s", strerror(errno));
			return 1;
		}
		if (rc == 0 && stop_at != 0)
			break;
		if (rc <= 0)
			continue;
		if ((rc = job_recv(&j, &fd)) < 0) {
			log_err("hash pool: recvmsg: %s", strerror(errno));
			return 1;
		}
		if (rc == 0)
			continue;
		memset(&a, 0, sizeof(a));
		a.seq = j.seq;
		a.status = crypto_argon2id(j.pw, j.pwlen, j.salt, j.saltlen, j.m, j.t,
		    j.p, a.tag, j.taglen) == 0 ? 0 : -1;
		util_wipe(&j, sizeof(j));
		metrics_add(M_HASH_DONE, 1);
		/* The worker may have given up and gone: that is its business. */
		if (send(fd, &a, sizeof(a), MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
		    errno != EPIPE && errno != ECONNRESET && errno != EAGAIN)
			log_warn("hash pool: cannot answer: %s", strerror(errno));
		util_wipe(&a, sizeof(a));
		close(fd);
	}
	return 0;
}

/* ---------------------------------------------------------------- page workers */

/*
 * A refusal: counted in kenpo_hash_busy_total every time, logged at most once a
 * second per worker with the number refused since (a flood must not fill the
 * disk with one line per refused request).
 */
static void
busy(const char *why)
{
	static int64_t	 last;
	static long	 quiet;
	int64_t		 now = util_mono_ms();

	metrics_add(M_HASH_BUSY, 1);
	if (last != 0 && now - last < 1000) {
		quiet++;
		return;
	}
	if (quiet > 0)
		log_warn("hash pool: %s; answering busy (and %ld more since the last "
		    "line)", why, quiet);
	else
		log_warn("hash pool: %s; answering busy", why);
	last = now;
	quiet = 0;
}

/* Take a free waiting slot: its index, or -1 when HashQueue workers wait. */
static int
slot_take(void)
{
	pid_t	 me = getpid(), want;
	int	 i, n = queue_size();

	for (i = 0; i < n; i++) {
		want = 0;
		if (__atomic_compare_exchange_n(&slots[i], &want, me, 0,
		    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return i;
	}
	return -1;
}

int
hashpool_full(void)
{
	int	 i, n;

	if (slots == NULL || chan[1] >= 0)	/* not a page worker's view */
		return 0;
	n = queue_size();
	for (i = 0; i < n; i++)
		if (__atomic_load_n(&slots[i], __ATOMIC_RELAXED) == 0)
			return 0;
	busy("every waiting place is taken");
	return 1;
}

static void
slot_give(int i)
{
	__atomic_store_n(&slots[i], 0, __ATOMIC_SEQ_CST);
}

int
hashpool_reserve(void)
{
	if (slots == NULL || chan[1] >= 0 || held >= 0)
		return 0;
	if ((held = slot_take()) < 0) {
		busy("every waiting place is taken");
		return CRYPTO_BUSY;
	}
	return 0;
}

void
hashpool_release(void)
{
	if (held >= 0)
		slot_give(held);
	held = -1;
}

/* Send j with the answer socket fd. 0, CRYPTO_BUSY (the channel is full) or -1. */
static int
job_send(struct job *j, int fd)
{
	union {
		struct cmsghdr	 h;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec	 iov = { j, offsetof(struct job, pw) + j->pwlen };
	struct msghdr	 msg;
	struct cmsghdr	*c;

	memset(&msg, 0, sizeof(msg));
	memset(&cm, 0, sizeof(cm));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(chan[0], &msg, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
		return 0;
	if (errno == EAGAIN || errno == ENOBUFS) {
		busy("the job channel is full");
		return CRYPTO_BUSY;
	}
	log_err("hash pool: sendmsg: %s", strerror(errno));
	return -1;
}

/*
 * Wait on fd for the answer to job number want. 0; 1 when the job was lost (the
 * pool process that took it died: its end of the socket closed unanswered);
 * -1 (logged); CRYPTO_BUSY (no answer in time).
 */
static int
answer_wait(int fd, uint32_t want, unsigned char *tag, size_t taglen)
{
	struct answer	 a;
	struct pollfd	 pfd;
	int64_t		 end = util_mono_ms() + WAIT_MS, left;
	ssize_t		 n;
	int		 rc;

	for (;;) {
		if ((left = end - util_mono_ms()) <= 0) {
			log_err("hash pool: no answer in %d s", WAIT_MS / 1000);
			metrics_add(M_HASH_BUSY, 1);
			return CRYPTO_BUSY;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if ((rc = poll(&pfd, 1, (int)left)) < 0) {
			if (errno == EINTR)
				continue;
			log_err("hash pool: poll: %s", strerror(errno));
			return -1;
		}
		if (rc == 0)
			continue;
		if ((n = recv(fd, &a, sizeof(a), MSG_DONTWAIT)) < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			log_err("hash pool: recv: %s", strerror(errno));
			return -1;
		}
		if (n == 0)
			return 1;
		if ((size_t)n != sizeof(a) || a.seq != want) {
			util_wipe(&a, sizeof(a));
			log_err("hash pool: a malformed answer");
			return -1;
		}
		/* Read the status before the wipe: after it, it always reads 0. */
		rc = a.status == 0 ? 0 : -1;
		if (rc == 0)
			memcpy(tag, a.tag, taglen);
		else
			log_err("hash pool: the pool could not compute a hash");
		util_wipe(&a, sizeof(a));
		return rc;
	}
}

/*
 * One job: a fresh answer socket pair per job; the far end travels with the job
 * and we close our copy of it, so that if the pool process holding it dies, we
 * see the end of file at once (and send the job again, once) instead of waiting.
 */
static int
job_run(struct job *j, unsigned char *tag, size_t taglen)
{
	int	 sv[2], rc;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		log_err("hash pool: socketpair: %s", strerror(errno));
		return -1;
	}
	j->seq = ++seq;
	rc = job_send(j, sv[1]);
	close(sv[1]);
	if (rc == 0)
		rc = answer_wait(sv[0], j->seq, tag, taglen);
	close(sv[0]);
	return rc;
}

static int
pool_argon2id(const char *pw, size_t pwlen, const unsigned char *salt,
    size_t saltlen, unsigned m, unsigned t, unsigned p, unsigned char *tag,
    size_t taglen)
{
	struct job	 j;
	int		 slot, rc;

	if (saltlen > SALT_MAX || taglen > TAG_MAX || pwlen > CRYPTO_PASSWORD_MAX)
		return -1;
	/* The place taken ahead by hashpool_reserve, or one for this hash. */
	if ((slot = held) < 0 && (slot = slot_take()) < 0) {
		busy("every waiting place is taken");
		return CRYPTO_BUSY;
	}
	memset(&j, 0, offsetof(struct job, pw));
	j.m = m;
	j.t = t;
	j.p = p;
	j.saltlen = (uint32_t)saltlen;
	j.taglen = (uint32_t)taglen;
	j.pwlen = (uint32_t)pwlen;
	memcpy(j.salt, salt, saltlen);
	memcpy(j.pw, pw, pwlen);
	if ((rc = job_run(&j, tag, taglen)) == 1) {
		log_warn("hash pool: a pool process died with our job; sending it again");
		if ((rc = job_run(&j, tag, taglen)) == 1) {
			log_err("hash pool: the job was lost twice");
			rc = -1;
		}
	}
	util_wipe(&j, sizeof(j));
	if (slot != held)
		slot_give(slot);
	return rc;
}

void
hashpool_client(void)
{
	close(chan[1]);
	chan[1] = -1;
	crypto_argon2id_offload(pool_argon2id);
}
