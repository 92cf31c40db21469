"""Email through the SMTP server EmailSettings names."""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from store import db as store_db


class MailError(Exception):
    """The message could not be handed to the SMTP server."""


def send(config, to, subject, text):
    store_db.release()   # the SMTP exchange holds no database connection
    settings = config["EmailSettings"]
    message = EmailMessage()
    message["From"] = formataddr((settings["FeedbackName"] or config["TeamSettings"]["SiteName"],
                                  settings["FeedbackEmail"]))
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings["FeedbackEmail"].split("@")[-1] or None)
    if settings["ReplyToAddress"]:
        message["Reply-To"] = settings["ReplyToAddress"]
    message.set_content(text)
    host, port = settings["SMTPServer"], int(settings["SMTPPort"] or 25)
    timeout = int(settings.get("SMTPServerTimeout") or 10)
    context = ssl.create_default_context()
    if settings["SkipServerCertificateVerification"]:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        if settings["ConnectionSecurity"] == "TLS":
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if settings["ConnectionSecurity"] == "STARTTLS":
                smtp.starttls(context=context)
            if settings["EnableSMTPAuth"]:
                smtp.login(settings["SMTPUsername"], settings["SMTPPassword"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as e:
        raise MailError(str(e))
