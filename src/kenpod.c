/*
 * kenpod — the prefork FastCGI server.
 *
 * The master binds the socket (or takes it from systemd / spawn-fcgi), parses the
 * templates once, forks Server.Workers workers and one mailer, and then only
 * supervises:
 *   SIGCHLD        replace a dead child of the current generation, with back-off
 *                  when children die young (a crash loop must not spin the CPU);
 *   SIGTERM/INT    ask every child to stop (each finishes its request), wait, exit;
 *   SIGHUP         reload: validate the new config and templates, start a new
 *                  generation of children, then ask the old generation to stop.
 *                  Both generations accept on the same socket, so no request fails.
 * Signals are blocked and taken synchronously with sigtimedwait(): no handler races.
 *
 * The staff console (issue 12): when Staff.Socket is set, the master also binds
 * that socket (before it drops privileges, with Server.SocketGroup and
 * Server.SocketMode like the public one; under systemd socket activation the
 * second socket unit kenpod-staff.socket passes it, named "staff") and forks
 * Staff.Workers staff workers ("kenpod-staff") that accept only there and
 * serve only the staff route table. The page workers never see that socket,
 * the staff workers never the public one.
 */
#include "autoconf.h"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#ifdef KENPO_SANITIZERS
#include <sanitizer/lsan_interface.h>
#endif

#include "captcha_provider.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "hashpool.h"
#include "log.h"
#include "metrics.h"
#include "outbox.h"
#include "template.h"
#include "util.h"
#include "worker.h"

enum kind { K_WORKER, K_MAILER, K_HASH, K_STAFF };

static const char *const kind_name[] = {
	[K_WORKER] = "worker", [K_MAILER] = "mailer", [K_HASH] = "hash",
	[K_STAFF] = "staff",
};

struct child {
	pid_t		 pid;
	enum kind	 kind;
	int		 gen;
	int64_t		 started_ms;
	int		 slot;
};

static struct child	*children;
static size_t		 nchildren, capchildren;
static int		 generation;
static int		 listen_fd = -1;
static int		 staff_fd = -1;		/* Staff.Socket; -1: no console */
static char		*socket_path;		/* unlinked at exit when we made it */
static char		*staff_socket_path;
static volatile int	 child_stop;
static int64_t		 backoff_ms;		/* current respawn delay */
static int64_t		 respawn_at_ms;		/* 0: nothing pending */
static char		*title;			/* argv's strings: ps shows them */
static size_t		 titlecap;

static void
usage(void)
{
	fprintf(stderr, "usage: kenpod [-t] [-c config]\n"
	    "  -c FILE  configuration (default $KENPO_CONFIG or %s)\n"
	    "  -t       check the configuration and templates, then exit\n",
	    SYSCONFDIR "/kenpo/kenpo.hdf");
	exit(2);
}

static void
child_on_signal(int sig)
{
	child_stop = 1;
}

/* In a new child: default signal state, then the stop handlers. */
static void
child_signals(void)
{
	struct sigaction sa;
	sigset_t	 all;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = child_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);	/* the master decides */
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

/*
 * Name a child for ps and top: "kenpod-worker" (the process name, 15 bytes at
 * most; also the log ident) and "kenpod: worker" in place of the command line,
 * as nginx does.
 */
static void
name_child(enum kind kind, char comm[16])
{
	snprintf(comm, 16, "kenpod-%s", kind_name[kind]);
	prctl(PR_SET_NAME, comm, 0, 0, 0);
	if (title != NULL && titlecap > 1) {
		memset(title, 0, titlecap);
		snprintf(title, titlecap, "kenpod: %s", kind_name[kind]);
	}
}

