"""A fake Open Klant 2.18 (Klantinteracties API 0.9.0) on loopback for the tests.

Every request and every successful response is validated against the official OpenAPI
document (``klantinteracties-openapi-0.9.0.yaml`` beside this file) with openapi-core; what
does not match is refused and recorded in ``spec_fouten``. On top of the schema it enforces the
rules a real Open Klant 2.18 applies (see ``docs/openklant.md``), answering in Dutch in
``invalidParams`` like the real one. Query parameters the spec does not list are an error here
(a real server silently ignores them, which would make a lookup match everything).

On command it fails (5xx), stalls past the client's timeout (after or before storing the
object), drops the connection, or refuses (400) the next matching request.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

SPEC = Path(__file__).with_name("klantinteracties-openapi-0.9.0.yaml")
BASIS = "/klantinteracties/api/v1"
_api: OpenAPI | None = None
_api_lock = threading.Lock()


def _nullable_allof(knoop: Any) -> Any:
    """The document marks many links ``nullable`` next to an ``allOf`` of the link schema.
    OpenAPI 3.0 validators read that as not nullable; Open Klant (Django REST framework)
    accepts null there and even requires the key ``verstrektDoorPartij`` with null. Read it as
    the authors meant: the link, or null."""
    if isinstance(knoop, list):
        return [_nullable_allof(k) for k in knoop]
    if not isinstance(knoop, dict):
        return knoop
    knoop = {k: _nullable_allof(v) for k, v in knoop.items()}
    if knoop.get("nullable") and "allOf" in knoop and "type" not in knoop:
        rest = {k: v for k, v in knoop.items() if k not in ("allOf", "nullable")}
        return {**rest, "anyOf": [*knoop["allOf"], {"type": "object", "nullable": True,
                                                     "enum": [None]}]}  # fmt: skip
    return knoop


def api() -> OpenAPI:
    global _api
    with _api_lock:
        if _api is None:
            document = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
            _api = OpenAPI.from_dict(_nullable_allof(document))
        return _api


# ------------------------------------------------------------------------- helpers


def elfproef(bsn: str) -> bool:
    if not re.fullmatch(r"\d{9}", bsn):
        return False
    som = sum(int(c) * w for c, w in zip(bsn[:8], range(9, 1, -1), strict=True))
    return (som - int(bsn[8])) % 11 == 0


_TELEFOON = re.compile(r"^(\+|00)?[0-9]+$")
_MEDEWERKER_TELEFOON = re.compile(r"^(0[1-9][0-9]{8}|\+[0-9]{9,15}|00[0-9]{7,13})$")


def telefoon_fout(adres: str) -> str | None:
    if not _TELEFOON.match(adres):
        return "Het opgegeven telefoonnummer is ongeldig: alleen cijfers, eventueel met + of 00."
    nationaal = adres
    for voorvoegsel in ("+31", "0031", "0"):
        if nationaal.startswith(voorvoegsel):
            nationaal = nationaal[len(voorvoegsel) :]
            break
    if nationaal.startswith(("800", "900", "14")) or len(re.sub(r"\D", "", adres)) < 10:
        return "Het opgegeven telefoonnummer is ongeldig."
    return None


class Weigering(Exception):
    def __init__(self, velden: dict[str, str], status: int = 400, code: str = "invalid") -> None:
        super().__init__(velden)
        self.velden = velden
        self.status = status
        self.code = code


@dataclass
class Storing:
    soort: str  # fout500 | timeout_na | timeout_voor | verbreek | weiger
    methode: str | None = None
    pad: str | None = None
    reden: str = ""
    aantal: int = 1


@dataclass
class Verzoek:
    methode: str
    pad: str
    query: dict[str, str]
    body: Any
    status: int = 0


# filters per collection: query parameter → value(s) of a stored object it compares with
FILTERS: dict[str, dict[str, Any]] = {
    "partijen": {
        "partijIdentificator__codeSoortObjectId": lambda r, o: [
            i["partijIdentificator"]["codeSoortObjectId"] for i in r.identificatoren(o)
        ],
        "partijIdentificator__objectId": lambda r, o: [
            i["partijIdentificator"]["objectId"] for i in r.identificatoren(o)
        ],
        "soortPartij": lambda r, o: o["soortPartij"],
    },
    "digitaleadressen": {
        "referentie": lambda r, o: o.get("referentie"),
        "adres": lambda r, o: o.get("adres"),
        "adres__icontains": None,  # special: substring
        "verstrektDoorPartij__uuid": lambda r, o: (o.get("verstrektDoorPartij") or {}).get("uuid"),
        "soortDigitaalAdres": lambda r, o: o.get("soortDigitaalAdres"),
    },
    "actoren": {
        "actoridentificatorObjectId": lambda r, o: (o.get("actoridentificator") or {}).get(
            "objectId"
        ),
        "actoridentificatorCodeRegister": lambda r, o: (o.get("actoridentificator") or {}).get(
            "codeRegister"
        ),
        "soortActor": lambda r, o: o.get("soortActor"),
    },
    "klantcontacten": {
        "referentienummer": lambda r, o: o.get("referentienummer"),
        "hadBetrokkene__wasPartij__uuid": lambda r, o: [
            (b.get("wasPartij") or {}).get("uuid")
            for b in r.data["betrokkenen"].values()
            if b["hadKlantcontact"]["uuid"] == o["uuid"]
        ],
    },
    "betrokkenen": {
        "hadKlantcontact__uuid": lambda r, o: o["hadKlantcontact"]["uuid"],
        "wasPartij__uuid": lambda r, o: (o.get("wasPartij") or {}).get("uuid"),
    },
    "onderwerpobjecten": {
        "klantcontact__uuid": lambda r, o: (o.get("klantcontact") or {}).get("uuid"),
        "onderwerpobjectidentificatorObjectId": lambda r, o: (
            o.get("onderwerpobjectidentificator") or {}
        ).get("objectId"),
    },
    "actorklantcontacten": {
        "actor__uuid": lambda r, o: o["actor"]["uuid"],
        "klantcontact__uuid": lambda r, o: o["klantcontact"]["uuid"],
    },
    "internetaken": {
        "referentienummer": lambda r, o: o.get("referentienummer"),
        "status": lambda r, o: o.get("status"),
    },
}

# which collection a link field points into
LINKS = {
    "verstrektDoorPartij": "partijen",
    "verstrektDoorBetrokkene": "betrokkenen",
    "wasPartij": "partijen",
    "hadKlantcontact": "klantcontacten",
    "klantcontact": "klantcontacten",
    "wasKlantcontact": "klantcontacten",
    "aanleidinggevendKlantcontact": "klantcontacten",
    "actor": "actoren",
}


@dataclass
class Register:
    """State and rules; :class:`FakeOpenKlant` puts HTTP around it."""

    token: str
    basis_url: str = ""
    data: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {k: {} for k in FILTERS}
    )
    lock: threading.RLock = field(default_factory=threading.RLock)

    def fk(self, collectie: str, uid: str) -> dict[str, str]:
        return {"uuid": uid, "url": f"{self.basis_url}/{collectie}/{uid}"}

    def identificatoren(self, partij: dict[str, Any]) -> list[dict[str, Any]]:
        return partij.get("partijIdentificatoren") or []

    # ---------------------------------------------------------------- checks

    def _link(self, veld: str, waarde: Any, collectie: str, fouten: dict[str, str]) -> None:
        if waarde is None:
            return
        if not isinstance(waarde, dict) or set(waarde) != {"uuid"}:
            fouten[veld] = 'Geef een verwijzing als {"uuid": "…"}.'
            return
        if waarde["uuid"] not in self.data[collectie]:
            fouten[veld] = "Ongeldige hyperlink - Object bestaat niet."

    def _links(self, body: dict[str, Any], fouten: dict[str, str]) -> None:
        for veld, collectie in LINKS.items():
            if veld in body:
                self._link(veld, body[veld], collectie, fouten)

    @staticmethod
    def _verplicht(body: dict[str, Any], velden: list[str], fouten: dict[str, str]) -> None:
        for veld in velden:
            if veld not in body:
                fouten[veld] = "Dit veld is vereist."

    def check(self, collectie: str, body: dict[str, Any]) -> None:
        fouten: dict[str, str] = {}
        if collectie == "partijen":
            self._verplicht(body, ["soortPartij", "indicatieActief"], fouten)
            for i, ident in enumerate(body.get("partijIdentificatoren") or []):
                pi = ident.get("partijIdentificator") or {}
                if pi.get("codeSoortObjectId") == "bsn" and not elfproef(
                    str(pi.get("objectId", ""))
                ):
                    fouten[f"partijIdentificatoren.{i}.objectId"] = (
                        "Ongeldig Burgerservicenummer: het voldoet niet aan de elfproef."
                    )
                if pi.get("codeSoortObjectId") in ("bsn", "kvk_nummer"):
                    for partij in self.data["partijen"].values():
                        for ander in self.identificatoren(partij):
                            api_ = ander["partijIdentificator"]
                            if (api_["codeSoortObjectId"], api_["objectId"]) == (
                                pi.get("codeSoortObjectId"),
                                pi.get("objectId"),
                            ):
                                fouten["partijIdentificator"] = (
                                    "Partij identificator met deze Partij identificator bestaat al."
                                )
        elif collectie == "digitaleadressen":
            self._verplicht(body, ["adres", "soortDigitaalAdres", "verstrektDoorPartij"], fouten)
            if body.get("soortDigitaalAdres") == "telefoonnummer":
                melding = telefoon_fout(str(body.get("adres", "")))
                if melding:
                    fouten["adres"] = melding
            if body.get("soortDigitaalAdres") == "email" and not re.fullmatch(
                r"[^@\s]+@[^@\s]+\.[^@\s]+", str(body.get("adres", ""))
            ):
                fouten["adres"] = "Voer een geldig e-mailadres in."
        elif collectie == "klantcontacten":
            self._verplicht(body, ["kanaal", "onderwerp", "taal", "vertrouwelijk"], fouten)
        elif collectie == "betrokkenen":
            self._verplicht(body, ["hadKlantcontact", "rol", "initiator"], fouten)
        elif collectie == "actoren":
            self._verplicht(body, ["naam", "soortActor"], fouten)
            if body.get("soortActor") == "medewerker":
                ident = body.get("actorIdentificatie") or {}
                if not ident.get("functie"):
                    fouten["actorIdentificatie.functie"] = "Dit veld is vereist."
                if not _MEDEWERKER_TELEFOON.match(str(ident.get("telefoonnummer", ""))):
                    fouten["actorIdentificatie.telefoonnummer"] = (
                        "Het opgegeven telefoonnummer is ongeldig."
                    )
        elif collectie == "internetaken":
            self._verplicht(
                body,
                ["aanleidinggevendKlantcontact", "gevraagdeHandeling", "status"],
                fouten,
            )
            if not body.get("toegewezenAanActoren"):
                fouten["toegewezenAanActoren"] = "Dit veld is vereist."
            for actor in body.get("toegewezenAanActoren") or []:
                self._link("toegewezenAanActoren", actor, "actoren", fouten)
            if body.get("afgehandeldOp") and body.get("status") != "verwerkt":
                fouten["afgehandeldOp"] = (
                    "De interne taak kan niet afgehandeld zijn als de status niet 'verwerkt' is."
                )
        elif collectie == "onderwerpobjecten":
            pass
        elif collectie == "actorklantcontacten":
            self._verplicht(body, ["actor", "klantcontact"], fouten)
        self._links(body, fouten)
        if "plaatsgevondenOp" in body:
            try:
                datetime.fromisoformat(str(body["plaatsgevondenOp"]).replace("Z", "+00:00"))
            except ValueError:
                fouten["plaatsgevondenOp"] = "Datetime heeft een ongeldig formaat."
        if fouten:
            raise Weigering(fouten)

    # ---------------------------------------------------------------- create / update

    def maak(self, collectie: str, body: dict[str, Any]) -> dict[str, Any]:
        self.check(collectie, body)
        uid = str(uuid.uuid4())
        obj = json.loads(json.dumps(body))
        obj["uuid"] = uid
        if collectie == "internetaken":
            obj["toegewezenOp"] = datetime.now(UTC).isoformat()
            obj["afgehandeldOp"] = (
                datetime.now(UTC).isoformat() if obj.get("status") == "verwerkt" else None
            )
        if collectie == "klantcontacten" and "plaatsgevondenOp" in obj:
            moment = datetime.fromisoformat(str(obj["plaatsgevondenOp"]).replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)  # read as UTC, like the real one
            obj["plaatsgevondenOp"] = moment.astimezone(UTC).isoformat()
        self.data[collectie][uid] = obj
        return obj

    def maak_klantcontact(self, body: dict[str, Any]) -> dict[str, Any]:
        fouten: dict[str, str] = {}
        kc_body = body.get("klantcontact") or {}
        try:
            self.check("klantcontacten", kc_body)
        except Weigering as w:
            fouten |= {f"klantcontact.{k}": v for k, v in w.velden.items()}
        betrokkene = body.get("betrokkene")
        if betrokkene is not None:
            self._verplicht(betrokkene, ["rol", "initiator"], fouten)
            self._link("betrokkene.wasPartij", betrokkene.get("wasPartij"), "partijen", fouten)
        if fouten:
            raise Weigering(fouten)
        kc = self.maak("klantcontacten", kc_body)
        antwoord: dict[str, Any] = {"klantcontact": kc["uuid"]}
        if betrokkene is not None:
            b = self.maak("betrokkenen", {**betrokkene, "hadKlantcontact": {"uuid": kc["uuid"]}})
            antwoord["betrokkene"] = b["uuid"]
        if body.get("onderwerpobject") is not None:
            o = self.maak(
                "onderwerpobjecten",
                {**body["onderwerpobject"], "klantcontact": {"uuid": kc["uuid"]}},
            )
            antwoord["onderwerpobject"] = o["uuid"]
        return antwoord

    def wijzig(self, collectie: str, uid: str, body: dict[str, Any]) -> dict[str, Any]:
        obj = self.data[collectie].get(uid)
        if obj is None:
            raise Weigering({"uuid": "Niet gevonden."}, status=404, code="not_found")
        nieuw = {**obj, **body}
        if collectie == "internetaken":
            if body.get("afgehandeldOp") and nieuw.get("status") != "verwerkt":
                raise Weigering(
                    {
                        "afgehandeldOp": "De interne taak kan niet afgehandeld zijn als de "
                        "status niet 'verwerkt' is."
                    }
                )
            if nieuw.get("status") == "verwerkt" and not obj.get("afgehandeldOp"):
                nieuw["afgehandeldOp"] = datetime.now(UTC).isoformat()
        self._links(body, {})
        self.data[collectie][uid] = nieuw
        return nieuw

    # ---------------------------------------------------------------- representations

    def weergave(self, collectie: str, obj: dict[str, Any]) -> dict[str, Any]:
        uid = obj["uuid"]
        uit = {k: v for k, v in obj.items()}
        uit["url"] = f"{self.basis_url}/{collectie}/{uid}"
        for veld, doel in LINKS.items():
            if isinstance(uit.get(veld), dict):
                uit[veld] = self.fk(doel, uit[veld]["uuid"])
        if collectie == "partijen":
            uit["betrokkenen"] = [
                self.fk("betrokkenen", b["uuid"])
                for b in self.data["betrokkenen"].values()
                if (b.get("wasPartij") or {}).get("uuid") == uid
            ]
            uit["categorieRelaties"] = []
            uit["vertegenwoordigden"] = []
            uit["digitaleAdressen"] = [
                self.fk("digitaleadressen", d["uuid"])
                for d in self.data["digitaleadressen"].values()
                if (d.get("verstrektDoorPartij") or {}).get("uuid") == uid
            ]
            uit["partijIdentificatoren"] = [
                {"url": f"{self.basis_url}/partij-identificatoren/{uid}-{i}", **ident}
                for i, ident in enumerate(self.identificatoren(obj))
            ]
            if obj["soortPartij"] == "persoon":
                ident = dict(obj.get("partijIdentificatie") or {})
                naam = ident.get("contactnaam") or {}
                ident["volledigeNaam"] = " ".join(
                    naam.get(k, "")
                    for k in ("voornaam", "voorvoegselAchternaam", "achternaam")
                    if naam.get(k)
                )
                uit["partijIdentificatie"] = ident
        elif collectie == "klantcontacten":
            uit["gingOverOnderwerpobjecten"] = [
                self.fk("onderwerpobjecten", o["uuid"])
                for o in self.data["onderwerpobjecten"].values()
                if (o.get("klantcontact") or {}).get("uuid") == uid
            ]
            uit["hadBetrokkenActoren"] = [
                self.weergave("actoren", self.data["actoren"][ak["actor"]["uuid"]])
                for ak in self.data["actorklantcontacten"].values()
                if ak["klantcontact"]["uuid"] == uid
            ]
            uit["omvatteBijlagen"] = []
            uit["hadBetrokkenen"] = [
                self.fk("betrokkenen", b["uuid"])
                for b in self.data["betrokkenen"].values()
                if b["hadKlantcontact"]["uuid"] == uid
            ]
            uit["leiddeTotInterneTaken"] = [
                self.fk("internetaken", t["uuid"])
                for t in self.data["internetaken"].values()
                if t["aanleidinggevendKlantcontact"]["uuid"] == uid
            ]
        elif collectie == "betrokkenen":
            uit["digitaleAdressen"] = [
                self.fk("digitaleadressen", d["uuid"])
                for d in self.data["digitaleadressen"].values()
                if (d.get("verstrektDoorBetrokkene") or {}).get("uuid") == uid
            ]
            naam = obj.get("contactnaam") or {}
            uit["volledigeNaam"] = " ".join(
                naam.get(k, "")
                for k in ("voornaam", "voorvoegselAchternaam", "achternaam")
                if naam.get(k)
            ) or obj.get("organisatienaam", "")
        elif collectie == "internetaken":
            uit["toegewezenAanActoren"] = [
                self.fk("actoren", a["uuid"]) for a in obj.get("toegewezenAanActoren") or []
            ]
        return uit

    def lijst(self, collectie: str, query: dict[str, str]) -> list[dict[str, Any]]:
        filters = FILTERS[collectie]
        resultaat = []
        for obj in self.data[collectie].values():
            passend = True
            for naam, waarde in query.items():
                if naam in ("page", "pageSize", "expand"):
                    continue
                if naam == "adres__icontains":
                    passend &= waarde.lower() in str(obj.get("adres", "")).lower()
                    continue
                gevonden = filters[naam](self, obj)
                if isinstance(gevonden, list):
                    passend &= waarde in [str(g) for g in gevonden]
                else:
                    passend &= (
                        str(gevonden).lower() == waarde.lower()
                        if isinstance(gevonden, bool)
                        else str(gevonden) == waarde
                    )
            if passend:
                resultaat.append(obj)
        return resultaat


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout) leaves a broken pipe: expected here, not news."""


