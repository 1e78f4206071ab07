/*
 * template.c — ClearSilver templates parsed once per worker.
 *
 * Each page template (templates/pages/NAME.cs) defines its content as macros and
 * includes layout.cs, so one CSPARSE per page holds the whole document. A CSPARSE
 * is bound to an HDF at cs_init; per request we point it at the request's HDF for
 * the render and back afterwards. Names not found there are looked up in the
 * language HDF (global_hdf): L.* texts and the public Service.* configuration.
 */
#include "autoconf.h"
#include "template.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "log.h"
#include "util.h"

struct tmpl {
	char		*name;
	int		 mail;		/* mail templates: plain text, no escaping */
	CSPARSE		*cs;
	HDF		*init;		/* the HDF the parse was created with */
};

static struct tmpl	*tmpls;
static size_t		 ntmpls;
static HDF		*lang_ja, *lang_en;

static void
log_nerr(const char *what, NEOERR *err)
{
	STRING	 s;
	size_t	 i;

	string_init(&s);
	nerr_error_string(err, &s);
	for (i = 0; s.buf != NULL && s.buf[i] != '\0'; i++)
		if (s.buf[i] == '\n')
			s.buf[i] = ' ';
	log_err("%s: %s", what, s.buf ? s.buf : "error");
	string_clear(&s);
	nerr_ignore(&err);
}

/*
 * The version in static file URLs (?v=…): with Service.StaticVersion = auto, the
 * first 12 hex digits of a SHA-256 over the stylesheets and scripts in
 * Server.Htdocs, so a changed file gets a new URL at the next start or reload and
 * browsers may cache the rest for long. Files that cannot be read are skipped (the
 * version then still changes with the others).
 */
static void
static_version(char out[13])
{
	static const char *subdirs[] = { "css", "js" };
	const char	*dir = config_str("Server.Htdocs");
	struct dirent	**names = NULL;
	struct buf	 all = { 0 };
	unsigned char	 sum[32];
	char		 hex[65], *path;
	size_t		 i;
	int		 n, k;

	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		path = xasprintf("%s/%s", dir, subdirs[i]);
		if ((n = scandir(path, &names, NULL, alphasort)) < 0) {
			free(path);
			continue;
		}
		for (k = 0; k < n; k++) {
			char	*file, chunk[8192];
			FILE	*f;
			size_t	 got;

			if (names[k]->d_name[0] != '.') {
				file = xasprintf("%s/%s", path, names[k]->d_name);
				buf_puts(&all, names[k]->d_name);
				if ((f = fopen(file, "rb")) != NULL) {
					while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
						buf_append(&all, chunk, got);
					fclose(f);
				}
				free(file);
			}
			free(names[k]);
		}
		free(names);
		names = NULL;
		free(path);
	}
	crypto_sha256(all.data != NULL ? all.data : "", all.len, sum);
	util_hex(sum, sizeof(sum), hex);
	memcpy(out, hex, 12);
	out[12] = '\0';
	buf_free(&all);
}

/* Load lang/<lang>.hdf (which may #include further files) plus Service.* config
 * and Service.MailFrom (Mail.From). */
static HDF *
lang_load(const char *dir, const char *lang)
{
	HDF	*h = NULL;
	NEOERR	*err;
	char	*path = NULL, *file = NULL, version[13];

	static_version(version);
	path = xasprintf("%s/lang", dir);
	file = xasprintf("%s.hdf", lang);
	if ((err = hdf_init(&h)) != STATUS_OK ||
	    (err = hdf_set_value(h, "hdf.loadpaths.0", path)) != STATUS_OK ||
	    (err = hdf_read_file(h, file)) != STATUS_OK ||
	    (err = hdf_set_value(h, "Lang", lang)) != STATUS_OK ||
	    (err = hdf_copy(h, "Service", hdf_get_obj(config_hdf(), "Service"))) !=
	    STATUS_OK ||
	    /* The sender members are told to allow (signup step 1). */
	    (err = hdf_set_value(h, "Service.MailFrom", config_str("Mail.From"))) !=
	    STATUS_OK ||
	    (strcmp(config_str("Service.StaticVersion"), "auto") == 0 &&
	    (err = hdf_set_value(h, "Service.StaticVersion", version)) != STATUS_OK)) {
		log_nerr(file, err);
		hdf_destroy(&h);
	}
	free(path);
	free(file);
	return h;
}