static pid_t
spawn(enum kind kind, int slot)
{
	pid_t		 pid;
	int		 rc;
	char		 comm[16];

	if ((pid = fork()) < 0) {
		log_err("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		child_signals();
		name_child(kind, comm);
		log_open(comm, config_bool("Server.Syslog"));
		if (kind != K_STAFF && staff_fd >= 0)
			close(staff_fd);
		if (kind == K_MAILER) {
			close(listen_fd);
			hashpool_close();
			rc = mailer_run(&child_stop);
		} else if (kind == K_HASH) {
			close(listen_fd);
			rc = hashpool_run(&child_stop);
		} else if (kind == K_STAFF) {
			close(listen_fd);
			hashpool_client();
			request_console(1);
			rc = worker_run(staff_fd, &child_stop);
		} else {
			hashpool_client();
			rc = worker_run(listen_fd, &child_stop);
		}
		db_close();
#ifdef KENPO_SANITIZERS
		/* _exit() skips LeakSanitizer's atexit check: run it here, so that
		 * what a worker or the mailer leaked over its life is reported
		 * (make sanitize-check). A leak makes the child exit non-zero. */
		__lsan_do_leak_check();
#endif
		_exit(rc);
	}
	if (nchildren == capchildren) {
		capchildren = capchildren ? capchildren * 2 : 16;
		children = xrealloc(children, capchildren * sizeof(*children));
	}
	children[nchildren].pid = pid;
	children[nchildren].kind = kind;
	children[nchildren].gen = generation;
	children[nchildren].started_ms = util_mono_ms();
	children[nchildren].slot = slot;
	nchildren++;
	metrics_add(M_WORKER_STARTS, 1);
	return pid;
}

/* 1 when the current generation has a child of that kind in that slot. */
static int
have(enum kind kind, long long slot)
{
	size_t	 i;

	for (i = 0; i < nchildren; i++)
		if (children[i].gen == generation && children[i].kind == kind &&
		    children[i].slot == slot)
			return 1;
	return 0;
}

/*
 * Start whatever the current generation lacks: the mailer, the hashing pool
 * (slots 0..HashWorkers-1) and the page workers (0..Workers-1).
 */
static void
fill(void)
{
	long long	 n = config_int("Server.Workers"), h = hashpool_size(), s;

	if (!have(K_MAILER, -1) && spawn(K_MAILER, -1) < 0)
		goto later;
	for (s = 0; s < h; s++)
		if (!have(K_HASH, s) && spawn(K_HASH, (int)s) < 0)
			goto later;
	for (s = 0; s < n; s++)
		if (!have(K_WORKER, s) && spawn(K_WORKER, (int)s) < 0)
			goto later;
	n = staff_fd >= 0 ? config_int("Staff.Workers") : 0;
	for (s = 0; s < n; s++)
		if (!have(K_STAFF, s) && spawn(K_STAFF, (int)s) < 0)
			goto later;
	return;
 later:
	respawn_at_ms = util_mono_ms() + 1000;
}

static void
signal_gen(int gen_below, int sig)
{
	size_t	 i;

	for (i = 0; i < nchildren; i++)
		if (children[i].gen < gen_below)
			kill(children[i].pid, sig);
}

/* Collect dead children; schedule replacements for the current generation. */
static void
reap(int stopping)
{
	pid_t		 pid;
	int		 status;
	size_t		 i;
	int64_t		 now, cap;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < nchildren; i++)
			if (children[i].pid == pid)
				break;
		if (i == nchildren)
			continue;
		hashpool_forget(pid);	/* a worker killed while it waited */
		now = util_mono_ms();
		if (!stopping && children[i].gen == generation) {
			metrics_add(M_WORKER_DEATHS, 1);
			if (WIFSIGNALED(status))
				log_err("%s %ld killed by signal %d; replacing it",
				    kind_name[children[i].kind], (long)pid,
				    WTERMSIG(status));
			else
				log_err("%s %ld exited with status %d; replacing it",
				    kind_name[children[i].kind], (long)pid,
				    WEXITSTATUS(status));
			/* Exiting young means something is wrong (no config, no
			 * socket): back off exponentially up to 30 s; a healthy life
			 * resets it. A young death by a signal is more likely a request
			 * that crashed it: cap that back-off at 1 s, so that requests
			 * which kill workers cannot leave the service without any
			 * for long. */
			cap = WIFSIGNALED(status) ? 1000 : 30000;
			if (now - children[i].started_ms < 2000)
				backoff_ms = backoff_ms ? (backoff_ms * 2 > cap ?
				    cap : backoff_ms * 2) : 100;
			else
				backoff_ms = 0;
			if (respawn_at_ms == 0 || respawn_at_ms > now + backoff_ms)
				respawn_at_ms = now + backoff_ms;
		}
		children[i] = children[--nchildren];
	}
}

