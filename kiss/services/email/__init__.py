"""The central mailbox: mail in over IMAP, a queue for agents, answers out through the outbox.

- :mod:`.lezen` parses one raw mail safely; :mod:`.ophalen` fetches new mail over IMAP/TLS;
  :mod:`.ontvangen` stores it once, threads it and plans the ontvangstbevestiging;
- :mod:`.wachtrij` is the queue with "pak de volgende"; :mod:`.behandelen` answers,
  forwards, makes a terugbelnotitie or closes; :mod:`.sjablonen` are the saved answers;
- :mod:`.verzenden` sends from the outbox over SMTP; :mod:`.termijn` is the 3-werkdagen norm;
- :mod:`.dienst` gives ``kiss dienst`` its periodic jobs.
"""
