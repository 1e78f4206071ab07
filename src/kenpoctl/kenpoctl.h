/*
 * kenpoctl.h — the operator CLI: one file per noun, each with one entry point.
 *
 * main.c has loaded the configuration, initialised crypto and parsed the global
 * options (-c FILE, --json) before calling ctl_<noun>(argc, argv) with argv[0] the
 * noun and argv[1] the verb (so getopt(3) on argc-1, argv+1 sees the verb as its
 * program name and parses the verb's own options).
 *
 * Exit codes, returned by every ctl_* function:
 *   CTL_OK (0)       success
 *   CTL_REFUSED (1)  the operation was refused or failed; the reason is on stderr
 *   CTL_USAGE (2)    usage error; the usage text is on stderr
 *
 * Output: human-readable by default, JSON with --json (ctl_json set). Print records
 * with the ctl_rec_* / ctl_list_* helpers below and both forms come for free.
 */
#ifndef KENPO_KENPOCTL_H
#define KENPO_KENPOCTL_H

#define CTL_OK		0
#define CTL_REFUSED	1
#define CTL_USAGE	2

/* Non-zero when --json was given. */
extern int	 ctl_json;

/* Nouns. */
int	 ctl_db(int argc, char **argv);
int	 ctl_account(int argc, char **argv);
int	 ctl_mail(int argc, char **argv);
int	 ctl_audit(int argc, char **argv);
int	 ctl_insurer(int argc, char **argv);
/* insurer maintenance …: argv[0] "maintenance" (src/kenpoctl/insurer_maintenance.c). */
int	 ctl_insurer_maintenance(int argc, char **argv);
int	 ctl_roster(int argc, char **argv);
int	 ctl_announcement(int argc, char **argv);
int	 ctl_inquiry(int argc, char **argv);
int	 ctl_lifecycle(int argc, char **argv);
int	 ctl_faq(int argc, char **argv);
int	 ctl_terms(int argc, char **argv);
int	 ctl_deletion(int argc, char **argv);
int	 ctl_staff(int argc, char **argv);
int	 ctl_review(int argc, char **argv);
int	 ctl_verify(int argc, char **argv);
int	 ctl_client(int argc, char **argv);
int	 ctl_oidc(int argc, char **argv);

/*
 * Print "kenpoctl: <message>" (if fmt is not NULL) and "usage: kenpoctl <usage>" on
 * stderr; returns CTL_USAGE.
 */
int	 ctl_usage(const char *usage, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Print "kenpoctl: <message>" on stderr; returns CTL_REFUSED. */
int	 ctl_refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Report a failed database call (a db_status) for the operation named by what;
 * returns CTL_REFUSED. DB_DOWN says the database cannot be reached.
 */
int	 ctl_db_error(int status, const char *what);
/*
 * Arguments (args.c). Refusals are printed as "NOUN VERB: reason".
 * ctl_insurer_number_arg: an insurer number (full-width digits, hyphens
 * allowed; 8 digits with a right check digit) into out (9 bytes). CTL_OK or
 * CTL_REFUSED.
 * ctl_insurer_arg: the existing insurer it names into *ins (insurer_free it in
 * any case); ctl_insurer_id_arg: only its id. CTL_OK or CTL_REFUSED.
 * ctl_time_arg: "YYYY-MM-DD[ HH:MM[:SS]]", a real calendar date and time
 * (2000–2037, as TIMESTAMP columns allow), into "YYYY-MM-DD HH:MM:SS"; 0, or -1.
 * ctl_line_ok: 1 when s is one line of 1..max_chars characters of UTF-8
 * without control characters (nor spaces unless spaces is set).
 */
struct insurer;
#define CTL_TIME_LEN	80	/* room for any int gcc can imagine */
int	 ctl_insurer_number_arg(const char *noun, const char *verb,
	    const char *arg, char *out);
int	 ctl_insurer_arg(const char *noun, const char *verb, const char *arg,
	    struct insurer *ins);
int	 ctl_insurer_id_arg(const char *noun, const char *verb, const char *arg,
	    long long *id);
int	 ctl_time_arg(const char *s, char out[CTL_TIME_LEN]);
int	 ctl_line_ok(const char *s, size_t max_chars, int spaces);
/* Read a text file ("-": stdin) for a command: UTF-8, CR LF → LF, trimmed,
 * not empty, at most max bytes. CTL_OK with *out malloc'd, or CTL_REFUSED. */
int	 ctl_read_text(const char *what, const char *path, size_t max, char **out);

/*
 * Record output. A record is a sequence of fields:
 *   ctl_rec_begin(); ctl_rec_str("email", e); ctl_rec_int("id", 42); ctl_rec_end();
 * Human form: "key: value" lines (a blank line between records); JSON: one object.
 * Inside ctl_list_begin()/ctl_list_end() the human form is a table (a header line of
 * the keys, then one tab-separated line per record) and the JSON form is an array.
 * A NULL string prints as "-" (human) or null (JSON). Control characters in values
 * are shown as spaces in the human form.
 */
void	 ctl_list_begin(void);
void	 ctl_list_end(void);
void	 ctl_rec_begin(void);
void	 ctl_rec_str(const char *key, const char *value);
void	 ctl_rec_int(const char *key, long long value);
void	 ctl_rec_bool(const char *key, int value);
void	 ctl_rec_end(void);

/* A one-line message for humans (suppressed with --json): printf to stdout. */
void	 ctl_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write s as a JSON string literal (NULL → null) to stdout. */
void	 ctl_json_str(const char *s);

#endif