/* Load config + templates for a reload; on failure keep running as before. */
static void
reload(const char *path)
{
	HDF	*cfg;
	HDF	*old = config_hdf();
	char	 err[512];
	char	*oldsock = xstrdup(config_str("Server.Socket"));
	char	*oldstaff = xstrdup(config_str("Staff.Socket"));

	if (config_load(path, &cfg, err, sizeof(err)) != 0) {
		log_err("reload refused: %s", err);
		free(oldsock);
		free(oldstaff);
		return;
	}
	(void)old;
	config_set(cfg);
	if (strcmp(oldsock, config_str("Server.Socket")) != 0)
		log_warn("reload: Server.Socket changed; restart kenpod to move the socket");
	free(oldsock);
	if (strcmp(oldstaff, config_str("Staff.Socket")) != 0)
		log_warn("reload: Staff.Socket changed; restart kenpod to move the "
		    "console's socket");
	free(oldstaff);
	log_set_level(strcmp(config_str("Server.LogLevel"), "debug") == 0 ? LOG_LVL_DEBUG :
	    strcmp(config_str("Server.LogLevel"), "warn") == 0 ? LOG_LVL_WARN :
	    strcmp(config_str("Server.LogLevel"), "err") == 0 ? LOG_LVL_ERR : LOG_LVL_INFO);
	if (tmpl_load(config_str("Server.Templates")) != 0) {
		log_err("reload: templates do not parse; keeping the running children");
		return;
	}
	generation++;
	fill();
	signal_gen(generation, SIGTERM);
	log_info("reloaded %s (generation %d)", path, generation);
}

/*
 * Server.SocketGroup: the group the unix socket is given, so that nginx's
 * workers (members of it) may connect to a socket of mode 0660 while other
 * local users may not (a FastCGI peer can forge REMOTE_ADDR and HTTPS).
 * Returns 0 with *gid set, or with *gid = (gid_t)-1 when the key is empty;
 * -1 (logged, naming the key) when no such group exists. kenpod -t checks it too.
 */
static int
socket_group(gid_t *gid)
{
	const char	*name = config_str("Server.SocketGroup");
	struct group	*gr;

	*gid = (gid_t)-1;
	if (name[0] == '\0')
		return 0;
	errno = 0;
	if ((gr = getgrnam(name)) == NULL) {
		log_err("Server.SocketGroup %s: no such group%s%s", name,
		    errno != 0 ? ": " : "", errno != 0 ? strerror(errno) : "");
		return -1;
	}
	*gid = gr->gr_gid;
	return 0;
}

/*
 * The descriptor systemd passed (n of them from fd 3) for the console (staff
 * set) or the public socket. With LISTEN_FDNAMES, the console's is the one
 * named "staff" (FileDescriptorName=staff in kenpod-staff.socket) and the
 * public one the first with another name; without names, fd 3 and fd 4 in
 * that order. -1 when none was passed for it (kenpod binds it itself).
 */
static int
activated(int n, int staff)
{
	const char	*names = getenv("LISTEN_FDNAMES"), *p;
	size_t		 len;
	int		 i;

	if (n < 1)
		return -1;
	if (names == NULL || names[0] == '\0')
		return staff ? (n >= 2 ? 4 : -1) : 3;
	for (i = 0, p = names; i < n && p != NULL; i++) {
		len = strcspn(p, ":");
		if ((len == 5 && strncmp(p, "staff", 5) == 0) == (staff != 0))
			return 3 + i;
		p = p[len] == ':' ? p + len + 1 : NULL;
	}
	return -1;
}

