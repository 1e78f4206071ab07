/*
 * faq.c — load, check and keep the FAQ content (faq.h).
 *
 * Per worker, one cache per file (the configured one and the shipped one):
 * the file's identity when it was last read and its checked HDF (NULL when it
 * was bad). A page view costs one stat(2) per file in use; the file is read
 * again only when its identity changed, and a bad file is logged only then,
 * not at every view. Files are read whole (at most FAQ_MAX_BYTES) and parsed
 * with hdf_read_string, which refuses #include: the content cannot pull in
 * other files.
 */
#include "autoconf.h"
#include "faq.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "util.h"

struct faq_cache {
	char		*path;
	int		 seen;		/* the fields below describe path */
	int		 stat_errno;	/* 0: the file was there */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
	unsigned	 gen;		/* config_generation() when read */
	HDF		*hdf;		/* NULL: unusable */
};

static struct faq_cache	 custom, shipped;

static void
cache_reset(struct faq_cache *c)
{
	free(c->path);
	if (c->hdf != NULL)
		hdf_destroy(&c->hdf);
	memset(c, 0, sizeof(*c));
}

/* ---- checking ---- */

/* 1 when s is a name of letters, digits and '_' (an HTML id as it stands). */
static int
name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/*
 * Check node's children against the allowed names ("a|b|c"), and that none is
 * a link (a link may point at its own parent). 0, or -1 with err naming where.
 */
static int
children_ok(HDF *node, const char *where, const char *allowed, char *err,
    size_t errlen)
{
	HDF		*c;
	const char	*n, *p, *bar;
	size_t		 len;

	for (c = hdf_obj_child(node); c != NULL; c = hdf_obj_next(c)) {
		n = hdf_obj_name(c);
		if (c->link) {
			snprintf(err, errlen, "%s.%s is a link, not a value", where, n);
			return -1;
		}
		if (allowed == NULL)
			continue;
		len = strlen(n);
		for (p = allowed; p != NULL; p = bar ? bar + 1 : NULL) {
			bar = strchr(p, '|');
			if ((size_t)(bar ? bar - p : (long)strlen(p)) == len &&
			    strncmp(p, n, len) == 0)
				break;
		}
		if (p == NULL) {
			snprintf(err, errlen, "%s.%s is not a known key (allowed: %s)",
			    where, n, allowed);
			return -1;
		}
	}
	return 0;
}

/*
 * A text node (key.ja required unless optional, key.en optional): each value
 * valid UTF-8 of 1..max characters; one_line: no line breaks. 0 or -1.
 */
static int
text_ok(HDF *node, const char *where, const char *key, size_t max, int one_line,
    int optional, char *err, size_t errlen)
{
	static const char *const langs[] = { "ja", "en" };
	HDF		*t = hdf_get_obj(node, key);
	const char	*v, *p;
	size_t		 i;

	if (t == NULL) {
		if (optional)
			return 0;
		snprintf(err, errlen, "%s.%s.ja is missing", where, key);
		return -1;
	}
	if (hdf_obj_value(t) != NULL) {
		snprintf(err, errlen, "%s.%s needs .ja (and .en)", where, key);
		return -1;
	}
	if (children_ok(t, where, "ja|en", err, errlen) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		v = hdf_get_value(t, langs[i], NULL);
		if (v == NULL) {
			if (i == 0) {
				snprintf(err, errlen, "%s.%s.ja is missing", where, key);
				return -1;
			}
			continue;
		}
		if (!util_utf8_valid(v, strlen(v))) {
			snprintf(err, errlen, "%s.%s.%s is not UTF-8 text", where, key,
			    langs[i]);
			return -1;
		}
		if (v[strspn(v, " \t\r\n")] == '\0' || util_utf8_len(v) > max) {
			snprintf(err, errlen, "%s.%s.%s must have 1 to %zu characters",
			    where, key, langs[i], max);
			return -1;
		}
		for (p = v; one_line && *p != '\0'; p++)
			if (*p == '\n' || *p == '\r') {
				snprintf(err, errlen, "%s.%s.%s must be one line",
				    where, key, langs[i]);
				return -1;
			}
	}
	return 0;
}

