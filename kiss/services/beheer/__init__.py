"""Beheer: the organisation's settings in the database (one set for every agent, audited, read
again by running agents without a restart) and nieuws en werkinstructies.

* :mod:`.regels` — the rules a set of settings must follow (Dutch message per setting);
* :mod:`.instellingen` — load, save (beheerder, audited old → new), take over, TOML in/out;
* :mod:`.nieuws` — items with publish windows and doelgroep, read-marks, unread counters;
* :mod:`.start` — what the start screen shows an agent besides the news.
"""
