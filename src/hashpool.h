/*
 * hashpool.h — the password-hashing pool of kenpod.
 *
 * Argon2id at the configured cost takes ~19 MiB and ~20 ms of one core per hash.
 * A page worker never computes one: it hands the job to one of Server.HashWorkers
 * pool processes ("kenpod-hash" in ps) and waits for the tag. So a flood of login
 * or signup posts costs at most HashWorkers × the Argon2 area (each pool process
 * keeps and reuses its own), page workers stay small, and at most Server.HashQueue
 * page workers wait for the pool at once: the others keep serving pages, and a
 * hash asked for beyond that bound fails at once with CRYPTO_BUSY (the page
 * answers 503 with Retry-After).
 *
 * Transport: one SOCK_SEQPACKET socketpair made by the master before forking.
 * Page workers send jobs on one end, pool processes receive on the other (each
 * message goes to exactly one of them). A job carries one end of a socket pair
 * made for it alone (SCM_RIGHTS); the answer comes back on it. The worker keeps
 * no copy of that end, so a pool process that dies with the job closes it and
 * the worker sees the end of file at once (and sends the job again, once).
 * The waiting bound is a table of HashQueue slots in shared memory: a worker
 * takes a free slot (compare and swap of its pid) before it sends, and the
 * master frees the slot of a worker that died holding one.
 */
#ifndef KENPO_HASHPOOL_H
#define KENPO_HASHPOOL_H

#include <sys/types.h>

/* Master, before forking: the channel and the slot table. 0 or -1 (logged). */
int	 hashpool_init(void);
/* The number of pool processes to run: Server.HashWorkers, 0 = online CPUs. */
int	 hashpool_size(void);
/* In a page worker: send every Argon2 computation of crypto.c to the pool. */
void	 hashpool_client(void);
/* In a pool process: serve jobs until *stop. Returns the exit status. */
int	 hashpool_run(volatile int *stop);
/*
 * In a page worker: 1 when Server.HashQueue requests already wait for the pool,
 * so that a form that would hash can answer 503 before any other work (a flood
 * is then refused at the cost of a shared-memory read). The room may be gone by
 * the time the hash is asked for: that still answers CRYPTO_BUSY. 0 elsewhere.
 */
int	 hashpool_full(void);
/*
 * In a page worker: take a waiting place for the hashes this request will ask
 * for, before work that a refusal would have to undo (a login counts its
 * failure ahead of the hash: src/pages/login.c). Until hashpool_release(), the
 * hashes of this process use that place and cannot be refused for want of one.
 * 0, or CRYPTO_BUSY when Server.HashQueue workers already wait (counted and
 * logged as a busy answer). 0 elsewhere: nothing to take (no pool, or not a
 * page worker). Taking a place twice keeps the first.
 */
int	 hashpool_reserve(void);
/* Give the place of hashpool_reserve back, if one is held. */
void	 hashpool_release(void);
/* Master: pid has died; free a waiting slot it may have held. */
void	 hashpool_forget(pid_t);
/* In a child that does neither (the mailer): close the channel. */
void	 hashpool_close(void);

#endif
