"""Least privilege on a shared PostgreSQL install, enforced by PostgreSQL itself.

* ``groepsrollen``: the names of the group roles (one per KISS rol, plus a base role every
  login gets), with a configurable prefix (``KISS_ROL_VOORVOEGSEL``, default ``kiss_``).
* ``inrichten``: group roles, table and column GRANTs, row-level security and the SECURITY
  DEFINER functions (BSN search, role synchronisation), re-applied by ``kiss db upgrade``.
* ``gebruikers``: ``kiss gebruiker toevoegen|intrekken`` — login roles linked to medewerkers.
"""
