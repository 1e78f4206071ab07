/*
 * log.c — line-oriented logging with the request id in front.
 */
#include "autoconf.h"
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static const char	*log_ident = "kenpo";
static int		 log_syslog;
static enum log_level	 log_max = LOG_LVL_INFO;
static char		 log_reqid[32] = "-";
static long		 log_pid;		/* set by log_open (after fork) */

void
log_open(const char *ident, int use_syslog)
{
	log_ident = ident;
	log_syslog = use_syslog;
	log_pid = (long)getpid();
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_level(enum log_level l)
{
	log_max = l;
}

void
log_set_request(const char *id)
{
	snprintf(log_reqid, sizeof(log_reqid), "%s", id != NULL ? id : "-");
}

const char *
log_request(void)
{
	return log_reqid;
}

/*
 * One write(2) per line so lines from several processes sharing stderr do not
 * interleave; control characters in the message are replaced (log injection).
 */
void
log_vlog(enum log_level l, const char *fmt, va_list ap)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	static char	 ts[32];		/* the time stamp of second ts_at */
	static time_t	 ts_at = -1;
	char		 msg[2048], line[2300];
	struct tm	 tm;
	time_t		 t;
	size_t		 i;
	int		 n;

	if (l > log_max)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	for (i = 0; msg[i] != '\0'; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
	if (log_syslog) {
		syslog(prio[l], "[%s] %s", log_reqid, msg);
		return;
	}
	if ((t = time(NULL)) != ts_at) {
		gmtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
		ts_at = t;
	}
	n = snprintf(line, sizeof(line), "%s %s[%ld] %s [%s] %s\n", ts, log_ident,
	    log_pid != 0 ? log_pid : (long)getpid(), names[l], log_reqid, msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

#define LOG_FN(name, lvl)				\
void							\
name(const char *fmt, ...)				\
{							\
	va_list	 ap;					\
	va_start(ap, fmt);				\
	log_vlog(lvl, fmt, ap);				\
	va_end(ap);					\
}
LOG_FN(log_err, LOG_LVL_ERR)
LOG_FN(log_warn, LOG_LVL_WARN)
LOG_FN(log_info, LOG_LVL_INFO)
LOG_FN(log_debug, LOG_LVL_DEBUG)
