"""E-mail over SMTP (aiosmtplib): one multipart message (plain text and HTML, UTF-8) per outgoing mail, with
the mail's stable ``Message-ID``.

``THIDUA_SMTP_HOST``, ``_PORT``, ``_STARTTLS`` (upgrade a plain connection), ``_TLS`` (connect over TLS, e.g.
port 465), ``_USER``, ``_PASSWORD``, ``_SENDER`` (the From address), ``_SENDER_NAME``, ``_TIMEOUT`` (seconds),
``_VALIDATE_CERTS``.
"""

from __future__ import annotations

from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate

import aiosmtplib
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from notifications.adapters.mail import OutgoingMail


class SmtpSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="THIDUA_SMTP_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=25, ge=1, le=65535)
    starttls: bool = False
    tls: bool = False
    user: str | None = None
    password: SecretStr | None = None
    sender: str = "thidua@localhost"
    sender_name: str = "Hệ thống thi đua, khen thưởng"
    timeout: float = Field(default=30, gt=0)
    validate_certs: bool = True

    @model_validator(mode="after")
    def _one_way_to_tls(self) -> SmtpSettings:
        if self.starttls and self.tls:
            raise ValueError("THIDUA_SMTP_STARTTLS and THIDUA_SMTP_TLS exclude each other: STARTTLS upgrades a "
                             "plain connection (port 587), TLS connects over TLS (port 465)")
        return self


class MailNotSent(Exception):
    """The SMTP server refused the mail or could not be reached; ``code`` is its reply code (None when there was
    no reply: the connection failed or timed out). A code of 5xx is permanent, 4xx worth retrying."""

    def __init__(self, mail: OutgoingMail, code: int | None, reason: str) -> None:
        self.mail = mail
        self.code = code
        self.reason = reason
        what = f"SMTP {code}" if code is not None else "no SMTP reply"
        super().__init__(f"mail {mail.message_id} to {mail.to_address} not sent ({what}): {reason}")

    @property
    def permanent(self) -> bool:
        return self.code is not None and 500 <= self.code < 600


def message_of(settings: SmtpSettings, mail: OutgoingMail) -> Message:
    """The mail as sent. Built with the ``email.mime`` classes and ``Header`` on purpose: Python 3.11's
    ``EmailMessage`` folds a long Vietnamese subject into encoded words that lose the space at each fold
    ("Cờ thiđua" in the reader's mailbox); ``Header`` keeps it inside the encoded word."""
    message = MIMEMultipart("alternative")
    message["From"] = formataddr((settings.sender_name, settings.sender), charset="utf-8")
    message["To"] = formataddr((mail.to_name, mail.to_address), charset="utf-8")
    message["Subject"] = Header(mail.subject, "utf-8", header_name="Subject").encode()
    message["Message-ID"] = mail.message_id
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Content-Language"] = mail.language
    message.attach(MIMEText(mail.text, "plain", "utf-8"))
    message.attach(MIMEText(mail.html, "html", "utf-8"))
    return message


async def send_mail(settings: SmtpSettings, mail: OutgoingMail) -> None:
    """Send one mail; :class:`MailNotSent` (with the SMTP code) if the server refuses it or does not answer."""
    try:
        await aiosmtplib.send(
            message_of(settings, mail), hostname=settings.host, port=settings.port,
            username=settings.user, password=settings.password.get_secret_value() if settings.password else None,
            use_tls=settings.tls, start_tls=settings.starttls, timeout=settings.timeout,
            validate_certs=settings.validate_certs)
    except aiosmtplib.SMTPRecipientsRefused as error:
        refused = error.recipients[0] if error.recipients else None
        raise MailNotSent(mail, refused.code if refused else None,
                          refused.message if refused else str(error)) from error
    except aiosmtplib.SMTPResponseException as error:
        raise MailNotSent(mail, error.code, error.message) from error
    except (aiosmtplib.SMTPException, OSError) as error:
        raise MailNotSent(mail, None, str(error) or type(error).__name__) from error
