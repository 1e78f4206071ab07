/*
 * faq.h — the content of よくある質問 (/help/faq): an HDF file the operator
 * edits without a rebuild or a restart.
 *
 * The file is Help.FAQFile, or, when that key is empty, the shipped
 * <Server.Templates>/help/faq.hdf (the seeds' questions). Each worker checks
 * the file's identity (device, inode, size, modification time) at every page
 * view and reads it again when it changed, so an edit shows at the next view.
 * A file that cannot be read or is malformed is logged once per change (file,
 * line or key, reason) and the shipped file is shown instead; when that is bad
 * too, faq_get returns NULL and the page says the FAQ is unavailable.
 *
 * The format (docs/operations.md "The FAQ page", the shipped file as example):
 *
 *   Section.<name> {                 one or more; shown in file order
 *     Title.ja = …   Title.en = …    (en optional: Japanese is shown instead)
 *     Item.<name> {                  one or more; <name> is the page anchor
 *       Question.ja = …              one line
 *       Answer.ja << EOM             paragraphs separated by an empty line
 *       …
 *       EOM
 *       Question.en, Answer.en       optional
 *       Link.<name> {                optional links below the answer
 *         URL = /password/forgot     a path on this site or an http(s) URL
 *         Text.ja = …   Text.en = …
 *       }
 *     }
 *   }
 *
 * {service} and {operator} in texts become Service.Name and Service.Operator.
 */
#ifndef KENPO_FAQ_H
#define KENPO_FAQ_H

#include <ClearSilver.h>

#define FAQ_MAX_BYTES		(256 * 1024)
#define FAQ_MAX_ITEMS		200
#define FAQ_QUESTION_MAX	500	/* characters */
#define FAQ_ANSWER_MAX		5000
#define FAQ_TITLE_MAX		200

/*
 * The FAQ to show now (checked against the files as described above), or
 * NULL when neither file is usable. Owned by this module: valid until the next
 * call. *fallback (may be NULL) is set to 1 when the shipped file stands in
 * for a configured one that is bad.
 */
HDF	*faq_get(int *fallback);

/*
 * Read and check one FAQ file. Returns its HDF (the caller destroys it), or
 * NULL with a one-line reason in err (naming the line or the key).
 */
HDF	*faq_load(const char *path, char *err, size_t errlen);

#endif