/*
 * A listening socket, key Server.Socket or Staff.Socket: systemd socket
 * activation (LISTEN_FDS; see activated()), fd 0 when Server.Socket is "-"
 * (spawn-fcgi), else a unix socket path or host:port.
 * A socket path gets Server.SocketGroup (when set) and then Server.SocketMode,
 * both explicitly: the mode does not depend on the umask. Returns the
 * descriptor, or -1 (logged) when the socket cannot be made as configured.
 */
static int
open_listener(const char *key, int activated_fd, char **made)
{
	const char	*sock = config_str(key);
	const char	*lf = getenv("LISTEN_FDS"), *lp = getenv("LISTEN_PID");
	mode_t		 mode = (mode_t)config_int("Server.SocketMode"), oldmask;
	struct stat	 st;
	gid_t		 gid;
	int		 fd, flags;

	if (lf != NULL && lp != NULL && atol(lp) == (long)getpid() &&
	    (fd = activated(atoi(lf), activated_fd == 4)) >= 0)
		;
	else if (activated_fd == 3 && strcmp(sock, "-") == 0)
		fd = 0;
	else {
		if (sock[0] == '/' && lstat(sock, &st) == 0) {
			if (!S_ISSOCK(st.st_mode)) {
				log_err("%s %s exists and is not a socket", key, sock);
				return -1;
			}
			unlink(sock);
		}
		if (socket_group(&gid) != 0)
			return -1;
		/* Owner-only until the chown and chmod below: bind(2) applies the
		 * umask, and a lax one (0000) would open the socket to every local
		 * user for a moment. */
		oldmask = umask(0177);
		fd = FCGX_OpenSocket(sock, (int)config_int("Server.Backlog"));
		umask(oldmask);
		if (fd < 0) {
			log_err("cannot listen on %s %s: %s", key, sock, strerror(errno));
			return -1;
		}
		if (sock[0] == '/') {
			*made = xstrdup(sock);
			if (gid != (gid_t)-1 && chown(sock, (uid_t)-1, gid) != 0) {
				log_err("Server.SocketGroup %s: cannot give %s to the group: %s "
				    "(kenpod must start as root or be a member of the group)",
				    config_str("Server.SocketGroup"), sock, strerror(errno));
				return -1;
			}
			if (chmod(sock, mode) != 0) {
				log_err("Server.SocketMode: chmod %s: %s", sock, strerror(errno));
				return -1;
			}
			if (mode & S_IWOTH)
				log_warn("Server.SocketMode %04o lets every local user talk "
				    "FastCGI to kenpod (and forge REMOTE_ADDR and HTTPS); "
				    "prefer 0660 with Server.SocketGroup", (unsigned)mode);
		}
	}
	if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		log_err("cannot make the listening socket non-blocking: %s", strerror(errno));
		return -1;
	}
	return fd;
}

