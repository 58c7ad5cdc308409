"""The heartbeat ``kiss dienst`` writes, read by desktops (indicator) and ``kiss dienst status``."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from kiss.models import DienstStatus

NAAM = "kiss dienst"


def gestart(session: Session, nu: datetime) -> None:
    status = session.get(DienstStatus, NAAM)
    if status is None:
        session.add(DienstStatus(naam=NAAM, gestart_op=nu, hartslag_op=nu))
    else:
        status.gestart_op, status.hartslag_op, status.gestopt_op = nu, nu, None


def hartslag(session: Session, nu: datetime) -> None:
    status = session.get(DienstStatus, NAAM)
    if status is None:
        gestart(session, nu)
    else:
        status.hartslag_op, status.gestopt_op = nu, None


def gestopt(session: Session, nu: datetime) -> None:
    status = session.get(DienstStatus, NAAM)
    if status is not None:
        status.gestopt_op = nu


def lees(session: Session) -> DienstStatus | None:
    return session.get(DienstStatus, NAAM)