class FakeOpenKlant:
    """The HTTP side: start/stop, fault injection, a log of every request."""

    def __init__(self, token: str = "geheim-token-123", *, vertraging: float = 1.0) -> None:
        self.token = token
        self.vertraging = vertraging  # how long a "timeout" stalls
        self.storingen: list[Storing] = []
        self.verzoeken: list[Verzoek] = []
        self.spec_fouten: list[str] = []  # requests or responses the spec does not allow
        self.bezig = 0  # requests being handled right now
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.register = Register(token=token, basis_url=self.url)
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        api()

    @property
    def poort(self) -> int:
        return self.server.server_address[1]

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.poort}"

    @property
    def url(self) -> str:
        return self.root + BASIS

    def start(self) -> FakeOpenKlant:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def storing(self, soort: str, *, methode: str | None = None, pad: str | None = None,
                reden: str = "", aantal: int = 1) -> None:  # fmt: skip
        with self.register.lock:
            self.storingen.append(Storing(soort, methode, pad, reden, aantal))

    def objecten(self, collectie: str) -> list[dict[str, Any]]:
        with self.register.lock:
            return [
                self.register.weergave(collectie, o) for o in self.register.data[collectie].values()
            ]

    def wacht_tot_stil(self, maximaal: float = 10.0) -> None:
        """Until no request is in flight (a stalled one has finished): what the sender's
        back-off of at least 30 s gives a real register."""
        einde = time.monotonic() + maximaal
        while self.bezig and time.monotonic() < einde:
            time.sleep(0.02)

    def _neem_storing(self, methode: str, pad: str) -> Storing | None:
        with self.register.lock:
            for storing in self.storingen:
                if (storing.methode in (None, methode)) and (
                    storing.pad is None or pad.startswith(storing.pad)
                ):
                    storing.aantal -= 1
                    if storing.aantal <= 0:
                        self.storingen.remove(storing)
                    return storing
        return None

    # ------------------------------------------------------------------ HTTP

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _stuur(self, status: int, data: Any) -> None:
                inhoud = b"" if data is None else json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(inhoud)))
                self.send_header("API-version", "0.9.0")
                self.end_headers()
                self.wfile.write(inhoud)

            def _verwerk(self, methode: str) -> None:
                lengte = int(self.headers.get("Content-Length") or 0)
                ruw = self.rfile.read(lengte) if lengte else b""
                delen = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(delen.query).items()}
                try:
                    body = json.loads(ruw) if ruw else None
                except ValueError:
                    body = None
                verzoek = Verzoek(methode, delen.path, query, body)
                with fake.register.lock:
                    fake.verzoeken.append(verzoek)
                    fake.bezig += 1
                try:
                    status, data = fake.behandel(self, verzoek, ruw)
                finally:
                    with fake.register.lock:
                        fake.bezig -= 1
                verzoek.status = status
                if status == -1:
                    return
                self._stuur(status, data)

            def do_GET(self) -> None:
                self._verwerk("GET")

            def do_POST(self) -> None:
                self._verwerk("POST")

            def do_PATCH(self) -> None:
                self._verwerk("PATCH")

            def do_PUT(self) -> None:
                self._verwerk("PUT")

            def do_DELETE(self) -> None:
                self._verwerk("DELETE")

        return Handler

    def _fout(self, status: int, velden: dict[str, str], code: str = "invalid") -> tuple[int, Any]:
        return status, {
            "type": "http://127.0.0.1/ref/fouten/"
            + ("ValidationError" if status == 400 else "Fout"),
            "code": code,
            "title": "Invalid input." if status == 400 else "Fout",
            "status": status,
            "detail": "",
            "instance": f"urn:uuid:{uuid.uuid4()}",
            "invalidParams": [
                {"name": naam, "code": code, "reason": reden} for naam, reden in velden.items()
            ],
        }

    def behandel(
        self, handler: BaseHTTPRequestHandler, verzoek: Verzoek, ruw: bytes
    ) -> tuple[int, Any]:
        storing = self._neem_storing(verzoek.methode, verzoek.pad.removeprefix(BASIS))
        if storing is not None:
            if storing.soort == "fout500":
                return 500, {"detail": "Interne serverfout."}
            if storing.soort == "verbreek":
                handler.close_connection = True
                handler.connection.close()
                return -1, None
            if storing.soort == "weiger":
                return self._fout(400, {"nonFieldErrors": storing.reden or "Geweigerd."})
            if storing.soort == "timeout_voor":
                time.sleep(self.vertraging)
        status, data = self._echt(handler, verzoek, ruw)
        if storing is not None and storing.soort == "timeout_na":
            time.sleep(self.vertraging)  # stored, but the client has given up by now
        return status, data

    def _echt(
        self, handler: BaseHTTPRequestHandler, verzoek: Verzoek, ruw: bytes
    ) -> tuple[int, Any]:
        if handler.headers.get("Authorization") != f"Token {self.token}":
            return 403, {"detail": "Ongeldig token."}
        if not verzoek.pad.startswith(BASIS + "/") or verzoek.pad.endswith("/"):
            return 404, {"detail": "Niet gevonden."}
        mock = MockRequest(
            self.root,
            verzoek.methode.lower(),
            verzoek.pad,
            args=verzoek.query,
            data=ruw or None,
            headers={"Authorization": handler.headers.get("Authorization", "")},
        )
        resultaat = api().unmarshal_request(mock)
        if resultaat.errors:
            meldingen = _spec_meldingen(resultaat.errors)
            if any("OperationNotFound" in m or "PathNotFound" in m for m in meldingen):
                return 404, {"detail": "Niet gevonden."}
            self.spec_fouten.append(f"{verzoek.methode} {verzoek.pad}: {'; '.join(meldingen)}")
            return self._fout(400, {"body": "; ".join(meldingen)})
        delen = verzoek.pad.removeprefix(BASIS + "/").split("/")
        collectie = delen[0]
        uid = delen[1] if len(delen) > 1 else None
        register = self.register
        try:
            with register.lock:
                if collectie == "maak-klantcontact" and verzoek.methode == "POST":
                    ids = register.maak_klantcontact(verzoek.body or {})
                    data: Any = {
                        "klantcontact": register.weergave(
                            "klantcontacten", register.data["klantcontacten"][ids["klantcontact"]]
                        )
                    }
                    if "betrokkene" in ids:
                        data["betrokkene"] = register.weergave(
                            "betrokkenen", register.data["betrokkenen"][ids["betrokkene"]]
                        )
                    if "onderwerpobject" in ids:
                        data["onderwerpobject"] = register.weergave(
                            "onderwerpobjecten",
                            register.data["onderwerpobjecten"][ids["onderwerpobject"]],
                        )
                    status = 201
                elif collectie not in register.data:
                    return 404, {"detail": "Niet gevonden."}
                elif verzoek.methode == "GET" and uid is None:
                    onbekend = set(verzoek.query) - set(FILTERS[collectie]) - {"page", "pageSize"}
                    if onbekend:
                        self.spec_fouten.append(
                            f"GET {verzoek.pad}: filter(s) {sorted(onbekend)} kent de fake niet"
                        )
                        return 400, {"detail": f"Onbekende filters {sorted(onbekend)}"}
                    alles = register.lijst(collectie, verzoek.query)
                    grootte = int(verzoek.query.get("pageSize", 100))
                    pagina = int(verzoek.query.get("page", 1))
                    stuk = alles[(pagina - 1) * grootte : pagina * grootte]
                    data = {
                        "count": len(alles),
                        "next": (
                            f"{self.url}/{collectie}?page={pagina + 1}"
                            if pagina * grootte < len(alles)
                            else None
                        ),
                        "previous": None,
                        "results": [register.weergave(collectie, o) for o in stuk],
                    }
                    status = 200
                elif verzoek.methode == "GET":
                    obj = register.data[collectie].get(uid or "")
                    if obj is None:
                        return 404, {"detail": "Niet gevonden."}
                    data, status = register.weergave(collectie, obj), 200
                elif verzoek.methode == "POST" and uid is None:
                    obj = register.maak(collectie, verzoek.body or {})
                    data, status = register.weergave(collectie, obj), 201
                elif verzoek.methode == "PATCH" and uid:
                    obj = register.wijzig(collectie, uid, verzoek.body or {})
                    data, status = register.weergave(collectie, obj), 200
                else:
                    return 405, {"detail": "Methode niet toegestaan."}
        except Weigering as weigering:
            return self._fout(weigering.status, weigering.velden, weigering.code)
        antwoord = api().unmarshal_response(
            mock, MockResponse(json.dumps(data).encode(), status_code=status)
        )
        if antwoord.errors:
            self.spec_fouten.append(
                f"antwoord op {verzoek.methode} {verzoek.pad}: "
                + "; ".join(_spec_meldingen(antwoord.errors))
            )
        return status, data


def _spec_meldingen(fouten: list[Exception]) -> list[str]:
    meldingen = []
    for fout in fouten:
        oorzaak = fout.__cause__
        details = getattr(oorzaak, "schema_errors", None)
        if details:
            meldingen.extend(
                f"{'.'.join(str(p) for p in d.absolute_path) or '(body)'}: {d.message}"
                for d in details
            )
        else:
            meldingen.append(f"{type(fout).__name__}: {fout} {oorzaak or ''}".strip())
    return meldingen
