"""Reading one raw mail safely: whatever arrives, a :class:`Binnenkomend` comes out.

Never raises on bad input. Broken encodings are decoded with replacement characters, an
HTML-only mail becomes readable plain text (tags dropped, scripts and styles removed, never
rendered or executed), a missing From or Message-ID gets a safe fallback, and attachments
above the size limit keep only their name and size. Every such fallback adds a Dutch
sentence to ``meldingen`` that the agent sees with the mail.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.utils import parseaddr
from html.parser import HTMLParser

MAX_TEKST = 200_000  # characters of body text kept; a longer mail is cut with a note
_BLOK = set(
    "p div br li tr h1 h2 h3 h4 h5 h6 table blockquote pre hr ul ol section article header "
    "footer".split()
)
_ONZICHTBAAR = {"script", "style", "head", "title", "template", "noscript", "iframe", "object"}
_MSGID = re.compile(r"<[!-;=?-~]{1,490}>")  # printable ASCII only: no NUL, no spaces
_AUTOMATISCH_VAN = re.compile(r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@", re.I)


@dataclass(frozen=True)
class Bijlage:
    bestandsnaam: str
    mime: str
    grootte: int
    inhoud: bytes | None  # None: larger than the limit, not kept


@dataclass
class Binnenkomend:
    message_id: str
    van: str  # lower-case address, "" when missing or unreadable
    van_naam: str
    aan: str
    onderwerp: str
    tekst: str
    was_html: bool = False
    in_reply_to: str = ""
    referenties: list[str] = field(default_factory=list)
    datum: datetime | None = None
    automatisch: bool = False  # auto-reply, bounce, list mail: never confirmed
    bijlagen: list[Bijlage] = field(default_factory=list)
    meldingen: list[str] = field(default_factory=list)

    @property
    def melding(self) -> str:
        return " ".join(self.meldingen)[:1000]


class _HtmlNaarTekst(HTMLParser):
    """Text of an HTML document: no tags, no scripts/styles, line breaks for blocks, and the
    target of a link after its text (so a resident's link stays visible, never clickable)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.delen: list[str] = []
        self._verborgen = 0
        self._link: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ONZICHTBAAR:
            self._verborgen += 1
        elif tag in _BLOK:
            self.delen.append("\n")
        elif tag == "a":
            self._link.append(dict(attrs).get("href") or "")
        elif tag == "img" and (alt := dict(attrs).get("alt")):
            self.delen.append(f"[{alt}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in _ONZICHTBAAR:
            self._verborgen = max(0, self._verborgen - 1)
        elif tag in _BLOK:
            self.delen.append("\n")
        elif tag == "a" and self._link:
            doel = self._link.pop()
            if doel.startswith(("http://", "https://", "mailto:")):
                self.delen.append(f" ({doel})")

    def handle_data(self, data: str) -> None:
        if not self._verborgen:
            self.delen.append(data)


def html_naar_tekst(bron: str) -> str:
    """Readable plain text of HTML (never rendered: the result holds no markup)."""
    lezer = _HtmlNaarTekst()
    try:
        lezer.feed(bron)
        lezer.close()
    except Exception:  # a parser hiccup on hostile HTML: fall back to dropping tags
        return html.unescape(re.sub(r"<[^>]*>", " ", bron))
    tekst = "".join(lezer.delen).replace("\xa0", " ")
    regels = [re.sub(r"[ \t\r\f\v]+", " ", r).strip() for r in tekst.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(regels)).strip()


def veilig(tekst: str) -> str:
    """No control characters (terminal escapes!) except newline and tab, no lone surrogates."""
    return "".join(
        "\ufffd"
        if 0xD800 <= ord(t) <= 0xDFFF  # an undecodable byte kept as a lone surrogate
        else t
        if t in "\n\t" or (t >= " " and not 0x7F <= ord(t) < 0xA0)
        else " "
        for t in tekst.replace("\r\n", "\n").replace("\r", "\n")
    )


def _header(bericht: Message, naam: str, meldingen: list[str]) -> str:
    try:
        waarde = bericht.get(naam)
        return "" if waarde is None else veilig(str(waarde)).replace("\n", " ").strip()
    except Exception:
        meldingen.append(f"De kop '{naam}' was onleesbaar en is weggelaten.")
        return ""


def _ruwe_header(bericht: Message, naam: str) -> str:
    """A header as raw text (for ids: no decoding needed, nothing to go wrong)."""
    for sleutel, waarde in bericht.raw_items() if hasattr(bericht, "raw_items") else []:
        if sleutel.lower() == naam.lower():
            return str(waarde)
    return ""


def _tekst_van(deel: Message, meldingen: list[str]) -> str:
    ruw = deel.get_payload(decode=True)
    if not isinstance(ruw, bytes):
        return str(deel.get_payload() or "")
    tekenset = deel.get_content_charset() or "utf-8"
    try:
        return ruw.decode(tekenset)
    except (LookupError, UnicodeDecodeError):
        melding = (
            "Een deel van de tekst had een onleesbare tekenset; onleesbare tekens zijn "
            "vervangen door �."
        )
        if melding not in meldingen:
            meldingen.append(melding)
        try:
            return ruw.decode(tekenset, errors="replace")
        except LookupError:
            return ruw.decode("utf-8", errors="replace")


def _mb(grootte: int) -> str:
    return f"{grootte / 1_000_000:.1f}".replace(".", ",") + " MB"


def onleesbaar(ruw: bytes) -> Binnenkomend:
    """The last resort for a mail KISS could not store: a case that says so, so the mail is
    never lost in the queue (the original stays in the mailbox)."""
    return Binnenkomend(
        message_id=f"<{hashlib.sha256(ruw).hexdigest()}@kiss.onleesbaar>",
        van="",
        van_naam="",
        aan="",
        onderwerp="(onleesbare mail)",
        tekst="",
        meldingen=[
            "KISS kon deze mail niet lezen; open hem in de mailbox zelf en beantwoord hem daar "
            "of maak een terugbelnotitie."
        ],
    )


def lees(ruw: bytes, *, max_bijlage: int = 10_000_000) -> Binnenkomend:
    """Parse one raw RFC 5322 message (see the module text for the fallbacks)."""
    meldingen: list[str] = []
    try:
        bericht: Message = message_from_bytes(ruw, policy=policy.default)
    except Exception:  # pragma: no cover - the parser is lenient; keep a fallback anyway
        bericht = message_from_bytes(ruw, policy=policy.compat32)
    if getattr(bericht, "defects", None):
        meldingen.append("De opbouw van deze mail klopte niet helemaal; lees hem na.")

    message_id = _msgid(_ruwe_header(bericht, "Message-ID"))
    if not message_id:
        message_id = f"<{hashlib.sha256(ruw).hexdigest()}@kiss.zonder-id>"
    in_reply_to = _msgid(_ruwe_header(bericht, "In-Reply-To"))
    referenties = _MSGID.findall(_ruwe_header(bericht, "References"))

    van, van_naam = _afzender(bericht, meldingen)
    aan = _header(bericht, "To", meldingen)[:1000]
    onderwerp = _header(bericht, "Subject", meldingen)[:998]
    datum = None
    try:
        waarde = bericht.get("Date")
        datum = getattr(waarde, "datetime", None)
    except Exception:
        datum = None

    tekst, was_html = _inhoud(bericht, meldingen)
    if len(tekst) > MAX_TEKST:
        tekst = tekst[:MAX_TEKST]
        meldingen.append("De tekst was erg lang en is ingekort; lees de rest in de mailbox.")
    bijlagen = _bijlagen(bericht, max_bijlage, meldingen)
    return Binnenkomend(
        message_id=message_id,
        van=van,
        van_naam=van_naam,
        aan=aan,
        onderwerp=onderwerp,
        tekst=tekst,
        was_html=was_html,
        in_reply_to=in_reply_to,
        referenties=referenties,
        datum=datum,
        automatisch=_automatisch(bericht, van),
        bijlagen=bijlagen,
        meldingen=meldingen,
    )


def _msgid(waarde: str) -> str:
    gevonden = _MSGID.search(waarde or "")
    return gevonden.group(0) if gevonden else ""


def _afzender(bericht: Message, meldingen: list[str]) -> tuple[str, str]:
    ruw = _ruwe_header(bericht, "From")
    adres, naam = "", ""
    try:
        waarde = bericht.get("From")
        adressen: tuple[Address, ...] = getattr(waarde, "addresses", ())
        if adressen:
            adres, naam = adressen[0].addr_spec, adressen[0].display_name
    except Exception:
        adres = ""
    if not adres and ruw:
        naam, adres = parseaddr(ruw)
    adres = veilig(adres).strip().lower()
    if not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", adres) or len(adres) > 254:
        adres = ""
    if not adres:
        meldingen.append(
            "Deze mail heeft geen (leesbare) afzender: beantwoorden kan niet. Maak een "
            "terugbelnotitie als er een nummer in staat, of sluit de mail."
        )
    return adres, veilig(naam).replace("\n", " ").strip()[:200]


def _inhoud(bericht: Message, meldingen: list[str]) -> tuple[str, bool]:
    """The plain text body, else the HTML body as text."""
    deel: Message | None = None
    if isinstance(bericht, EmailMessage):
        try:
            deel = bericht.get_body(preferencelist=("plain", "html"))
        except Exception:
            deel = None
    if deel is None:
        for kandidaat in bericht.walk():
            if kandidaat.get_content_maintype() == "text" and not kandidaat.get_filename():
                deel = kandidaat
                break
    if deel is None:
        return "", False
    tekst = _tekst_van(deel, meldingen)
    if deel.get_content_subtype() == "html":
        meldingen.append("Deze mail had alleen HTML; u ziet de tekst zonder opmaak.")
        return veilig(html_naar_tekst(tekst)), True
    return veilig(tekst).strip(), False


def _bijlagen(bericht: Message, max_bijlage: int, meldingen: list[str]) -> list[Bijlage]:
    if not isinstance(bericht, EmailMessage):
        return []
    gevonden: list[Bijlage] = []
    try:
        delen = list(bericht.iter_attachments())
    except Exception:
        return []
    for deel in delen:
        try:
            naam = veilig(deel.get_filename() or "").replace("\n", " ").strip()
        except Exception:
            naam = ""
        naam = re.sub(r"[/\\]", "_", naam)[:255] or "bijlage"
        inhoud = deel.get_payload(decode=True)
        if not isinstance(inhoud, bytes):
            inhoud = b""
        mime = deel.get_content_type()[:120]
        if len(inhoud) > max_bijlage:
            meldingen.append(
                f"Bijlage '{naam}' ({_mb(len(inhoud))}) is groter dan {_mb(max_bijlage)} en "
                "niet bewaard; u vindt hem in de mailbox zelf."
            )
            gevonden.append(Bijlage(naam, mime, len(inhoud), None))
        else:
            gevonden.append(Bijlage(naam, mime, len(inhoud), inhoud))
    return gevonden


def _automatisch(bericht: Message, van: str) -> bool:
    """An auto-reply, bounce or list mail: confirming it could start a mail loop."""
    try:
        auto = str(bericht.get("Auto-Submitted") or "").strip().lower()
        voorrang = str(bericht.get("Precedence") or "").strip().lower()
        autoreply = bericht.get("X-Autoreply") or bericht.get("X-Autorespond")
    except Exception:
        return True
    return (
        (auto not in ("", "no"))
        or voorrang in ("bulk", "junk", "list", "auto_reply")
        or bool(autoreply)
        or bool(_AUTOMATISCH_VAN.match(van))
    )
