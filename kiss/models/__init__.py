"""All tables. Import from here so that ``SQLModel.metadata`` knows every table."""

from kiss.models.audit import Auditregel
from kiss.models.base import UTCDateTime, utcnow
from kiss.models.beheer import NieuwsGelezen, NieuwsItem, NieuwsSoort, OrganisatieInstellingen
from kiss.models.contact import Contactmoment, ContactmomentStatus, Richting
from kiss.models.email import EmailBericht, EmailBijlage, EmailPostvak, EmailSjabloon, EmailZaak
from kiss.models.kennisbank import ArtikelFeedback, ArtikelStatus, FeedbackSoort, Kennisartikel
from kiss.models.klant import DigitaalAdres, DigitaalAdresSoort, Klant, KlantSoort, Zaak
from kiss.models.openklant import OpenklantKoppeling
from kiss.models.organisatie import Afdeling, ExterneOrganisatie, Gemeente, Medewerker, Team
from kiss.models.telefonie import DienstStatus, Oproep, OproepGebeurtenis
from kiss.models.terugbel import (
    Terugbelnotitie,
    TerugbelOverdracht,
    Terugbelpoging,
    TerugbelStatus,
    VraagSoort,
    Vragenset,
)
from kiss.models.uitgaand import Uitgaand, UitgaandStatus
from kiss.models.vraag import BronSoort, Klantsignaal, Vraagbron

__all__ = [
    "Afdeling",
    "ArtikelFeedback",
    "ArtikelStatus",
    "Auditregel",
    "BronSoort",
    "Contactmoment",
    "ContactmomentStatus",
    "DienstStatus",
    "DigitaalAdres",
    "DigitaalAdresSoort",
    "EmailBericht",
    "EmailBijlage",
    "EmailPostvak",
    "EmailSjabloon",
    "EmailZaak",
    "ExterneOrganisatie",
    "FeedbackSoort",
    "Gemeente",
    "Kennisartikel",
    "Klant",
    "KlantSoort",
    "Klantsignaal",
    "Medewerker",
    "NieuwsGelezen",
    "NieuwsItem",
    "NieuwsSoort",
    "OpenklantKoppeling",
    "Oproep",
    "OproepGebeurtenis",
    "OrganisatieInstellingen",
    "Richting",
    "Team",
    "TerugbelOverdracht",
    "TerugbelStatus",
    "Terugbelnotitie",
    "Terugbelpoging",
    "UTCDateTime",
    "Uitgaand",
    "UitgaandStatus",
    "VraagSoort",
    "Vraagbron",
    "Vragenset",
    "Zaak",
    "utcnow",
]
