/*
 * driver.c — a plain-C main for the libFuzzer-style targets in tests/fuzz, so that
 * `make check` fuzzes every parser on every build with gcc alone.
 *
 * A target program fuzz_<name> (this file + fuzz_<name>.c) does, with no arguments:
 *   1. replay every file of tests/fuzz/corpus/<name>/ (the seeds) and of
 *      tests/fuzz/crashes/<name>/ (reproducers of bugs found: they keep failing
 *      until the bug is fixed);
 *   2. run seeded pseudo-random mutations of those inputs (bit flips, byte
 *      changes, insertions of dictionary tokens and of random UTF-8, deletions,
 *      duplications, splices of two corpus entries) until a budget is spent:
 *      FUZZ_RUNS executions (default 20000) or FUZZ_SECONDS (default 2),
 *      whichever comes first. The same FUZZ_SEED (default 1) gives the same
 *      sequence of inputs.
 * With FILE or DIR arguments it replays just those (to reproduce a crash, or as
 * the program AFL++ runs with @@); add -n or -t to mutate them as well.
 *
 * There is no coverage feedback: this is a smoke fuzzer that keeps the targets
 * building and their invariants checked. Long runs belong to libFuzzer or AFL++
 * (README.md). On a crash or a timeout the input is written to
 * ./fuzz-crash-<name> and the seed and execution number are printed.
 *
 * The tests/fuzz directory is $FUZZ_DIR, else $KENPO_SRC/tests/fuzz (make check
 * sets KENPO_SRC), else the directory this file was compiled from.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct input {
	unsigned char	*d;
	size_t		 n;
};

struct inputs {
	struct input	*v;
	size_t		 n, cap;
};

/* The run, for the crash handler (which may only use async-signal-safe calls). */
static const unsigned char *cur_data;
static size_t		 cur_size;
static const char	*cur_what = "";
static char		 crash_path[128];
static char		 crash_msg[512];

static struct inputs	 corpus;	/* seeds, reproducers, kept mutants */
static size_t		 nfixed;	/* entries of corpus never replaced */
static struct inputs	 dict;		/* tokens to insert */
static uint64_t		 rng_state;

/*
 * Tokens every target gets, on top of tests/fuzz/dict/<name>.dict: the byte
 * sequences that break parsers of Japanese text and numbers.
 */
static const char *const builtin_tokens[] = {
	"\xef\xbd\xb6", "\xef\xbe\x9e", "\xef\xbe\x9f", "\xef\xbd\xb0",	/* ｶ ﾞ ﾟ ｰ */
	"\xe3\x83\xbc", "\xe3\x80\x9c", "\xef\xbd\x9e", "\xef\xbc\x8d",	/* ー 〜 ～ － */
	"\xe3\x83\xbb", "\xe3\x80\x80", "\xef\xbb\xbf",		/* ・ U+3000 BOM */
	"\xe3\x82\x9b", "\xe3\x82\x99", "\xe3\x82\x9d", "\xe3\x83\xbe",	/* ゛ U+3099 ゝ ヾ */
	"\xe3\x8d\xbb", "\xe2\x91\xa0", "\xef\xbc\x90", "\xef\xbc\xa1",	/* ㍻ ① ０ Ａ */
	"\xc3\x9f", "\xef\xac\x80", "\xc4\xb0", "\xcc\x81",	/* ß ﬀ İ U+0301 */
	"\xe2\x80\x8b", "\xc2\xa0", "\xc2\x85",			/* ZWSP NBSP NEL */
	"\xc0\x80", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80",	/* overlong, surrogate */
	"\xf4\x90\x80\x80", "\xf0\x9f\x98\x80", "\xf8\x88\x80\x80\x80",
	"\x83\x4a", "\x82\xa0", "\x81\x5b", "\x81\x60", "\x87\x40",	/* CP932 */
	"\xb6\xde", "\x5c", "\x7e", "\xfc\xfc",
	"99999999999999999999", "9223372036854775807", "9223372036854775808",
	"-9223372036854775808", "-9223372036854775809", "18446744073709551616",
	"4294967295", "4294967296", "2147483648", "0000000000", "-0", "00",
	"\r\n", "\n", "\t", "\x7f", "%", "%00", "=?", "?=",
};

