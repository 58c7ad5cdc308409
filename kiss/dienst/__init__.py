"""``kiss dienst``: the long-running service of a shared install (phone webhook, mail,
Open Klant outbox). Built on aiohttp: asyncio, so one process serves HTTP and runs the
periodic senders side by side, with a graceful stop on SIGTERM; it was already installed
with textual-serve and is well maintained."""
