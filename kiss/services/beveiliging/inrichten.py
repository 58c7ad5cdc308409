"""Group roles, GRANTs, row-level security and SECURITY DEFINER functions (PostgreSQL only).

Run by the owner role, after the migrations, by ``kiss db upgrade`` (idempotent, so it is
simply re-applied at every upgrade and covers tables that later migrations add).

What the group roles may (``p`` = prefix):

* ``p gebruiker`` (every login): read the organisation, the kennisbank and the schema version;
  append to the audit trail (as themselves only); read it; give article feedback; keep their
  presence up to date. Tables this module does not know get SELECT/INSERT/UPDATE, never DELETE.
* ``p kcc``, ``p backoffice``, ``p teamlead``: klanten (every column except the BSN),
  digitale adressen, contactmomenten, zaken and terugbelnotities; backoffice sees only the
  notes of its own afdeling tree (row-level security), kcc and teamlead see all.
* ``p redacteur``: write kennisartikelen and handle feedback.
* ``p privacy``: additionally read the full BSN.
* ``p beheerder``: everything, except changing audit rows; audit rows can only be deleted once
  older than the minimum audit retention (row-level security).

Nobody but the owner can UPDATE or DELETE audit rows, change rollen or gebruikersnamen, or run
DDL. Searching by BSN works for every role through ``kiss_zoek_bsn(text)``, which returns ids.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from kiss.rollen import BACKOFFICE, BEHEERDER, KCC, PRIVACY, REDACTEUR, TEAMLEAD
from kiss.services.beveiliging.groepsrollen import BASIS, alle_groepsrollen, groepsrol

GRANT_LOCK_ID = 0x4B495347  # pg_advisory_xact_lock key around database-wide GRANTs
MIN_AUDIT_DAGEN = 365  # same as kiss.services.bewaartermijn.MIN_AUDIT_DAGEN

LEES_BASIS = ("gemeente", "afdeling", "team", "medewerker", "externe_organisatie",
              "kennisartikel", "alembic_version", "auditregel", "artikel_feedback",
              "organisatie_instellingen", "nieuws_item", "email_sjabloon")  # fmt: skip
KLANTWERK = ("digitaal_adres", "contactmoment", "terugbelnotitie", "terugbelpoging",
             "terugbel_overdracht", "email_zaak", "email_bericht", "email_bijlage",
             "vraagbron")  # fmt: skip
BEKEND = set(LEES_BASIS) | set(KLANTWERK) | {"klant", "zaak", "nieuws_gelezen"}
AANWEZIGHEID = ("afwezig_van", "afwezig_tot", "afwezig_reden", "vervanger_id",
                "niet_doorverbinden", "locatie", "gewijzigd_op")  # fmt: skip


def _ddl(conn: Connection, sql: str) -> None:
    """A statement without parameters (``%`` doubled: the driver still formats)."""
    conn.exec_driver_sql(sql.replace("%", "%%"))


def q(naam: str) -> str:
    return '"' + naam.replace('"', '""') + '"'


def _tabellen(conn: Connection) -> list[str]:
    return list(
        conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        ).scalars()
    )


def _kolommen(conn: Connection, tabel: str) -> list[str]:
    return list(
        conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = :t "
                "ORDER BY ordinal_position"
            ),
            {"t": tabel},
        ).scalars()
    )


def maak_groepsrollen(conn: Connection, prefix: str) -> None:
    for naam in alle_groepsrollen(prefix):
        bestaat = conn.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": naam}
        ).first()
        if not bestaat:
            _ddl(conn, f"CREATE ROLE {q(naam)} NOLOGIN")


def richt_in(conn: Connection, prefix: str) -> None:
    """Apply everything to the current schema (in the caller's transaction)."""
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    s = q(schema)
    maak_groepsrollen(conn, prefix)
    g = {r: q(groepsrol(r, prefix)) for r in (BASIS, KCC, BACKOFFICE, TEAMLEAD, REDACTEUR,
                                               BEHEERDER, PRIVACY)}  # fmt: skip
    alle = ", ".join(g.values())
    klantrollen = ", ".join(g[r] for r in (KCC, BACKOFFICE, TEAMLEAD, PRIVACY))
    tabellen = _tabellen(conn)

    def run(sql: str) -> None:
        _ddl(conn, sql)

    database = q(conn.execute(text("SELECT current_database()")).scalar_one())
    # one ACL row for the whole database: two installs (or test runs) granting at the same
    # moment would fail with "tuple concurrently updated", so they take turns
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": GRANT_LOCK_ID})
    run(f"GRANT CONNECT ON DATABASE {database} TO {g[BASIS]}")
    run(f"GRANT USAGE ON SCHEMA {s} TO {alle}")
    for tabel in tabellen:
        run(f"REVOKE ALL ON {s}.{q(tabel)} FROM {alle}")
        run(f"GRANT ALL ON {s}.{q(tabel)} TO {g[BEHEERDER]}")
    run(f"REVOKE UPDATE, TRUNCATE, REFERENCES, TRIGGER ON {s}.auditregel FROM {g[BEHEERDER]}")
    for tabel in LEES_BASIS:
        if tabel in tabellen:
            run(f"GRANT SELECT ON {s}.{q(tabel)} TO {g[BASIS]}")
    run(f"GRANT INSERT ON {s}.auditregel, {s}.artikel_feedback TO {g[BASIS]}")
    run(f"GRANT UPDATE ({', '.join(AANWEZIGHEID)}) ON {s}.medewerker TO {g[BASIS]}")
    for tabel in tabellen:
        if tabel not in BEKEND:  # add new tables to the lists above to narrow this down
            run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {s}.{q(tabel)} TO {g[BASIS]}")
    run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {alle}")

    # klanten: every column but the BSN; the privacy role reads it whole
    zonder_bsn = ", ".join(q(k) for k in _kolommen(conn, "klant") if k != "bsn")
    run(f"GRANT SELECT ({zonder_bsn}) ON {s}.klant TO {klantrollen}")
    run(f"GRANT INSERT, UPDATE ON {s}.klant TO {klantrollen}")
    run(f"GRANT SELECT ON {s}.klant TO {g[PRIVACY]}")
    run(f"GRANT SELECT ON {s}.zaak TO {klantrollen}")
    for tabel in KLANTWERK:
        run(f"GRANT SELECT, INSERT, UPDATE ON {s}.{q(tabel)} TO {klantrollen}")
    # an address may be removed; a contactmoment only while it is one's own concept, and a
    # question's sources (replaced at every save) only while the question is a concept (RLS)
    run(f"GRANT DELETE ON {s}.digitaal_adres, {s}.contactmoment, {s}.vraagbron "
        f"TO {klantrollen}")  # fmt: skip
    run(f"GRANT INSERT, UPDATE ON {s}.kennisartikel TO {g[REDACTEUR]}")
    run(f"GRANT UPDATE ON {s}.artikel_feedback TO {g[REDACTEUR]}")
    run(f"GRANT INSERT, UPDATE, DELETE ON {s}.email_sjabloon TO {g[REDACTEUR]}")
    # beheer: settings only by beheerders (GRANT ALL above); nieuws by redacteuren, read by all
    run(f"GRANT INSERT, UPDATE ON {s}.nieuws_item TO {g[REDACTEUR]}")
    run(f"GRANT SELECT, INSERT ON {s}.nieuws_gelezen TO {g[BASIS]}")

    _functies(conn, s, g)
    _gebruikersfuncties(conn, s, g, prefix)
    _rls(conn, s, g)


def _functies(conn: Connection, s: str, g: dict[str, str]) -> None:
    def run(sql: str) -> None:
        _ddl(conn, sql)

    definer = f"SECURITY DEFINER SET search_path = {s}, pg_temp"
    run(f"""
        CREATE OR REPLACE FUNCTION {s}.kiss_zoek_bsn(te_zoeken text) RETURNS SETOF uuid
        LANGUAGE sql STABLE {definer} AS $$
            SELECT id FROM {s}.klant WHERE bsn = te_zoeken
        $$""")
    run(f"""
        CREATE OR REPLACE FUNCTION {s}.kiss_bsn_gemaskeerd(klant_nr uuid) RETURNS text
        LANGUAGE sql STABLE {definer} AS $$
            SELECT repeat('*', length(bsn) - 4) || right(bsn, 4)
            FROM {s}.klant k WHERE k.id = klant_nr
        $$""")
    run(f"""
        CREATE OR REPLACE FUNCTION {s}.kiss_mijn_afdelingen() RETURNS uuid[]
        LANGUAGE sql STABLE {definer} AS $$
            WITH RECURSIVE ik AS (
                SELECT m.afdeling_id, t.afdeling_id AS team_afdeling_id
                FROM {s}.medewerker m LEFT JOIN {s}.team t ON t.id = m.team_id
                WHERE m.gebruikersnaam = session_user AND m.actief
            ), boom(id) AS (
                SELECT afdeling_id FROM ik WHERE afdeling_id IS NOT NULL
                UNION SELECT team_afdeling_id FROM ik WHERE team_afdeling_id IS NOT NULL
                UNION SELECT a.id FROM {s}.afdeling a JOIN boom b ON a.ouder_id = b.id
            )
            SELECT coalesce(array_agg(id), '{{}}') FROM boom
        $$""")
    for functie in ("kiss_zoek_bsn(text)", "kiss_bsn_gemaskeerd(uuid)", "kiss_mijn_afdelingen()"):
        run(f"REVOKE ALL ON FUNCTION {s}.{functie} FROM PUBLIC")
        run(f"GRANT EXECUTE ON FUNCTION {s}.{functie} TO {g[BASIS]}")


def _gebruikersfuncties(conn: Connection, s: str, g: dict[str, str], prefix: str) -> None:
    """Owner-rights functions a beheerder calls to link logins, never to touch other roles."""
    definer = f"SECURITY DEFINER SET search_path = {s}, pg_temp"
    groepen = ", ".join(f"'{n}'" for n in alle_groepsrollen(prefix))
    rollen = ", ".join(f"'{r}'" for r in (KCC, BACKOFFICE, TEAMLEAD, REDACTEUR, BEHEERDER, PRIVACY))
    beheerbaar = """
        IF login = current_user OR (
            EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login)
            AND pg_has_role(login, current_user, 'MEMBER')
        ) THEN
            RAISE EXCEPTION 'kiss: de eigenaarsrol % wordt niet door KISS beheerd', login;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login
                   AND (rolsuper OR rolcreaterole OR NOT rolcanlogin)) THEN
            RAISE EXCEPTION 'kiss: rol % is geen gewone login en wordt niet door KISS beheerd',
                login;
        END IF;"""
    _ddl(
        conn,
        f"""
        CREATE OR REPLACE FUNCTION {s}.kiss_rollen_bijwerken(login text) RETURNS text
        LANGUAGE plpgsql {definer} AS $$
        DECLARE
            mdw record;
            gewenst text[] := ARRAY[]::text[];
            groep text;
        BEGIN
            {beheerbaar}
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
                RETURN '';
            END IF;
            SELECT rollen, actief INTO mdw FROM {s}.medewerker WHERE gebruikersnaam = login;
            IF FOUND AND mdw.actief THEN
                gewenst := ARRAY['{prefix}{BASIS}'] || ARRAY(
                    SELECT '{prefix}' || trim(x) FROM unnest(string_to_array(mdw.rollen, ';')) x
                    WHERE trim(x) IN ({rollen}));
            END IF;
            FOREACH groep IN ARRAY ARRAY[{groepen}] LOOP
                IF groep = ANY (gewenst) THEN
                    EXECUTE format('GRANT %I TO %I', groep, login);
                ELSIF pg_has_role(login, groep, 'MEMBER') THEN
                    EXECUTE format('REVOKE %I FROM %I', groep, login);
                END IF;
            END LOOP;
            RETURN array_to_string(gewenst, ',');
        END $$""",
    )
    _ddl(
        conn,
        f"""
        CREATE OR REPLACE FUNCTION {s}.kiss_login_maken(login text, verifier text)
        RETURNS boolean LANGUAGE plpgsql {definer} AS $$
        BEGIN
            {beheerbaar}
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
                IF verifier <> '' THEN
                    EXECUTE format('ALTER ROLE %I PASSWORD %L', login, verifier);
                END IF;
                RETURN false;
            END IF;
            IF verifier <> '' THEN
                EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', login, verifier);
            ELSE
                EXECUTE format('CREATE ROLE %I LOGIN', login);
            END IF;
            RETURN true;
        END $$""",
    )
    _ddl(
        conn,
        f"""
        CREATE OR REPLACE FUNCTION {s}.kiss_alle_rollen_bijwerken() RETURNS integer
        LANGUAGE plpgsql {definer} AS $$
        DECLARE
            login text;
            aantal integer := 0;
        BEGIN
            FOR login IN
                SELECT r.rolname FROM pg_roles r
                WHERE r.rolcanlogin AND NOT r.rolsuper AND NOT r.rolcreaterole
                  AND (r.rolname IN (SELECT gebruikersnaam FROM {s}.medewerker)
                       OR pg_has_role(r.rolname, '{prefix}{BASIS}', 'MEMBER'))
            LOOP
                PERFORM {s}.kiss_rollen_bijwerken(login);
                aantal := aantal + 1;
            END LOOP;
            RETURN aantal;
        END $$""",
    )
    for functie in ("kiss_rollen_bijwerken(text)", "kiss_login_maken(text, text)",
                    "kiss_alle_rollen_bijwerken()"):  # fmt: skip
        _ddl(conn, f"REVOKE ALL ON FUNCTION {s}.{functie} FROM PUBLIC")
        _ddl(conn, f"GRANT EXECUTE ON FUNCTION {s}.{functie} TO {g[BEHEERDER]}")


def _rls(conn: Connection, s: str, g: dict[str, str]) -> None:
    def run(sql: str) -> None:
        _ddl(conn, sql)

    ik = f"(SELECT id FROM {s}.medewerker WHERE gebruikersnaam = session_user)"
    mijn = f"(SELECT unnest({s}.kiss_mijn_afdelingen()))"
    run(f"ALTER TABLE {s}.terugbelnotitie ENABLE ROW LEVEL SECURITY")
    for naam in ("kiss_alle_notities", "kiss_eigen_afdeling", "kiss_eigen_afdeling_wijzigen",
                 "kiss_notitie_maken"):  # fmt: skip
        run(f"DROP POLICY IF EXISTS {naam} ON {s}.terugbelnotitie")
    run(f"""CREATE POLICY kiss_alle_notities ON {s}.terugbelnotitie
        FOR ALL TO {g[KCC]}, {g[TEAMLEAD]}, {g[BEHEERDER]} USING (true) WITH CHECK (true)""")
    eigen = f"""(
            toegewezen_afdeling_id IN {mijn}
            OR toegewezen_team_id IN (
                SELECT id FROM {s}.team WHERE afdeling_id IN {mijn})
            OR toegewezen_medewerker_id IN (
                SELECT m.id FROM {s}.medewerker m LEFT JOIN {s}.team t ON t.id = m.team_id
                WHERE m.afdeling_id IN {mijn} OR t.afdeling_id IN {mijn})
            OR behandelaar_id IN {ik}
            OR id IN (SELECT terugbelnotitie_id FROM {s}.terugbel_overdracht
                      WHERE door_id IN {ik})
        )"""
    # backoffice: sees and changes the notes of its own afdeling tree, and may hand one over
    # to anyone (the new row need not be its own any more) or make one for anyone
    run(f"""CREATE POLICY kiss_eigen_afdeling ON {s}.terugbelnotitie
        FOR SELECT TO {g[BACKOFFICE]} USING {eigen}""")
    run(f"""CREATE POLICY kiss_eigen_afdeling_wijzigen ON {s}.terugbelnotitie
        FOR UPDATE TO {g[BACKOFFICE]} USING {eigen} WITH CHECK (true)""")
    run(f"""CREATE POLICY kiss_notitie_maken ON {s}.terugbelnotitie
        FOR INSERT TO {g[BACKOFFICE]} WITH CHECK (true)""")

    run(f"ALTER TABLE {s}.contactmoment ENABLE ROW LEVEL SECURITY")
    for naam in ("kiss_contact_lezen", "kiss_contact_maken", "kiss_contact_wijzigen",
                 "kiss_concept_weggooien", "kiss_contact_beheer"):  # fmt: skip
        run(f"DROP POLICY IF EXISTS {naam} ON {s}.contactmoment")
    run(f"CREATE POLICY kiss_contact_lezen ON {s}.contactmoment FOR SELECT TO {g[BASIS]} "
        "USING (true)")  # fmt: skip
    run(f"CREATE POLICY kiss_contact_maken ON {s}.contactmoment FOR INSERT TO {g[BASIS]} "
        "WITH CHECK (true)")  # fmt: skip
    run(f"CREATE POLICY kiss_contact_wijzigen ON {s}.contactmoment FOR UPDATE TO {g[BASIS]} "
        "USING (true) WITH CHECK (true)")  # fmt: skip
    run(f"""CREATE POLICY kiss_concept_weggooien ON {s}.contactmoment FOR DELETE TO {g[BASIS]}
        USING (status = 'concept' AND medewerker_id IN {ik})""")
    run(f"CREATE POLICY kiss_contact_beheer ON {s}.contactmoment FOR ALL TO {g[BEHEERDER]} "
        "USING (true) WITH CHECK (true)")  # fmt: skip

    run(f"ALTER TABLE {s}.vraagbron ENABLE ROW LEVEL SECURITY")
    for naam in ("kiss_bron_lezen", "kiss_bron_maken", "kiss_bron_wijzigen",
                 "kiss_bron_vervangen", "kiss_bron_beheer"):  # fmt: skip
        run(f"DROP POLICY IF EXISTS {naam} ON {s}.vraagbron")
    run(f"CREATE POLICY kiss_bron_lezen ON {s}.vraagbron FOR SELECT TO {g[BASIS]} USING (true)")
    run(f"CREATE POLICY kiss_bron_maken ON {s}.vraagbron FOR INSERT TO {g[BASIS]} "
        "WITH CHECK (true)")  # fmt: skip
    run(f"CREATE POLICY kiss_bron_wijzigen ON {s}.vraagbron FOR UPDATE TO {g[BASIS]} "
        "USING (true) WITH CHECK (true)")  # fmt: skip
    run(f"""CREATE POLICY kiss_bron_vervangen ON {s}.vraagbron FOR DELETE TO {g[BASIS]}
        USING (contactmoment_id IN (SELECT id FROM {s}.contactmoment WHERE status = 'concept'))""")
    run(f"CREATE POLICY kiss_bron_beheer ON {s}.vraagbron FOR ALL TO {g[BEHEERDER]} "
        "USING (true) WITH CHECK (true)")  # fmt: skip

    run(f"ALTER TABLE {s}.auditregel ENABLE ROW LEVEL SECURITY")
    for naam in ("kiss_audit_lezen", "kiss_audit_schrijven", "kiss_audit_opschonen"):
        run(f"DROP POLICY IF EXISTS {naam} ON {s}.auditregel")
    run(f"CREATE POLICY kiss_audit_lezen ON {s}.auditregel FOR SELECT TO {g[BASIS]} USING (true)")
    run(f"""CREATE POLICY kiss_audit_schrijven ON {s}.auditregel FOR INSERT TO {g[BASIS]}
        WITH CHECK (medewerker_id IS NULL OR medewerker_id IN {ik})""")
    run(f"""CREATE POLICY kiss_audit_opschonen ON {s}.auditregel FOR DELETE TO {g[BEHEERDER]}
        USING (moment < now() - interval '{MIN_AUDIT_DAGEN} days')""")


def verwijder_rollen(conn: Connection, rollen: list[str]) -> None:
    """Drop these roles and whatever they were granted in this database (e.g. an install, or a
    test run, that is taken down), taking turns with other GRANTs on the database."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": GRANT_LOCK_ID})
    for rol in rollen:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": rol}).first():
            _ddl(conn, f"DROP OWNED BY {q(rol)}")
            _ddl(conn, f"DROP ROLE {q(rol)}")
