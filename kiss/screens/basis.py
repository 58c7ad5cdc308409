"""What every KISS screen, dialog and widget shares: the werkplek, and ONE way to run a
werkplek call without blocking the event loop.

``voer_uit`` runs the call in a thread worker (``exit_on_error=False``), hands the result to
a callback on the UI thread (a callback may return a past-tense message; it is posted), and
sends every failure to the app's single handler (:meth:`KissApp.werk_mislukt`), which shows
a Dutch message, keeps what was typed and retries database trouble. A caller that wants to
show a refusal at its own fields (validation) passes ``bij_weigering``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer
from textual.worker import Worker, get_current_worker

from kiss.werkplek.fouten import weigering
from kiss.widgets.gebieden import GebiedenBalk

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from kiss.app import KissApp
    from kiss.werkplek import Werkplek

T = TypeVar("T")
ResultaatT = TypeVar("ResultaatT")


def voer_uit(
    node: DOMNode,
    taak: Callable[[], T],
    klaar: Callable[[T], Any] | None = None,
    *,
    groep: str = "werkplek",
    exclusief: bool = False,
    wacht: float = 0.0,
    bij_weigering: Callable[[Exception], Any] | None = None,
    herhaal: bool = True,
    altijd: Callable[[], Any] | None = None,
) -> Worker[None]:
    """Run ``taak`` in a thread; see the module doc. ``wacht`` debounces: with ``exclusief``
    each new call cancels the previous one before it reaches the database. ``altijd`` runs
    on the UI thread when the call ended, however it ended (e.g. to re-enable a button)."""
    app = cast("KissApp", node.app)

    def op_ui(functie: Callable[..., Any], *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the app is closing: nothing left to show
            app.call_from_thread(functie, *args)

    def opnieuw() -> None:
        if node.is_attached:
            voer_uit(
                node,
                taak,
                klaar,
                groep=groep,
                exclusief=exclusief,
                bij_weigering=bij_weigering,
                herhaal=herhaal,
            )

    def afhandelen(resultaat: T) -> None:
        app.werk_gelukt()
        if klaar is not None and node.is_attached:
            bericht = klaar(resultaat)
            if isinstance(bericht, Message):
                node.post_message(bericht)

    def draai() -> None:
        try:
            uitvoeren(get_current_worker())
        finally:
            if altijd is not None:
                op_ui(altijd)

    def uitvoeren(worker: Worker[None]) -> None:
        if wacht:
            time.sleep(wacht)
            if worker.is_cancelled:
                return
        try:
            resultaat = taak()
        except Exception as fout:
            if worker.is_cancelled:
                return
            if bij_weigering is not None and weigering(fout) is not None:
                op_ui(bij_weigering, fout)
            else:
                op_ui(app.werk_mislukt, fout, opnieuw if herhaal else None)
            return
        if not worker.is_cancelled:
            op_ui(afhandelen, resultaat)

    return node.run_worker(
        draai, thread=True, group=groep, exclusive=exclusief, exit_on_error=False
    )


class WerkplekToegang:
    """Typed access to the app and its werkplek, and :func:`voer_uit` as a method."""

    app: Any

    @property
    def kiss(self) -> KissApp:
        return cast("KissApp", self.app)

    @property
    def werkplek(self) -> Werkplek:
        return self.kiss.werkplek

    def voer_uit(
        self,
        taak: Callable[[], T],
        klaar: Callable[[T], Any] | None = None,
        **opties: Any,
    ) -> Worker[None]:
        return voer_uit(cast("DOMNode", self), taak, klaar, **opties)


class KissScreen(WerkplekToegang, Screen[None]):
    """Base of the work areas' screens: every area shows the F-keys of all areas."""

    def _on_mount(self) -> None:
        footers = self.query(Footer)
        if footers:
            self.mount(
                GebiedenBalk(self.kiss.gebieden, self.kiss.mode_van(self)), before=footers.first()
            )


class KissDialoog(WerkplekToegang, ModalScreen[ResultaatT]):
    """Base of KISS's modal dialogs."""