static int
tmpl_add(const char *dir, const char *sub, const char *file, int mail)
{
	struct tmpl	 t;
	NEOERR		*err;
	char		*rel;
	size_t		 n = strlen(file);

	memset(&t, 0, sizeof(t));
	t.name = xstrndup(file, n - 3);
	t.mail = mail;
	rel = xasprintf("%s/%s", sub, file);
	if ((err = hdf_init(&t.init)) != STATUS_OK ||
	    (err = hdf_set_value(t.init, "hdf.loadpaths.0", dir)) != STATUS_OK ||
	    (!mail && (err = hdf_set_value(t.init, "Config.VarEscapeMode", "html")) !=
	    STATUS_OK) ||
	    (err = cs_init(&t.cs, t.init)) != STATUS_OK ||
	    (err = cgi_register_strfuncs(t.cs)) != STATUS_OK ||
	    (err = cs_parse_file(t.cs, rel)) != STATUS_OK) {
		log_nerr(rel, err);
		free(rel);
		free(t.name);
		cs_destroy(&t.cs);
		hdf_destroy(&t.init);
		return -1;
	}
	free(rel);
	tmpls = xrealloc(tmpls, (ntmpls + 1) * sizeof(*tmpls));
	tmpls[ntmpls++] = t;
	return 0;
}

static int
tmpl_scan(const char *dir, const char *sub, int mail)
{
	DIR		*d;
	struct dirent	*e;
	char		*path;
	size_t		 n;
	int		 rc = 0;

	path = xasprintf("%s/%s", dir, sub);
	if ((d = opendir(path)) == NULL) {
		log_err("templates: cannot open %s", path);
		free(path);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n < 4 || e->d_name[0] == '.' || strcmp(e->d_name + n - 3, ".cs") != 0)
			continue;
		if (tmpl_add(dir, sub, e->d_name, mail) != 0)
			rc = -1;
	}
	closedir(d);
	free(path);
	return rc;
}

int
tmpl_load(const char *dir)
{
	tmpl_unload();
	if ((lang_ja = lang_load(dir, "ja")) == NULL ||
	    (lang_en = lang_load(dir, "en")) == NULL ||
	    tmpl_scan(dir, "pages", 0) != 0 ||
	    tmpl_scan(dir, "mail", 1) != 0) {
		tmpl_unload();
		return -1;
	}
	log_debug("templates: %zu parsed from %s", ntmpls, dir);
	return 0;
}

void
tmpl_unload(void)
{
	size_t	 i;

	for (i = 0; i < ntmpls; i++) {
		free(tmpls[i].name);
		cs_destroy(&tmpls[i].cs);
		hdf_destroy(&tmpls[i].init);
	}
	free(tmpls);
	tmpls = NULL;
	ntmpls = 0;
	if (lang_ja != NULL)
		hdf_destroy(&lang_ja);
	if (lang_en != NULL)
		hdf_destroy(&lang_en);
}

static struct tmpl *
tmpl_find(const char *name, int mail)
{
	size_t	 i;

	/* kenpoctl renders mail without having loaded templates at start. */
	if (ntmpls == 0 && lang_ja == NULL && config_hdf() != NULL &&
	    tmpl_load(config_str("Server.Templates")) != 0)
		return NULL;

	for (i = 0; i < ntmpls; i++)
		if (tmpls[i].mail == mail && strcmp(tmpls[i].name, name) == 0)
			return &tmpls[i];
	return NULL;
}

int
tmpl_exists(const char *name)
{
	return tmpl_find(name, 0) != NULL;
}

HDF *
tmpl_lang(const char *lang)
{
	return (lang != NULL && strcmp(lang, "en") == 0) ? lang_en : lang_ja;
}

const char *
tmpl_text(const char *lang, const char *key)
{
	HDF	*h = tmpl_lang(lang);
	char	 full[256];

	if (h == NULL)
		return NULL;
	snprintf(full, sizeof(full), "L.%s", key);
	return hdf_get_value(h, full, NULL);
}

static NEOERR *
render_cb(void *ctx, char *s)
{
	buf_puts(ctx, s);
	return STATUS_OK;
}

static int
render(struct tmpl *t, HDF *hdf, const char *lang, struct buf *out)
{
	NEOERR	*err;
	int	 rc = 0;

	/* Point the parse tree at this request's data for the render only. */
	t->cs->hdf = hdf;
	t->cs->global_hdf = tmpl_lang(lang);
	if ((err = cs_render(t->cs, out, render_cb)) != STATUS_OK) {
		log_nerr(t->name, err);
		rc = -1;
	}
	t->cs->hdf = t->init;
	t->cs->global_hdf = NULL;
	return rc;
}

int
tmpl_render(const char *name, HDF *hdf, const char *lang, struct buf *out)
{
	struct tmpl	*t;

	if ((t = tmpl_find(name, 0)) == NULL) {
		log_err("templates: no page template %s", name);
		return -1;
	}
	return render(t, hdf, lang, out);
}

int
tmpl_render_mail(const char *name, HDF *hdf, const char *lang, struct buf *out)
{
	struct tmpl	*t;
	HDF		*empty = NULL;
	NEOERR		*err;
	int		 rc;

	if ((t = tmpl_find(name, 1)) == NULL) {
		log_err("templates: no mail template %s", name);
		return -1;
	}
	if (hdf == NULL) {
		if ((err = hdf_init(&empty)) != STATUS_OK) {
			log_nerr(name, err);
			return -1;
		}
		hdf = empty;
	}
	rc = render(t, hdf, lang, out);
	if (empty != NULL)
		hdf_destroy(&empty);
	return rc;
}
