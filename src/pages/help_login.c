/*
 * GET /help/login — 「ログインでお困りの場合」, linked under the login button
 * (seed 001 p.10): forgotten password (→ /password/forgot), forgotten login ID
 * (→ the inquiry form, category login_id: identity is checked by the support
 * office, seed 001 Q3), a locked account (how long, that it ends by itself,
 * the mail), the image CAPTCHA (why, and that it gets harder with failures,
 * seed 000), automatic login, an unfinished signup, an address used before
 * (seed 001 Q3), and the browsers that work. The numbers come from the
 * configuration (Login.LockAfterFailures, Login.LockMinutes,
 * Session.RememberDays, Login.ResetMinutes). Open to everyone; always 200.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "request.h"
#include "router.h"

int
page_help_login(struct req *r)
{
	char		 fails[24], mins[24], days[24], reset[24];
	const char	*vars[] = { "failures", fails, "minutes", mins, "days", days,
	    "reset", reset, NULL };

	r->template = "help_login";
	snprintf(fails, sizeof(fails), "%lld", config_int("Login.LockAfterFailures"));
	snprintf(mins, sizeof(mins), "%lld", config_int("Login.LockMinutes"));
	snprintf(days, sizeof(days), "%lld", config_int("Session.RememberDays"));
	snprintf(reset, sizeof(reset), "%lld", config_int("Login.ResetMinutes"));
	req_set_text(r, "Help.Login.LockedText", "Help.Login.Locked.Text", vars);
	req_set_text(r, "Help.Login.PasswordText", "Help.Login.Password.Text", vars);
	if (config_int("Session.RememberDays") > 0)
		req_set_text(r, "Help.Login.RememberText", "Help.Login.Remember.Text",
		    vars);
	req_set_int(r, "Help.Login.Captcha",
	    strcmp(config_str("Login.Captcha"), "on") == 0);
	return 200;
}
