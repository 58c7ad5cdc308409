"""Notification mails for terugbelnotities (see :mod:`kiss.services.meldingen.mails`)."""

from kiss.services.meldingen.mails import ontvanger, plan, verstuur

__all__ = ["ontvanger", "plan", "verstuur"]