static uint64_t
rng_next(void)
{
	uint64_t	 z;

	/* splitmix64: fast, and good enough to pick mutations. */
	z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform-enough in [0, n); 0 when n is 0. */
static size_t
rnd(size_t n)
{
	return n == 0 ? 0 : (size_t)(rng_next() % n);
}

static void *
xalloc(size_t n)
{
	void	*p = malloc(n > 0 ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "fuzz: out of memory\n");
		exit(99);
	}
	return p;
}

static void
inputs_add(struct inputs *s, const void *d, size_t n)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		if ((s->v = realloc(s->v, s->cap * sizeof(*s->v))) == NULL) {
			fprintf(stderr, "fuzz: out of memory\n");
			exit(99);
		}
	}
	s->v[s->n].d = xalloc(n);
	if (n > 0)
		memcpy(s->v[s->n].d, d, n);
	s->v[s->n].n = n;
	s->n++;
}

static void
inputs_free(struct inputs *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].d);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Write the failing input where a human finds it, then die of the same signal. */
static void
on_crash(int sig)
{
	int	 fd;
	ssize_t	 w;

	if ((fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0) {
		if (cur_size > 0)
			w = write(fd, cur_data, cur_size);
		close(fd);
	}
	w = write(2, crash_msg, strlen(crash_msg));
	w = write(2, cur_what, strlen(cur_what));
	w = write(2, sig == SIGALRM ? " (timeout)\n" : "\n",
	    sig == SIGALRM ? 11 : 1);
	(void)w;
	if (sig == SIGALRM)
		sig = SIGABRT;
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

static unsigned	 exec_timeout = 10;	/* seconds per input */

#define ALTSTACK	(64 * 1024)
static char		 altstack[ALTSTACK];	/* the crash handler's own stack */

/* Run one input through the target. */
static void
run_one(const unsigned char *d, size_t n, const char *what)
{
	unsigned char	*copy;

	/* A private copy of exactly n bytes: reading past it is a valgrind error. */
	copy = xalloc(n);
	if (n > 0)
		memcpy(copy, d, n);
	cur_data = copy;
	cur_size = n;
	cur_what = what;
	alarm(exec_timeout);
	(void)LLVMFuzzerTestOneInput(copy, n);
	alarm(0);
	free(copy);
}

/* Read a whole (regular) file of at most 1 MiB. 0 or -1 (reported). */
static int
read_file(const char *path, unsigned char **data, size_t *size)
{
	FILE		*fp;
	unsigned char	*d;
	size_t		 n;
	struct stat	 st;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > 1024 * 1024) {
		fprintf(stderr, "fuzz: %s: not a regular file of at most 1 MiB\n",
		    path);
		fclose(fp);
		return -1;
	}
	d = xalloc((size_t)st.st_size);
	n = fread(d, 1, (size_t)st.st_size, fp);
	fclose(fp);
	*data = d;
	*size = n;
	return 0;
}

/* out = a/b/c + suffix (empty parts left out); exits when it does not fit. */
static void
pathf(char out[PATH_MAX], const char *a, const char *b, const char *c,
    const char *suffix)
{
	int	 n;

	n = snprintf(out, PATH_MAX, "%s%s%s%s%s%s", a, *b ? "/" : "", b,
	    *c ? "/" : "", c, suffix);
	if (n < 0 || n >= PATH_MAX) {
		fprintf(stderr, "fuzz: path too long: %s\n", a);
		exit(2);
	}
}

static int
skip_name(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Longer inputs are replayed but not mutated (each run would be slow). */
#define KEEP_MAX	65536

/*
 * Replay path (a file, or every file of a directory, in name order) and add what
 * was run to the corpus. A missing directory is fine when optional.
 * Returns the number of files run, or -1.
 */
static long
replay(const char *path, int optional)
{
	struct dirent	**names = NULL;
	struct stat	 st;
	unsigned char	*d;
	size_t		 n;
	char		 sub[PATH_MAX];
	int		 k, i;
	long		 count = 0;

	if (stat(path, &st) != 0) {
		if (optional && errno == ENOENT)
			return 0;
		fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (read_file(path, &d, &n) != 0)
			return -1;
		run_one(d, n, path);
		if (n <= KEEP_MAX)
			inputs_add(&corpus, d, n);
		free(d);
		return 1;
	}
	if ((k = scandir(path, &names, skip_name, alphasort)) < 0) {
		fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < k; i++) {
		pathf(sub, path, names[i]->d_name, "", "");
		if (stat(sub, &st) == 0 && S_ISREG(st.st_mode)) {
			if (read_file(sub, &d, &n) != 0) {
				count = -1;
				break;
			}
			run_one(d, n, sub);
			if (n <= KEEP_MAX)
				inputs_add(&corpus, d, n);
			free(d);
			count++;
		}
	}
	for (i = 0; i < k; i++)
		free(names[i]);
	free(names);
	return count;
}

/*
 * Load a libFuzzer/AFL++ dictionary: lines `name="value"` or `"value"`, with \\,
 * \" and \xNN escapes; # comments. Bad lines are skipped. A missing file is fine.
 */
static void
load_dict(const char *path)
{
	FILE		*fp;
	char		 line[4096];
	unsigned char	 tok[4096];
	char		*p;
	size_t		 n;
	int		 hi, lo;

	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if ((p = strchr(line, '"')) == NULL || line[0] == '#')
			continue;
		for (p++, n = 0; *p != '\0' && *p != '"' && n < sizeof(tok); p++) {
			if (*p == '\\' && p[1] == 'x' &&
			    (hi = util_hexval((unsigned char)p[2])) >= 0 &&
			    (lo = util_hexval((unsigned char)p[3])) >= 0) {
				tok[n++] = (unsigned char)(hi << 4 | lo);
				p += 3;
			} else if (*p == '\\' && (p[1] == '\\' || p[1] == '"'))
				tok[n++] = (unsigned char)*++p;
			else
				tok[n++] = (unsigned char)*p;
		}
		if (*p == '"' && n > 0)
			inputs_add(&dict, tok, n);
	}
	fclose(fp);
}

/* Room for k more bytes in a buffer of *n used bytes, capped at cap. */
static size_t
room(size_t n, size_t cap, size_t k)
{
	return n + k <= cap ? k : cap - n;
}

/* Insert k bytes src at position at of buf (length *n, capacity cap). */
static void
insert(unsigned char *buf, size_t *n, size_t cap, size_t at,
    const unsigned char *src, size_t k)
{
	k = room(*n, cap, k);
	if (k == 0)
		return;
	memmove(buf + at + k, buf + at, *n - at);
	memcpy(buf + at, src, k);
	*n += k;
}

/* Encode a random code point, biased to the blocks Japanese text lives in. */
static size_t
random_utf8(unsigned char out[4])
{
	static const uint32_t	 blocks[][2] = {
		{ 0x20, 0x7e }, { 0x80, 0x7ff }, { 0x3000, 0x30ff },
		{ 0xff00, 0xffef }, { 0x2000, 0x206f }, { 0x4e00, 0x9fff },
		{ 0x800, 0xffff }, { 0x10000, 0x10ffff }, { 0x31f0, 0x31ff },
		{ 0x3300, 0x33ff }, { 0x2460, 0x24ff }, { 0x300, 0x36f },
	};
	size_t		 b = rnd(sizeof(blocks) / sizeof(blocks[0]));
	uint32_t	 c;

	c = blocks[b][0] + (uint32_t)rnd(blocks[b][1] - blocks[b][0] + 1);
	if (c >= 0xd800 && c <= 0xdfff)
		c = 0xfffd;
	if (c < 0x80) {
		out[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (unsigned char)(0xc0 | c >> 6);
		out[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (unsigned char)(0xe0 | c >> 12);
		out[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | c >> 18);
	out[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

/* Apply one random mutation to buf (length *n, capacity cap). */
static void
mutate_once(unsigned char *buf, size_t *n, size_t cap)
{
	static const unsigned char interesting[] = {
		0x00, 0x01, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x22, 0x24, 0x25, 0x2c,
		0x2d, 0x2e, 0x2f, 0x30, 0x39, 0x3a, 0x3d, 0x3f, 0x5c, 0x7f, 0x80,
		0x81, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe3, 0xed, 0xef,
		0xf0, 0xf4, 0xf5, 0xfe, 0xff,
	};
	unsigned char	 tmp[64];
	const struct input *o;
	size_t		 at, k, from;

	switch (rnd(12)) {
	case 0:		/* flip a bit */
		if (*n > 0)
			buf[rnd(*n)] ^= (unsigned char)(1u << rnd(8));
		break;
	case 1:		/* a random byte */
		if (*n > 0)
			buf[rnd(*n)] = (unsigned char)rnd(256);
		break;
	case 2:		/* a byte parsers care about */
		if (*n > 0)
			buf[rnd(*n)] = interesting[rnd(sizeof(interesting))];
		break;
	case 3:		/* insert random bytes */
		k = 1 + rnd(8);
		for (at = 0; at < k; at++)
			tmp[at] = (unsigned char)rnd(256);
		insert(buf, n, cap, rnd(*n + 1), tmp, k);
		break;
	case 4:		/* insert a dictionary token */
	case 5:
		if (dict.n > 0) {
			o = &dict.v[rnd(dict.n)];
			insert(buf, n, cap, rnd(*n + 1), o->d, o->n);
		}
		break;
	case 6:		/* insert a random code point, often Japanese */
		k = random_utf8(tmp);
		insert(buf, n, cap, rnd(*n + 1), tmp, k);
		break;
	case 7:		/* delete a range */
		if (*n > 0) {
			at = rnd(*n);
			k = 1 + rnd(*n - at < 16 ? *n - at : 16);
			memmove(buf + at, buf + at + k, *n - at - k);
			*n -= k;
		}
		break;
	case 8:		/* duplicate a range of itself */
		if (*n > 0) {
			from = rnd(*n);
			k = 1 + rnd(*n - from < sizeof(tmp) ? *n - from : sizeof(tmp));
			memcpy(tmp, buf + from, k);
			insert(buf, n, cap, rnd(*n + 1), tmp, k);
		}
		break;
	case 9:		/* splice: our head, another entry's tail */
		o = &corpus.v[rnd(corpus.n)];
		at = rnd(*n + 1);
		from = rnd(o->n + 1);
		k = o->n - from;
		if (at + k > cap)
			k = cap - at;
		memcpy(buf + at, o->d + from, k);
		*n = at + k;
		break;
	case 10:	/* insert a chunk of another entry */
		o = &corpus.v[rnd(corpus.n)];
		if (o->n > 0) {
			from = rnd(o->n);
			k = 1 + rnd(o->n - from);
			insert(buf, n, cap, rnd(*n + 1), o->d + from, k);
		}
		break;
	case 11:	/* truncate */
		*n = rnd(*n + 1);
		break;
	}
}

/* Parse a non-negative decimal option or environment value; dflt when NULL. */
static unsigned long long
number(const char *s, unsigned long long dflt, const char *what)
{
	char			*end;
	unsigned long long	 v;

	if (s == NULL || *s == '\0')
		return dflt;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || *s == '-') {
		fprintf(stderr, "fuzz: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

static double
now_seconds(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-s seed] [-n runs] [-t seconds] "
	    "[-m maxlen] [-T timeout] [file|dir ...]\n", prog);
	exit(2);
}

int
main(int argc, char *argv[])
{
	const char	*prog, *name, *base, *e;
	char		 dir[PATH_MAX], path[PATH_MAX], what[64];
	unsigned long long seed, runs, seconds, maxlen, i;
	unsigned char	*buf;
	size_t		 n, cap, k, j;
	double		 start, used;
	long		 nseeds, ncrash, got;
	int		 c, mutate_args = 0;
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
	    SIGALRM };
	struct sigaction sa;
	stack_t		 ss;

	prog = (base = strrchr(argv[0], '/')) != NULL ? base + 1 : argv[0];
	name = prog;
	if (strncmp(name, "lt-", 3) == 0)
		name += 3;
	if (strncmp(name, "fuzz_", 5) == 0)
		name += 5;

	seed = number(getenv("FUZZ_SEED"), 1, "FUZZ_SEED");
	runs = number(getenv("FUZZ_RUNS"), 20000, "FUZZ_RUNS");
	seconds = number(getenv("FUZZ_SECONDS"), 2, "FUZZ_SECONDS");
	maxlen = number(getenv("FUZZ_MAXLEN"), 1024, "FUZZ_MAXLEN");
	exec_timeout = (unsigned)number(getenv("FUZZ_TIMEOUT"), 10,
	    "FUZZ_TIMEOUT");
	while ((c = getopt(argc, argv, "s:n:t:m:T:")) != -1) {
		switch (c) {
		case 's':
			seed = number(optarg, 1, "-s");
			break;
		case 'n':
			runs = number(optarg, 0, "-n");
			mutate_args = 1;
			break;
		case 't':
			seconds = number(optarg, 0, "-t");
			mutate_args = 1;
			break;
		case 'm':
			maxlen = number(optarg, 1024, "-m");
			break;
		case 'T':
			exec_timeout = (unsigned)number(optarg, 10, "-T");
			break;
		default:
			usage(prog);
		}
	}
	argc -= optind;
	argv += optind;
	if (maxlen == 0 || maxlen > 1024 * 1024)
		maxlen = 1024;

	if ((e = getenv("FUZZ_DIR")) != NULL && *e != '\0')
		pathf(dir, e, "", "", "");
	else if ((e = getenv("KENPO_SRC")) != NULL && *e != '\0')
		pathf(dir, e, "tests", "fuzz", "");
	else {
		snprintf(dir, sizeof(dir), "%s", __FILE__);
		if ((base = strrchr(dir, '/')) != NULL)
			dir[base - dir] = '\0';
		else
			snprintf(dir, sizeof(dir), ".");
	}

	if (snprintf(crash_path, sizeof(crash_path), "fuzz-crash-%s", name) >=
	    (int)sizeof(crash_path) ||
	    snprintf(crash_msg, sizeof(crash_msg), "%s: crashed (FUZZ_SEED=%llu), "
	    "input saved to ./%s, running ", prog, seed, crash_path) >=
	    (int)sizeof(crash_msg)) {
		fprintf(stderr, "fuzz: program name too long\n");
		return 2;
	}
	/* Handle a stack overflow too: on a stack of its own. */
	ss.ss_sp = altstack;
	ss.ss_size = ALTSTACK;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL) != 0)
		fprintf(stderr, "fuzz: sigaltstack: %s\n", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (j = 0; j < sizeof(sigs) / sizeof(sigs[0]); j++)
		sigaction(sigs[j], &sa, NULL);

	rng_state = seed;
	for (j = 0; j < sizeof(builtin_tokens) / sizeof(builtin_tokens[0]); j++)
		inputs_add(&dict, builtin_tokens[j], strlen(builtin_tokens[j]));
	pathf(path, dir, "dict", name, ".dict");
	load_dict(path);

	start = now_seconds();
	nseeds = ncrash = 0;
	if (argc > 0) {
		for (c = 0; c < argc; c++) {
			if ((got = replay(argv[c], 0)) < 0)
				return 2;
			nseeds += got;
		}
		if (!mutate_args) {
			printf("%s: replayed %d argument(s)\n", prog, argc);
			return 0;
		}
	} else {
		pathf(path, dir, "corpus", name, "");
		if ((nseeds = replay(path, 0)) < 0)
			return 2;
		pathf(path, dir, "crashes", name, "");
		if ((ncrash = replay(path, 1)) < 0)
			return 2;
	}
	nfixed = corpus.n;
	if (corpus.n == 0)
		inputs_add(&corpus, "", 0);

	/* Mutate: a corpus entry, one to five mutations, sometimes kept as a base. */
	cap = maxlen;
	for (j = 0; j < corpus.n; j++)
		if (corpus.v[j].n > cap)
			cap = corpus.v[j].n;
	buf = xalloc(cap);
	for (i = 0; i < runs; i++) {
		if ((i & 63) == 0 && now_seconds() - start >= (double)seconds)
			break;
		j = rnd(corpus.n);
		n = corpus.v[j].n;
		memcpy(buf, corpus.v[j].d, n);
		for (k = 1 + rnd(5); k > 0; k--)
			mutate_once(buf, &n, cap);
		snprintf(what, sizeof(what), "mutation %llu", i + 1);
		run_one(buf, n, what);
		/* Keep a few mutants so that mutations can stack up. */
		if (rnd(16) == 0) {
			if (corpus.n < nfixed + 256)
				inputs_add(&corpus, buf, n);
			else {
				j = nfixed + rnd(256);
				free(corpus.v[j].d);
				corpus.v[j].d = xalloc(n);
				memcpy(corpus.v[j].d, buf, n);
				corpus.v[j].n = n;
			}
		}
	}
	used = now_seconds() - start;
	printf("%s: %ld seeds, %ld reproducers, %llu mutations in %.2f s "
	    "(FUZZ_SEED=%llu)\n", prog, nseeds, ncrash, i, used, seed);
	free(buf);
	inputs_free(&corpus);
	inputs_free(&dict);
	return 0;
}
