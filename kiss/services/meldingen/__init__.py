"""Notification mails for terugbelnotities (see :mod:`kiss.services.meldingen.mails`)."""

from kiss.services.meldingen.mails import Planstand, ontvanger, plan, verstuur

__all__ = ["Planstand", "ontvanger", "plan", "verstuur"]
