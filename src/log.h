/*
 * log.h — one line per event, to stderr or syslog, each prefixed with the current
 * request id ("-" outside a request).
 *
 * Never log a password, a card symbol or number, a token, a session id, a CAPTCHA
 * answer or a mail code. Log account ids, not e-mail addresses.
 */
#ifndef KENPO_LOG_H
#define KENPO_LOG_H

#include <stdarg.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* ident: program name; use_syslog: 1 for syslog(3), 0 for stderr. */
void	 log_open(const char *ident, int use_syslog);
void	 log_set_level(enum log_level);
/* Set (or clear with NULL) the request id that prefixes every line. */
void	 log_set_request(const char *id);
const char *log_request(void);

void	 log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_vlog(enum log_level, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));

#endif
