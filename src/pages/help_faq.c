/*
 * GET /help/faq — よくある質問: the seeds' questions and answers (seed 001
 * Q1–Q8 and what seed 000 answers along the way), kept as content the
 * operator edits without a rebuild or restart (src/faq.h: Help.FAQFile, else
 * the shipped templates/help/faq.hdf). Open to everyone, in the page's
 * language (English texts fall back to Japanese).
 *
 * Outcomes: 200 with the FAQ; 200 with the shipped FAQ when the configured
 * file is unreadable or malformed (logged by faq.c once per change of the
 * file); 200 with a short "unavailable, please ask us" text and the inquiry
 * link when no file is usable. Never 500 for bad content.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "faq.h"
#include "request.h"
#include "router.h"
#include "util.h"

/* The text of node's key in lang (ja when lang's is absent). */
static const char *
text_of(HDF *node, const char *key, const char *lang)
{
	char		 k[64];
	const char	*v;

	snprintf(k, sizeof(k), "%s.%s", key, lang);
	if ((v = hdf_get_value(node, k, NULL)) != NULL)
		return v;
	snprintf(k, sizeof(k), "%s.ja", key);
	return hdf_get_value(node, k, "");
}

/* v with {service} and {operator} filled in and its ends trimmed. malloc'd. */
static char *
fill(const char *v)
{
	static const char *const names[] = { "{service}", "{operator}" };
	const char	*vals[] = { config_str("Service.Name"),
	    config_str("Service.Operator") };
	struct buf	 b = { 0 };
	const char	*e;
	size_t		 i, n;

	v += strspn(v, " \t\r\n");
	e = v + strlen(v);
	while (e > v && strchr(" \t\r\n", e[-1]) != NULL)
		e--;
	while (v < e) {
		for (i = 0; i < 2; i++) {
			n = strlen(names[i]);
			if ((size_t)(e - v) >= n && strncmp(v, names[i], n) == 0)
				break;
		}
		if (i < 2) {
			buf_puts(&b, vals[i]);
			v += n;
		} else
			buf_append(&b, v++, 1);
	}
	return b.data != NULL ? b.data : xstrdup("");
}

/*
 * The answer as paragraphs at prefix.<n>: split at empty lines, each line's
 * indentation removed, the line breaks inside a paragraph kept (the page
 * shows them with white-space: pre-line).
 */
static void
set_answer(struct req *r, const char *prefix, const char *answer)
{
	char		*all = fill(answer), *p = all, *nl, key[240];
	const char	*t;
	struct buf	 para = { 0 };
	size_t		 len;
	int		 n = 0;

	for (;;) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		t = p;
		while (len > 0 && strchr(" \t\r", *t) != NULL) {
			t++;
			len--;
		}
		while (len > 0 && strchr(" \t\r", t[len - 1]) != NULL)
			len--;
		if (len > 0) {
			if (para.len > 0)
				buf_puts(&para, "\n");
			buf_append(&para, t, len);
		}
		if ((len == 0 || nl == NULL) && para.len > 0) {
			snprintf(key, sizeof(key), "%s.%d", prefix, n++);
			req_set(r, key, para.data);
			para.len = 0;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	buf_free(&para);
	free(all);
}

/* The page data of one item at prefix (Faq.Sections.<s>.Items.<i>). */
static void
set_item(struct req *r, const char *prefix, HDF *it)
{
	HDF	*l;
	char	 key[200], *t;
	int	 n = 0;

	snprintf(key, sizeof(key), "%s.Id", prefix);
	req_set(r, key, hdf_obj_name(it));
	t = fill(text_of(it, "Question", r->lang));
	snprintf(key, sizeof(key), "%s.Question", prefix);
	req_set(r, key, t);
	free(t);
	snprintf(key, sizeof(key), "%s.Answer", prefix);
	set_answer(r, key, text_of(it, "Answer", r->lang));
	for (l = hdf_get_child(it, "Link"); l != NULL; l = hdf_obj_next(l), n++) {
		snprintf(key, sizeof(key), "%s.Links.%d.URL", prefix, n);
		req_set(r, key, hdf_get_value(l, "URL", ""));
		t = fill(text_of(l, "Text", r->lang));
		snprintf(key, sizeof(key), "%s.Links.%d.Text", prefix, n);
		req_set(r, key, t);
		free(t);
	}
}

int
page_help_faq(struct req *r)
{
	HDF	*faq, *s, *it;
	char	 key[120], *t;
	int	 fallback, ns = 0, ni;

	r->template = "help_faq";
	if ((faq = faq_get(&fallback)) == NULL) {
		req_set(r, "Faq.Unavailable", "1");
		return 200;
	}
	for (s = hdf_get_child(faq, "Section"); s != NULL; s = hdf_obj_next(s),
	    ns++) {
		snprintf(key, sizeof(key), "Faq.Sections.%d.Id", ns);
		req_set(r, key, hdf_obj_name(s));
		t = fill(text_of(s, "Title", r->lang));
		snprintf(key, sizeof(key), "Faq.Sections.%d.Title", ns);
		req_set(r, key, t);
		free(t);
		ni = 0;
		for (it = hdf_get_child(s, "Item"); it != NULL;
		    it = hdf_obj_next(it), ni++) {
			snprintf(key, sizeof(key), "Faq.Sections.%d.Items.%d", ns, ni);
			set_item(r, key, it);
		}
	}
	return 200;
}
