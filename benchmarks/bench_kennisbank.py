"""Benchmark: the kennisbank index at scale — the persisted core against today's in-memory core
and tantivy, on the same corpus and the same keystrokes, in one run.

    python benchmarks/bench_kennisbank.py                  # 10,000 articles
    python benchmarks/bench_kennisbank.py --docs 100000    # 100,000 articles (long)
    python benchmarks/bench_kennisbank.py --docs 100000 --werkmap /tmp/kb  # keep, reuse builds
    pip install tantivy==0.27.0                            # the tantivy baseline (extra "bench")

Every engine is measured in processes of its own, so memory and start-up are what an agent's
process pays:

* **build**: one process builds the index (the persisted core into a file, tantivy into a
  folder); the baseline "core in memory" (the search core as it was before the persisted index,
  read from git) builds it in every new process, which is its start-up cost.
* **new process**: a fresh process opens the index and answers its first search; then every
  keystroke of the queries (the last word completed while typing) and, for the persisted core,
  caller sentences by meaning as the kennisbank answers them: the question's vector computed in
  a thread (``Embedder.begin``) while the words are searched, then the int8 vectors of every
  article (binary sketch first above 20,000 articles). RSS is measured in that process.

``--werkmap`` keeps the built indexes in that folder and reuses them in a later run with the
same ``--docs`` (building 100,000 articles takes many minutes); the build time printed is then
the one measured when they were built.

Article vectors: computing 100,000 real vectors takes ~50 CPU-minutes, so the benchmark embeds
256 real article texts with the shipped model and gives every article one of those plus noise
(the search cost does not depend on the values). The real cost per article is printed.
tantivy is set up like Elasticsearch "fuzziness AUTO": per word a fuzzy term query (0 edits
up to 2 letters, 1 up to 5, else 2, transpositions cost 1) over title (boost 10), trefwoorden
(6), samenvatting (2) and inhoud, the word being typed as a fuzzy prefix.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUDE_VERSIE = "a92beea"  # the search core before the persisted index (in memory, per process)

ZINNEN = [
    "mijn moeder is gisteren overleden wat moet ik regelen",
    "ik ben mijn paspoort kwijt geraakt op vakantie",
    "de container is vandaag niet geleegd",
    "how do i renew my passport",
    "my neighbours make noise every night",
    "ik wil een dakkapel op mijn huis bouwen",
    "kan ik de belasting in termijnen betalen",
    "old couch pick up",
    "wij gaan verhuizen naar een andere stad",
    "ik heb schulden en weet niet meer wat ik moet doen",
    "where can i get a parking permit",
    "mijn vader kan niet meer zelf douchen",
]


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def rss_anon_mb() -> float:
    """Private memory only (RssAnon): without the index file's pages, which the OS maps
    read-only and shares between every process that opens the same file."""
    with open("/proc/self/status") as f:
        for regel in f:
            if regel.startswith("RssAnon:"):
                return int(regel.split()[1]) / 1024
    return 0.0


def pct(tijden: list[float], p: int) -> float:
    if len(tijden) == 1:
        return tijden[0]
    return statistics.quantiles(tijden, n=100, method="inclusive")[p - 1]


def typing(tekst: str) -> bool:
    return tekst[-1:].isalnum()


# ---- roles, each run in its own process --------------------------------------------------


def rol_bouw_nieuw(pad: str, docs: int) -> dict:
    import numpy as np

    from benchmarks.bench_search_core import VELDEN, Corpus
    from kiss.search import SearchIndex
    from kiss.search.vectoren import Embedder, VectorIndex

    corpus = Corpus(docs)
    begin = time.perf_counter()
    index = SearchIndex(VELDEN, path=pad)
    for i in range(0, len(corpus.docs), 2000):
        index.upsert_many(corpus.docs[i : i + 2000])
    bouw = time.perf_counter() - begin
    pool = [
        f"{d.values['titel']}. {d.values['samenvatting']} {d.values['trefwoorden']}"
        for d in corpus.docs[:256]
    ]
    begin = time.perf_counter()
    echt = Embedder.passages(pool)
    per_artikel_ms = (time.perf_counter() - begin) * 1000 / len(pool)
    rng = np.random.default_rng(3)
    vectoren = VectorIndex(pad)
    begin = time.perf_counter()
    for i in range(0, len(corpus.docs), 5000):
        deel = corpus.docs[i : i + 5000]
        basis = echt[np.arange(i, i + len(deel)) % len(echt)]
        ruis = basis + rng.normal(0, 0.02, basis.shape).astype(np.float32)
        ruis /= np.linalg.norm(ruis, axis=1, keepdims=True)
        vectoren.zet((d.key, "v1", v) for d, v in zip(deel, ruis, strict=True))
    opslaan = time.perf_counter() - begin
    index.close()
    vectoren.close()
    return {
        "bouw_s": bouw,
        "vectoren_opslaan_s": opslaan,
        "inbedden_ms_per_artikel": per_artikel_ms,
        "piek_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _keystrokes(zoek, aanslagen: list[str]) -> list[float]:
    tijden = []
    for tekst in aanslagen:
        begin = time.perf_counter()
        zoek(tekst)
        tijden.append((time.perf_counter() - begin) * 1000)
    return tijden


def rol_zoek_nieuw(pad: str, vragen: dict) -> dict:
    start_rss = rss_mb()
    begin = time.perf_counter()
    from benchmarks.bench_search_core import VELDEN
    from kiss.search import SearchIndex
    from kiss.search.vectoren import Embedder, VectorIndex

    import_s = time.perf_counter() - begin
    begin = time.perf_counter()
    index = SearchIndex(VELDEN, path=pad)
    open_ms = (time.perf_counter() - begin) * 1000
    begin = time.perf_counter()
    eerste = index.search(vragen["eerste"], typing=False)
    eerste_ms = (time.perf_counter() - begin) * 1000
    aanslagen = vragen["aanslagen"]
    tijden = _keystrokes(lambda t: index.search(t, limit=10, typing=typing(t)), aanslagen)
    rss_lexicaal = rss_mb()
    anon_lexicaal = rss_anon_mb()
    vectoren = VectorIndex(pad)
    begin = time.perf_counter()
    vectoren.zoek(Embedder.vraag("warm"), k=20)  # loads the model and the vectors
    semantisch_laden_ms = (time.perf_counter() - begin) * 1000
    inbedden, woorden, vectorzoek, samen = [], [], [], []
    for herhaling in range(3):
        for zin in ZINNEN:
            vraag = zin + " " * (herhaling + 1)  # no cache: a fresh sentence each time
            b0 = time.perf_counter()
            v = Embedder._encode([vraag], True)[0]
            inbedden.append((time.perf_counter() - b0) * 1000)  # the model alone
            Embedder._cache.clear()
            b0 = time.perf_counter()
            Embedder.begin(vraag)  # as the kennisbank does for a sentence
            b1 = time.perf_counter()
            index.search(zin, limit=20, typing=False)
            b2 = time.perf_counter()
            v = Embedder.vraag(vraag)
            b3 = time.perf_counter()
            vectoren.zoek(v, k=60)
            b4 = time.perf_counter()
            woorden.append((b2 - b1) * 1000)
            vectorzoek.append((b4 - b3) * 1000)
            samen.append((b4 - b0) * 1000)
            Embedder._cache.clear()
    return {
        "import_s": import_s,
        "open_ms": open_ms,
        "eerste_ms": eerste_ms,
        "eerste_treffers": len(eerste),
        "toets_p50": pct(tijden, 50),
        "toets_p95": pct(tijden, 95),
        "toets_max": max(tijden),
        "rss_start_mb": start_rss,
        "rss_lexicaal_mb": rss_lexicaal,
        "anon_lexicaal_mb": anon_lexicaal,
        "rss_mb": rss_mb(),
        "anon_mb": rss_anon_mb(),
        "semantisch_laden_ms": semantisch_laden_ms,
        "zin_inbedden_p50": pct(inbedden, 50),
        "zin_inbedden_p95": pct(inbedden, 95),
        "zin_woorden_p95": pct(woorden, 95),
        "zin_vectoren_p95": pct(vectorzoek, 95),
        "zin_p50": pct(samen, 50),
        "zin_p95": pct(samen, 95),
    }


def _oude_kern():
    """The search core as it was before this change (in memory, rebuilt per process)."""
    import importlib.util

    bron = subprocess.run(
        ["git", "show", f"{OUDE_VERSIE}:kiss/search/index.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pad = Path(tempfile.mkdtemp()) / "oude_index.py"
    pad.write_text(bron, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("oude_index", pad)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["oude_index"] = module
    spec.loader.exec_module(module)
    return module


def rol_oud(docs: int, vragen: dict) -> dict:
    from benchmarks.bench_search_core import Corpus

    oud = _oude_kern()
    velden = [
        oud.Field("titel", 10.0),
        oud.Field("trefwoorden", 6.0),
        oud.Field("samenvatting", 2.0, snippet=True),
        oud.Field("inhoud", 1.0, snippet=True),
    ]
    corpus = Corpus(docs)
    documenten = [oud.Document(d.key, d.values, d.scopes, d.visible, d.usage) for d in corpus.docs]
    del corpus
    rss_voor = rss_mb()
    begin = time.perf_counter()
    index = oud.SearchIndex(velden)
    index.upsert_many(documenten)
    bouw = time.perf_counter() - begin
    begin = time.perf_counter()
    index.search(vragen["eerste"] + " ")
    eerste_ms = (time.perf_counter() - begin) * 1000
    tijden = _keystrokes(lambda t: index.search(t, limit=10), vragen["aanslagen"])
    return {
        "bouw_s": bouw,
        "eerste_ms": bouw * 1000 + eerste_ms,
        "toets_p50": pct(tijden, 50),
        "toets_p95": pct(tijden, 95),
        "toets_max": max(tijden),
        "rss_index_mb": rss_mb() - rss_voor,
        "rss_mb": rss_mb(),
    }


TANTIVY_VELDEN = (("titel", 10.0), ("trefwoorden", 6.0), ("samenvatting", 2.0), ("inhoud", 1.0))


def rol_bouw_tantivy(pad: str, docs: int) -> dict:
    import tantivy

    from benchmarks.bench_search_core import Corpus

    corpus = Corpus(docs)
    begin = time.perf_counter()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw")
    for naam, _ in TANTIVY_VELDEN:
        builder.add_text_field(naam, stored=naam != "inhoud")
    schema = builder.build()
    index = tantivy.Index(schema, path=pad)
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    for d in corpus.docs:
        if not d.visible:
            continue
        writer.add_document(tantivy.Document(key=d.key, **dict(d.values)))
    writer.commit()
    writer.wait_merging_threads()
    return {"bouw_s": time.perf_counter() - begin}


def rol_zoek_tantivy(pad: str, vragen: dict) -> dict:
    start_rss = rss_mb()
    import re

    import tantivy

    begin = time.perf_counter()
    index = tantivy.Index.open(pad)
    searcher = index.searcher()
    schema = index.schema
    open_ms = (time.perf_counter() - begin) * 1000

    def zoek(tekst: str) -> list:
        woorden = re.findall(r"\w+", tekst.casefold())
        if not woorden:
            return []
        delen = []
        for i, woord in enumerate(woorden):
            afstand = 0 if len(woord) <= 2 else 1 if len(woord) <= 5 else 2
            prefix = i == len(woorden) - 1 and typing(tekst)
            per_veld = [
                tantivy.Query.boost_query(
                    tantivy.Query.fuzzy_term_query(schema, naam, woord, afstand, True, prefix),
                    gewicht,
                )
                for naam, gewicht in TANTIVY_VELDEN
            ]
            delen.append((tantivy.Occur.Must, tantivy.Query.disjunction_max_query(per_veld, 0.3)))
        query = tantivy.Query.boolean_query(delen)
        return searcher.search(query, 10).hits

    begin = time.perf_counter()
    zoek(vragen["eerste"] + " ")
    eerste_ms = (time.perf_counter() - begin) * 1000
    tijden = _keystrokes(zoek, vragen["aanslagen"])
    return {
        "open_ms": open_ms,
        "eerste_ms": eerste_ms,
        "toets_p50": pct(tijden, 50),
        "toets_p95": pct(tijden, 95),
        "toets_max": max(tijden),
        "rss_start_mb": start_rss,
        "rss_mb": rss_mb(),
    }


ROLLEN = {
    "bouw-nieuw": lambda a, v: rol_bouw_nieuw(a.pad, a.docs),
    "zoek-nieuw": lambda a, v: rol_zoek_nieuw(a.pad, v),
    "oud": lambda a, v: rol_oud(a.docs, v),
    "bouw-tantivy": lambda a, v: rol_bouw_tantivy(a.pad, a.docs),
    "zoek-tantivy": lambda a, v: rol_zoek_tantivy(a.pad, v),
}


def in_proces(rol: str, docs: int, pad: str, vragen_pad: str) -> dict:
    begin = time.perf_counter()
    uit = subprocess.run(
        [sys.executable, __file__, "--rol", rol, "--docs", str(docs), "--pad", pad,
         "--vragen", vragen_pad],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )  # fmt: skip
    if uit.returncode != 0:
        raise SystemExit(f"{rol} mislukte:\n{uit.stderr[-3000:]}")
    resultaat = json.loads(uit.stdout.strip().splitlines()[-1])
    resultaat["wand_s"] = time.perf_counter() - begin
    return resultaat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--aanslagen", type=int, default=600, help="toetsaanslagen gemeten")
    parser.add_argument("--zonder-oud", action="store_true")
    parser.add_argument("--zonder-tantivy", action="store_true")
    parser.add_argument("--werkmap", help="bewaar de gebouwde indexen hier en hergebruik ze")
    parser.add_argument("--rol", choices=sorted(ROLLEN), help=argparse.SUPPRESS)
    parser.add_argument("--pad", help=argparse.SUPPRESS)
    parser.add_argument("--vragen", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rol:
        vragen = json.loads(Path(args.vragen).read_text()) if args.vragen else {}
        print(json.dumps(ROLLEN[args.rol](args, vragen)))
        return

    from benchmarks.bench_search_core import Corpus, toetsaanslagen

    werk = Path(args.werkmap) if args.werkmap else Path(tempfile.mkdtemp(prefix="bench_kb_"))
    werk.mkdir(parents=True, exist_ok=True)
    gebouwd_pad = werk / "gebouwd.json"
    gebouwd = json.loads(gebouwd_pad.read_text()) if gebouwd_pad.exists() else {}
    if gebouwd.get("docs") != args.docs:
        gebouwd = {"docs": args.docs}

    def bouw_eenmaal(naam: str, rol: str, pad: str) -> dict:
        if args.werkmap and naam in gebouwd:
            print(f"{naam}: gebouwde index hergebruikt ({pad})", flush=True)
            return gebouwd[naam]
        if os.path.isdir(pad):
            shutil.rmtree(pad)
        elif os.path.exists(pad):
            os.remove(pad)
        if rol == "bouw-tantivy":
            os.makedirs(pad)
        gebouwd[naam] = in_proces(rol, args.docs, pad, vragen_pad)
        gebouwd_pad.write_text(json.dumps(gebouwd))
        return gebouwd[naam]

    try:
        corpus = Corpus(min(args.docs, 2000))  # the queries only (same seed, same words)
        aanslagen = toetsaanslagen(corpus.zoekvragen)
        stap = max(1, len(aanslagen) // args.aanslagen)
        vragen = {"eerste": "paspoort verlengen", "aanslagen": aanslagen[::stap]}
        vragen_pad = str(werk / "vragen.json")
        Path(vragen_pad).write_text(json.dumps(vragen))
        del corpus
        print(f"{args.docs:,} artikelen, {len(vragen['aanslagen'])} toetsaanslagen; "
              f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} "
              "(gedeeld met andere agents)", flush=True)  # fmt: skip

        bestand = str(werk / "kennisbank.zoekindex")
        bouw = bouw_eenmaal("nieuw", "bouw-nieuw", bestand)
        print(f"kern persistent: gebouwd in {bouw['bouw_s']:.1f} s, "
              f"{os.path.getsize(bestand) / 2**20:.0f} MB op schijf; vectoren opgeslagen in "
              f"{bouw['vectoren_opslaan_s']:.1f} s; echt inbedden "
              f"{bouw['inbedden_ms_per_artikel']:.0f} ms per artikel", flush=True)  # fmt: skip
        nieuw = in_proces("zoek-nieuw", args.docs, bestand, vragen_pad)
        rijen = [("kern persistent (nieuw)", bouw["bouw_s"], nieuw)]
        if not args.zonder_oud:
            oud = in_proces("oud", args.docs, "", vragen_pad)
            rijen.append(("kern in geheugen (basis)", oud["bouw_s"], oud))
        if not args.zonder_tantivy:
            try:
                import tantivy  # noqa: F401
            except ImportError:
                print("tantivy niet geïnstalleerd: pip install tantivy==0.27.0")
            else:
                map_ = str(werk / "tantivy")
                tb = bouw_eenmaal("tantivy", "bouw-tantivy", map_)
                tz = in_proces("zoek-tantivy", args.docs, map_, vragen_pad)
                rijen.append(("tantivy (fuzzy AUTO)", tb["bouw_s"], tz))

        print()
        kop = (f"{'engine':<26}{'bouw s':>8}{'1e zoek ms':>11}{'toets p50':>10}"
               f"{'toets p95':>10}{'RSS MB':>8}{'p95/nieuw':>10}{'1e/nieuw':>9}")  # fmt: skip
        print(kop)
        for naam, bouw_s, r in rijen:
            eerste = r.get("open_ms", 0.0) + r["eerste_ms"]
            print(f"{naam:<26}{bouw_s:8.1f}{eerste:11.1f}{r['toets_p50']:10.2f}"
                  f"{r['toets_p95']:10.2f}{r.get('rss_lexicaal_mb', r['rss_mb']):8.0f}"
                  f"{r['toets_p95'] / nieuw['toets_p95']:9.2f}x"
                  f"{eerste / (nieuw['open_ms'] + nieuw['eerste_ms']):8.1f}x")  # fmt: skip
        print()
        print(
            f"nieuw proces (persistent): openen {nieuw['open_ms']:.1f} ms + eerste zoekactie "
            f"{nieuw['eerste_ms']:.1f} ms (doel ≤ 300 ms); imports {nieuw['import_s']:.2f} s"
        )
        print(f"zin op betekenis: p50 {nieuw['zin_p50']:.1f} ms, p95 {nieuw['zin_p95']:.1f} ms "
              f"(doel ≤ 50 ms); daarin, tegelijk: vraagvector (model alleen) p50 "
              f"{nieuw['zin_inbedden_p50']:.1f} / p95 {nieuw['zin_inbedden_p95']:.1f} ms en "
              f"woorden p95 {nieuw['zin_woorden_p95']:.1f} ms; daarna vectoren p95 "
              f"{nieuw['zin_vectoren_p95']:.1f} ms; model en vectoren laden (eenmalig) "
              f"{nieuw['semantisch_laden_ms']:.0f} ms")  # fmt: skip
        print(f"geheugen nieuw proces: {nieuw['rss_start_mb']:.0f} MB bij start, "
              f"{nieuw['rss_lexicaal_mb']:.0f} MB na zoeken op woorden, {nieuw['rss_mb']:.0f} MB "
              "met model en vectoren (doel zoeken ≤ 150 MB); daarvan privé (RssAnon, zonder de "
              f"gedeelde pagina's van het indexbestand): {nieuw['anon_lexicaal_mb']:.0f} MB "
              f"na zoeken op woorden, {nieuw['anon_mb']:.0f} MB met model en vectoren")  # fmt: skip
    finally:
        if not args.werkmap:
            shutil.rmtree(werk, ignore_errors=True)


if __name__ == "__main__":
    main()
