<?cs # The one footer of every mail in mail/ (included by each, called after its
  own text, in the mail's language): the send-only note, where to ask, and the
  signature after the "-- " line (RFC 3676: mail clients grey it out).
  to_member = 0 for the support office's own copy (no "ask us" line). The
  support URL: Mail.SupportURL when the sender set it, else Service.SupportURL
  made absolute. ?><?cs
def:mail_footer(to_member) ?><?cs
if:to_member ?><?cs
if:Lang == "en" ?>
This mail was sent from a send-only address; replies are not read.
If you have questions, please contact us here:
<?cs else ?>
※このメールは送信専用のアドレスから送信しています。ご返信いただいても
　お答えできません。ご不明な点は、次のお問い合わせページからご連絡ください。
<?cs /if ?><?cs
if:Mail.SupportURL ?><?cs var:Mail.SupportURL ?><?cs
else ?><?cs if:string.slice(Service.SupportURL, 0, 1) == "/" ?><?cs var:Service.BaseURL ?><?cs /if ?><?cs var:Service.SupportURL ?><?cs /if ?>
<?cs /if ?>
-- 
<?cs var:Service.Name ?><?cs if:Lang == "en" ?> / operated by <?cs else ?>（運営：<?cs /if ?><?cs var:Service.Operator ?><?cs if:Lang != "en" ?>）<?cs /if ?>
<?cs /def ?>