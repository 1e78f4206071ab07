/*
 * hashbound.c — the hash-bound ceiling of POST /login for `make bench`.
 *
 *   hashbound PROCS SECONDS MEMORY_KIB TIME LANES
 *
 * Forks PROCS processes that each compute Argon2id hashes with libgcrypt, as
 * kenpod does (src/crypto.c: gcry_kdf_open GCRY_KDF_ARGON2/GCRY_KDF_ARGON2ID,
 * params {tag length 32, TIME, MEMORY_KIB, LANES}, a 12-byte password, a fresh
 * random 16-byte salt per hash), back to back for SECONDS seconds. Prints one
 * line:
 *
 *   hashbound procs=P seconds=S hashes=N rate=R
 *
 * where S is the wall time from the start to the last process's last hash and
 * R = N / S hashes per second. A failed login costs kenpod exactly one such hash
 * (crypto_password_dummy for an unknown address), so with PROCS = the size of
 * kenpod's hash pool, R is what POST /login can reach at best on this machine:
 * the bench reports the page's rate as a fraction of it. Exit 1 when libgcrypt
 * refuses the parameters or a process fails.
 */
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gcrypt.h>

#define TAG_BYTES	32
#define SALT_BYTES	16

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One Argon2id hash; 0 or -1 (reported). */
static int
hash_once(unsigned long m, unsigned long t, unsigned long p)
{
	static const char pw[] = "Wrong-Pass1!";	/* 12 bytes */
	unsigned long	 param[4] = { TAG_BYTES, t, m, p };
	unsigned char	 salt[SALT_BYTES], tag[TAG_BYTES];
	gcry_kdf_hd_t	 h;
	gcry_error_t	 err;

	gcry_randomize(salt, sizeof(salt), GCRY_STRONG_RANDOM);
	if ((err = gcry_kdf_open(&h, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID, param, 4,
	    pw, sizeof(pw) - 1, salt, sizeof(salt), NULL, 0, NULL, 0)) != 0) {
		fprintf(stderr, "hashbound: gcry_kdf_open: %s\n", gcry_strerror(err));
		return -1;
	}
	if ((err = gcry_kdf_compute(h, NULL)) != 0 ||
	    (err = gcry_kdf_final(h, sizeof(tag), tag)) != 0) {
		fprintf(stderr, "hashbound: argon2: %s\n", gcry_strerror(err));
		gcry_kdf_close(h);
		return -1;
	}
	gcry_kdf_close(h);
	return 0;
}

int
main(int argc, char *argv[])
{
	unsigned long	 m, t, p;
	double		 secs, start, end, last = 0, v;
	long		 total = 0, count;
	int		 procs, i, fds[2], status, failed = 0;
	pid_t		 pid;
	FILE		*in;

	if (argc != 6 || (procs = atoi(argv[1])) < 1 || procs > 256 ||
	    (secs = atof(argv[2])) <= 0) {
		fprintf(stderr, "usage: hashbound PROCS SECONDS MEMORY_KIB TIME LANES\n");
		return 2;
	}
	m = strtoul(argv[3], NULL, 10);
	t = strtoul(argv[4], NULL, 10);
	p = strtoul(argv[5], NULL, 10);
	/* As kenpod: initialised once before forking (children draw distinct bytes). */
	if (!gcry_check_version(GCRYPT_VERSION)) {
		fprintf(stderr, "hashbound: libgcrypt version mismatch\n");
		return 1;
	}
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	if (pipe(fds) != 0) {
		perror("hashbound: pipe");
		return 1;
	}
	start = now();
	end = start + secs;
	for (i = 0; i < procs; i++) {
		if ((pid = fork()) < 0) {
			perror("hashbound: fork");
			return 1;
		}
		if (pid == 0) {
			close(fds[0]);
			count = 0;
			do {
				if (hash_once(m, t, p) != 0)
					_exit(1);
				count++;
			} while (now() < end);
			/* One short line per process: a single write on a pipe is atomic. */
			dprintf(fds[1], "%ld %.6f\n", count, now() - start);
			_exit(0);
		}
	}
	close(fds[1]);
	if ((in = fdopen(fds[0], "r")) == NULL)
		return 1;
	while (fscanf(in, "%ld %lf", &count, &v) == 2) {
		total += count;
		if (v > last)
			last = v;
	}
	fclose(in);
	for (;;) {
		if (wait(&status) < 0) {
			if (errno == EINTR)
				continue;
			break;		/* ECHILD: all done */
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = 1;
	}
	if (failed || last <= 0)
		return 1;
	printf("hashbound procs=%d seconds=%.3f hashes=%ld rate=%.2f\n", procs, last,
	    total, (double)total / last);
	return 0;
}