/* One item: Question, Answer, Link.* (URL, Text). 0 or -1. */
static int
item_ok(HDF *item, const char *where, char *err, size_t errlen)
{
	HDF		*links, *l;
	char		 lw[240];
	const char	*url;

	if (children_ok(item, where, "Question|Answer|Link", err, errlen) != 0 ||
	    text_ok(item, where, "Question", FAQ_QUESTION_MAX, 1, 0, err,
	    errlen) != 0 ||
	    text_ok(item, where, "Answer", FAQ_ANSWER_MAX, 0, 0, err, errlen) != 0)
		return -1;
	if ((links = hdf_get_obj(item, "Link")) == NULL)
		return 0;
	if (children_ok(links, where, NULL, err, errlen) != 0)
		return -1;
	for (l = hdf_obj_child(links); l != NULL; l = hdf_obj_next(l)) {
		snprintf(lw, sizeof(lw), "%.160s.Link.%.60s", where, hdf_obj_name(l));
		if (children_ok(l, lw, "URL|Text", err, errlen) != 0 ||
		    text_ok(l, lw, "Text", FAQ_TITLE_MAX, 1, 0, err, errlen) != 0)
			return -1;
		url = hdf_get_value(l, "URL", NULL);
		if (url == NULL || !config_url_ok(url)) {
			snprintf(err, errlen, "%s.URL must be a path on this site "
			    "(/…) or an http(s) URL without spaces or quotes", lw);
			return -1;
		}
	}
	return 0;
}

/* The whole file: Section.<name> { Title, Item.<name> { … } }. 0 or -1. */
static int
content_ok(HDF *h, char *err, size_t errlen)
{
	HDF		*secs, *s, *items, *it, *seen;
	char		 where[160], iw[160];
	int		 n = 0;

	if (children_ok(h, "(top)", "Section", err, errlen) != 0)
		return -1;
	if ((secs = hdf_get_obj(h, "Section")) == NULL ||
	    hdf_obj_child(secs) == NULL) {
		snprintf(err, errlen, "no Section");
		return -1;
	}
	if (children_ok(secs, "Section", NULL, err, errlen) != 0)
		return -1;
	if (hdf_init(&seen) != STATUS_OK) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (s = hdf_obj_child(secs); s != NULL; s = hdf_obj_next(s)) {
		snprintf(where, sizeof(where), "Section.%.60s", hdf_obj_name(s));
		if (!name_ok(hdf_obj_name(s)) ||
		    children_ok(s, where, "Title|Item", err, errlen) != 0 ||
		    text_ok(s, where, "Title", FAQ_TITLE_MAX, 1, 0, err, errlen) != 0)
			goto bad;
		if ((items = hdf_get_obj(s, "Item")) == NULL ||
		    hdf_obj_child(items) == NULL) {
			snprintf(err, errlen, "%s has no Item", where);
			goto bad;
		}
		if (children_ok(items, where, NULL, err, errlen) != 0)
			goto bad;
		for (it = hdf_obj_child(items); it != NULL; it = hdf_obj_next(it)) {
			snprintf(iw, sizeof(iw), "%.80s.Item.%.60s", where,
			    hdf_obj_name(it));
			/* The item's name is its anchor: unique in the page. */
			if (hdf_get_value(seen, hdf_obj_name(it), NULL) != NULL) {
				snprintf(err, errlen, "%s: the item name %s is used "
				    "twice", iw, hdf_obj_name(it));
				goto bad;
			}
			if (hdf_set_value(seen, hdf_obj_name(it), "1") != STATUS_OK ||
			    item_ok(it, iw, err, errlen) != 0)
				goto bad;
			if (++n > FAQ_MAX_ITEMS) {
				snprintf(err, errlen, "more than %d items", FAQ_MAX_ITEMS);
				goto bad;
			}
		}
	}
	hdf_destroy(&seen);
	return 0;
 bad:
	if (err[0] == '\0')
		snprintf(err, errlen, "%s: a name is letters, digits and _", where);
	hdf_destroy(&seen);
	return -1;
}