static int
drop_privileges(void)
{
	const char	*user = config_str("Server.User");
	struct passwd	*pw;

	if (user[0] == '\0')
		return 0;
	if ((pw = getpwnam(user)) == NULL) {
		log_err("Server.User %s: no such user", user);
		return -1;
	}
	/* The socket follows the user; it keeps Server.SocketGroup when one is set. */
	if (socket_path != NULL && chown(socket_path, pw->pw_uid,
	    config_str("Server.SocketGroup")[0] != '\0' ? (gid_t)-1 : pw->pw_gid) != 0)
		log_warn("chown %s: %s", socket_path, strerror(errno));
	if (staff_socket_path != NULL && chown(staff_socket_path, pw->pw_uid,
	    config_str("Server.SocketGroup")[0] != '\0' ? (gid_t)-1 : pw->pw_gid) != 0)
		log_warn("chown %s: %s", staff_socket_path, strerror(errno));
	if (setgid(pw->pw_gid) != 0 || initgroups(user, pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		log_err("cannot become %s: %s", user, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {
		log_err("still able to regain root after dropping privileges");
		return -1;
	}
	return 0;
}

static void
write_pidfile(void)
{
	const char	*pf = config_str("Server.PidFile");
	FILE		*f;

	if (pf[0] == '\0')
		return;
	if ((f = fopen(pf, "w")) == NULL) {
		log_warn("pid file %s: %s", pf, strerror(errno));
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

int
main(int argc, char *argv[])
{
	const char	*path = NULL;
	HDF		*cfg;
	char		 err[512];
	int		 ch, test_only = 0, stopping = 0, sig;
	sigset_t	 set;
	siginfo_t	 info;
	struct timespec	 ts;
	int64_t		 deadline = 0, now;

	while ((ch = getopt(argc, argv, "c:t")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 't':
			test_only = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	/* argv's strings lie end to end: the children write their role there. */
	title = argv[0];
	titlecap = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
	if (path == NULL)
		path = config_default_path();
	log_open("kenpod", 0);
	if (config_load(path, &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "kenpod: %s\n", err);
		return 1;
	}
	config_set(cfg);
	if (config_bool("Server.Syslog"))
		log_open("kenpod", 1);
	log_set_level(strcmp(config_str("Server.LogLevel"), "debug") == 0 ? LOG_LVL_DEBUG :
	    strcmp(config_str("Server.LogLevel"), "warn") == 0 ? LOG_LVL_WARN :
	    strcmp(config_str("Server.LogLevel"), "err") == 0 ? LOG_LVL_ERR : LOG_LVL_INFO);
	if (crypto_init() != 0)
		return 1;
	if (tmpl_load(config_str("Server.Templates")) != 0) {
		fprintf(stderr, "kenpod: templates in %s do not parse (see the log above)\n",
		    config_str("Server.Templates"));
		return 1;
	}
	if (test_only) {
		gid_t	 gid;

		if (socket_group(&gid) != 0)	/* logged, naming the key */
			return 1;
		/* Running, such a provider would refuse every login (logged). */
		if (captcha_provider_check(err, sizeof(err)) != 0) {
			fprintf(stderr, "kenpod: %s: %s\n", path, err);
			return 1;
		}
		printf("kenpod: %s is valid\n", path);
		return 0;
	}
	if (metrics_init() != 0)
		log_warn("metrics disabled: cannot map shared memory");
	if (hashpool_init() != 0)
		return 1;
	if ((listen_fd = open_listener("Server.Socket", 3, &socket_path)) < 0)
		return 1;
	if (config_str("Staff.Socket")[0] != '\0' &&
	    (staff_fd = open_listener("Staff.Socket", 4, &staff_socket_path)) < 0)
		return 1;
	if (drop_privileges() != 0)
		return 1;
	write_pidfile();

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	log_info("kenpod started: %lld workers and %d hashing processes on %s",
	    config_int("Server.Workers"), hashpool_size(), config_str("Server.Socket"));
	if (staff_fd >= 0)
		log_info("staff console: %lld workers on %s", config_int("Staff.Workers"),
		    config_str("Staff.Socket"));
	fill();
	for (;;) {
		ts.tv_sec = 0;
		ts.tv_nsec = 250 * 1000 * 1000;
		sig = sigtimedwait(&set, &info, &ts);
		now = util_mono_ms();
		if (sig == SIGCHLD || sig < 0)
			reap(stopping);
		if ((sig == SIGTERM || sig == SIGINT) && !stopping) {
			log_info("stopping: waiting for in-flight requests");
			stopping = 1;
			signal_gen(generation + 1, SIGTERM);
			deadline = now + 30000;
		} else if (sig == SIGHUP && !stopping)
			reload(path);
		if (stopping) {
			reap(1);
			if (nchildren == 0)
				break;
			if (now > deadline) {
				log_err("children did not stop in 30 s; killing them");
				signal_gen(generation + 1, SIGKILL);
				deadline = now + 5000;
			}
			continue;
		}
		if (respawn_at_ms != 0 && now >= respawn_at_ms) {
			respawn_at_ms = 0;
			fill();
		}
	}
	if (socket_path != NULL)
		unlink(socket_path);
	if (staff_socket_path != NULL)
		unlink(staff_socket_path);
	if (config_str("Server.PidFile")[0] != '\0')
		unlink(config_str("Server.PidFile"));
	log_info("kenpod stopped");
	return 0;
}
