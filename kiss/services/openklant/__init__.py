"""Open Klant (VNG Klantinteracties API 0.9.0): KISS as a well-behaved client of the
municipality's register.

- :mod:`.config`: URL and token from the environment (off by default).
- :mod:`.mapping`: local rows → API bodies (one place; the sender and the export use it).
- :mod:`.client`: HTTP with timeouts; errors sorted into temporary and refused.
- :mod:`.haken`: the outbox rows written in the same transaction as a local save.
- :mod:`.verzender`: sends those rows, idempotently (looks up before it creates).
- :mod:`.lezen`: partijen and klantcontacten that exist only in the register.
- :mod:`.export`: the same objects as JSON, for a first load or an audit.

No Textual here; the mapping table is in ``docs/openklant.md``.
"""