HDF *
faq_load(const char *path, char *err, size_t errlen)
{
	struct stat	 st;
	HDF		*h = NULL;
	NEOERR		*nerr;
	STRING		 s;
	char		*text = NULL;
	ssize_t		 got;
	size_t		 len = 0, i;
	int		 fd;

	err[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		goto out;
	}
	if (st.st_size > FAQ_MAX_BYTES) {
		snprintf(err, errlen, "larger than %d bytes", FAQ_MAX_BYTES);
		goto out;
	}
	text = xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size &&
	    (got = read(fd, text + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)got;
	text[len] = '\0';
	if (strlen(text) != len || !util_utf8_valid(text, len)) {
		snprintf(err, errlen, "not UTF-8 text");
		goto out;
	}
	if ((nerr = hdf_init(&h)) != STATUS_OK ||
	    (nerr = hdf_read_string(h, text)) != STATUS_OK) {
		string_init(&s);
		nerr_error_string(nerr, &s);
		for (i = 0; s.buf != NULL && s.buf[i] != '\0'; i++)
			if (s.buf[i] == '\n')
				s.buf[i] = ' ';
		snprintf(err, errlen, "%s", s.buf != NULL ? s.buf : "cannot parse");
		string_clear(&s);
		nerr_ignore(&nerr);
		if (h != NULL)
			hdf_destroy(&h);
		goto out;
	}
	if (content_ok(h, err, errlen) != 0)
		hdf_destroy(&h);
 out:
	free(text);
	close(fd);
	return h;
}

/* ---- the cache ---- */

/*
 * The checked HDF of path through cache c, read again when the file changed
 * (or the configuration was reloaded). NULL when unusable; logged once per
 * change of the file.
 */
static HDF *
cache_get(struct faq_cache *c, const char *path, const char *instead)
{
	struct stat	 st;
	char		 err[300];
	int		 e = 0;

	if (c->path == NULL || strcmp(c->path, path) != 0) {
		cache_reset(c);
		c->path = xstrdup(path);
	}
	if (stat(path, &st) != 0)
		e = errno != 0 ? errno : ENOENT;
	if (c->seen && c->gen == config_generation() && c->stat_errno == e &&
	    (e != 0 || (c->dev == st.st_dev && c->ino == st.st_ino &&
	    c->size == st.st_size && c->mtime.tv_sec == st.st_mtim.tv_sec &&
	    c->mtime.tv_nsec == st.st_mtim.tv_nsec)))
		return c->hdf;

	if (c->hdf != NULL)
		hdf_destroy(&c->hdf);
	c->seen = 1;
	c->gen = config_generation();
	c->stat_errno = e;
	if (e != 0) {
		log_err("faq: %s: %s%s", path, strerror(e), instead);
		return NULL;
	}
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->size = st.st_size;
	c->mtime = st.st_mtim;
	if ((c->hdf = faq_load(path, err, sizeof(err))) == NULL)
		log_err("faq: %s: %s%s", path, err, instead);
	else
		log_info("faq: %s read", path);
	return c->hdf;
}

HDF *
faq_get(int *fallback)
{
	const char	*conf = config_str("Help.FAQFile");
	char		*def;
	HDF		*h;

	if (fallback != NULL)
		*fallback = 0;
	def = xasprintf("%s/help/faq.hdf", config_str("Server.Templates"));
	if (conf[0] != '\0' && strcmp(conf, def) != 0) {
		if ((h = cache_get(&custom, conf,
		    " (showing the shipped FAQ instead)")) != NULL) {
			free(def);
			return h;
		}
		if (fallback != NULL)
			*fallback = 1;
	}
	h = cache_get(&shipped, def, " (the FAQ page says it is unavailable)");
	free(def);
	return h;
}
