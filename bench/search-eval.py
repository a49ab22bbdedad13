#!/usr/bin/env python3
"""Retrieval quality of Lectern's search, per mode, over an evaluation set. Two kinds of set:

Sample book (bench/eval/questions.json, the default): questions carry "book", "chapter" and "section". For each
mode (dense, fulltext, hybrid) every question is sent to POST /api/v1/search with {"query", "limit": k, "mode",
"filters": {"book"}}. A hit is relevant when its (chapter, sectionNumber) is the question's (chapter, section).

  recall@k  share of questions with a relevant hit among the first k hits
  MRR@k     mean over questions of 1/rank of the first relevant hit in the first k (0 when there is none)

Corpus (a real Docusaurus book, e.g. bench/eval/redux-docs.json): the file has "corpus" and "docsFolder", and each
question a "sourcePath" (the page's path under the docs folder) and a "heading" (nearest heading above the answer,
"" = before the first ## heading). The chapters' sourcePath comes from GET /api/v1/books/{book}/chapters, or, for
chapters without one, from --chapter-map (the import response, or {"chapters": {slug: sourcePath}}). Every
question is sent with "limit": --limit (10); a hit is relevant

  at chapter level  when its chapter's sourcePath is the question's sourcePath;
  at section level  when, besides, the normalised heading equals the hit's sectionTitle or an entry of its
                    headingPath (lower case, whitespace collapsed, Markdown, backticks and a trailing {#id}
                    stripped); for heading "" the hit must be in section 1.

Per mode it reports recall@k (k = 5) and MRR@limit at both levels, overall and per style, with the mean and p95
client milliseconds per query. It also asks POST /api/v1/search/context for a pack of --token-budget (1500) tokens
per question and reports the share of packs that cite the expected chapter, the expected section (a passage of
that chapter matching the heading rule), whose first source is the expected chapter, and that hold hybrid search's
top hit (by chunkId).

With --whole-index every search is sent without the book filter, so the question competes with
every passage of the index, and a hit counts only when it is in the question's book; in corpus mode the context packs
are then skipped (a pack cites chapters by slug, which another book may share).

Output is Markdown, or JSON with --json (figures and every question's ranks); --json-out FILE writes the JSON as
well as printing Markdown. Exits 1 on any HTTP or connection error or a response that is not the documented
shape, 2 on bad arguments or a question file that cannot be used, and 3 when --require-hybrid-best or
--require-targets is given and not met.

Python 3 standard library only. See bench/README.md.
"""

import argparse
import html
import json
import math
import os
import re
import statistics
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_QUESTIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "eval", "questions.json")
MODES = ("dense", "fulltext", "hybrid")
CORPUS_DEFAULT_LIMIT = 10
DEFAULT_TOKEN_BUDGET = 1500

# Issue 14's targets for real books: (label, figure path, minimum).
TARGETS = (
    ("hybrid chapter recall@5", ("modes", "hybrid", "chapter", "recall"), 0.97),
    ("hybrid section recall@5", ("modes", "hybrid", "section", "recall"), 0.85),
    ("hybrid section MRR@10", ("modes", "hybrid", "section", "mrr"), 0.75),
    ("context pack cites the expected chapter", ("pack", "citesChapter"), 0.95),
    ("context pack cites the expected section", ("pack", "citesSection"), 0.85),
)


class SearchError(Exception):
    """The service answered with an error status, could not be reached, or sent something unexpected."""


class QuestionFileError(Exception):
    """The question file (or the chapter mapping) cannot be used."""


# ---------------------------------------------------------------------------------------------------- HTTP

def request_json(base_url, api_key, method, path, body, timeout):
    """Sends one request and returns the parsed JSON answer; raises SearchError on anything but a 200 with JSON."""
    request = urllib.request.Request(
        base_url.rstrip("/") + path,
        data=None if body is None else json.dumps(body).encode("utf-8"),
        method=method,
        headers={"Content-Type": "application/json", "Accept": "application/json", "X-Api-Key": api_key},
    )
    what = json.dumps(body) if body is not None else f"{method} {path}"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
    except urllib.error.HTTPError as e:
        detail = e.read().decode("utf-8", "replace")[:500]
        raise SearchError(f"HTTP {e.code} for {what}: {detail}") from e
    except (urllib.error.URLError, OSError) as e:
        raise SearchError(f"cannot reach {request.full_url}: {getattr(e, 'reason', e)}") from e
    try:
        return json.loads(payload)
    except ValueError as e:
        raise SearchError(f"response that is not JSON for {what}: {payload[:300]!r}") from e


def post_search(base_url, api_key, body, timeout):
    """POSTs one search and returns the list of hits; raises SearchError on anything but a 200 with hits."""
    answer = request_json(base_url, api_key, "POST", "/api/v1/search", body, timeout)
    try:
        hits = answer["hits"]
    except (KeyError, TypeError) as e:
        raise SearchError(f"response without a 'hits' list for {json.dumps(body)}: {str(answer)[:300]}") from e
    if not isinstance(hits, list):
        raise SearchError(f"'hits' is not a list for {json.dumps(body)}")
    return hits


# ---------------------------------------------------------------------------------------------------- sample book

def load_questions(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    questions = data["questions"] if isinstance(data, dict) else data
    for q in questions:
        missing = [k for k in ("id", "question", "book", "chapter", "section") if k not in q]
        if missing:
            raise ValueError(f"question {q.get('id', '?')} lacks {', '.join(missing)}")
    return questions


def filters(book, whole_index):
    """The search's filters: the book, or none with --whole-index (then relevance also checks the hit's book)."""
    return {} if whole_index else {"filters": {"book": book}}


def search_body(question, mode, k, whole_index=False):
    return {"query": question["question"], "limit": k, "mode": mode, **filters(question["book"], whole_index)}


def in_book(hit, book):
    """A hit of the book: always true for a book-filtered search (book None)."""
    if book is None:
        return True
    if "book" not in hit:
        raise SearchError(f"hit without book: {str(hit)[:300]}")
    return hit["book"] == book


def first_relevant_rank(hits, chapter, section, k, book=None):
    """1-based rank of the first hit in the top k from (chapter, section) (and the book, when given), or None."""
    for rank, hit in enumerate(hits[:k], start=1):
        if not isinstance(hit, dict) or "chapter" not in hit or "sectionNumber" not in hit:
            raise SearchError(f"hit without chapter/sectionNumber: {str(hit)[:300]}")
        if hit["chapter"] == chapter and hit["sectionNumber"] == section and in_book(hit, book):
            return rank
    return None


def score(ranks):
    """recall@k and MRR@k of a list of first-relevant ranks (None = no relevant hit in the top k)."""
    if not ranks:
        return {"questions": 0, "recall": 0.0, "mrr": 0.0}
    return {
        "questions": len(ranks),
        "recall": sum(1 for r in ranks if r is not None) / len(ranks),
        "mrr": statistics.fmean(1.0 / r if r is not None else 0.0 for r in ranks),
    }


def evaluate(questions, mode, k, search, whole_index=False):
    """Runs every question in one mode through search(body) -> hits; returns the figures and per-question ranks."""
    ranks = {}
    millis = []
    for q in questions:
        started = time.perf_counter()
        hits = search(search_body(q, mode, k, whole_index))
        millis.append(1000 * (time.perf_counter() - started))
        ranks[q["id"]] = first_relevant_rank(hits, q["chapter"], q["section"], k,
                                             q["book"] if whole_index else None)
    result = score(list(ranks.values()))
    styles = sorted({q.get("style", "all") for q in questions})
    result["byStyle"] = {s: score([ranks[q["id"]] for q in questions if q.get("style", "all") == s]) for s in styles}
    result["meanMillis"] = statistics.fmean(millis) if millis else 0.0
    result["ranks"] = ranks
    return result


def hybrid_is_best(results):
    """True when hybrid beats both other modes on recall and on MRR (strictly)."""
    if not all(m in results for m in MODES):
        return False
    h = results["hybrid"]
    return all(h["recall"] > results[m]["recall"] and h["mrr"] > results[m]["mrr"] for m in ("dense", "fulltext"))


def markdown_table(results, k):
    styles = sorted({s for r in results.values() for s in r["byStyle"]})
    head = ["Mode", "Questions", f"Recall@{k}", f"MRR@{k}"]
    for s in styles:
        head += [f"Recall@{k} {s}", f"MRR@{k} {s}"]
    head.append("Mean ms/query")
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for mode, r in results.items():
        row = [mode, str(r["questions"]), f"{r['recall']:.3f}", f"{r['mrr']:.3f}"]
        for s in styles:
            b = r["byStyle"].get(s, {"questions": 0, "recall": 0.0, "mrr": 0.0})
            row += [f"{b['recall']:.3f} (n={b['questions']})", f"{b['mrr']:.3f}"]
        row.append(f"{r['meanMillis']:.1f}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def run_sample(args, questions):
    def search(body):
        return post_search(args.base_url, args.api_key, body, args.timeout)

    try:
        results = {mode: evaluate(questions, mode, args.k, search, args.whole_index) for mode in args.modes}
    except SearchError as e:
        print(f"search-eval: {e}", file=sys.stderr)
        return 1

    document = {"k": args.k, "questions": len(questions), "baseUrl": args.base_url, "wholeIndex": args.whole_index,
                "hybridBest": hybrid_is_best(results), "modes": results}
    if args.json_out:
        write_json(args.json_out, document)
    if args.json:
        print(json.dumps(document, indent=2))
    else:
        print(f"Retrieval over {len(questions)} questions ({args.questions}), k={args.k}, {args.base_url}"
              + (", whole index (no book filter)" if args.whole_index else "") + "\n")
        print(markdown_table(results, args.k))
        misses = {mode: [qid for qid, r in res["ranks"].items() if r is None] for mode, res in results.items()}
        print()
        for mode, ids in misses.items():
            print(f"- {mode}: no relevant hit in the top {args.k} for {len(ids)} question(s)"
                  + (f": {', '.join(ids)}" if ids else ""))
        if all(m in results for m in MODES):
            print(f"- hybrid beats both dense and fulltext on recall@{args.k} and MRR@{args.k}: "
                  + ("yes" if hybrid_is_best(results) else "NO"))
    if args.require_hybrid_best and not hybrid_is_best(results):
        return 3
    return 0


# ---------------------------------------------------------------------------------------------------- corpus

CUSTOM_ID = re.compile(r"\s*\{#[^}]*\}\s*$")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
TAG = re.compile(r"</?[A-Za-z][^>]*>")
MARKUP = re.compile(r"[`*_~]")
ESCAPE = re.compile(r"\\(.)")
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalise_heading(text):
    """Heading text as compared: no leading #s, trailing {#id}, links, tags, backslash escapes, backticks or
    emphasis markers (`*_~` anywhere, so snake_case loses its underscores on both sides alike), curly quotes made
    straight; lower case, whitespace collapsed. Applied to the question's heading and the service's titles."""
    if text is None:
        return ""
    t = unicodedata.normalize("NFKC", str(text)).translate(QUOTES).strip()
    t = re.sub(r"^#{1,6}\s+", "", t)
    t = CUSTOM_ID.sub("", t)
    t = html.unescape(t)
    t = LINK.sub(r"\1", t)
    t = TAG.sub("", t)
    t = ESCAPE.sub(r"\1", t)
    t = MARKUP.sub("", t)
    return " ".join(t.lower().split())


def read_question_file(path):
    """Returns ("sample", None, questions) or ("corpus", file object, questions); raises QuestionFileError."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise QuestionFileError(f"cannot read {path}: {e}") from e
    questions = data.get("questions") if isinstance(data, dict) else data
    if not isinstance(questions, list) or not questions:
        raise QuestionFileError(f"{path} holds no questions")
    corpus = isinstance(data, dict) and "corpus" in data or any("sourcePath" in q for q in questions)
    if not corpus:
        try:
            return "sample", None, load_questions(path)
        except (ValueError, KeyError, TypeError) as e:
            raise QuestionFileError(str(e)) from e
    if not isinstance(data, dict):
        raise QuestionFileError(f"{path}: a corpus question file is an object with corpus, docsFolder, questions")
    seen = set()
    for q in questions:
        missing = [k for k in ("id", "question", "sourcePath", "heading") if k not in q]
        if missing:
            raise QuestionFileError(f"question {q.get('id', '?')} lacks {', '.join(missing)}")
        if q["id"] in seen:
            raise QuestionFileError(f"question id {q['id']} appears twice")
        seen.add(q["id"])
    return "corpus", data, questions


def docs_relative_paths(paths, docs_folder):
    """Maps each path of an import response (as found in the zip) to its path under the docs folder. The prefix
    stripped is the files' common folder up to and including its last segment named docs_folder (so both
    "redux-docs/docs/api/x.md" and "docs/api/x.md" give "api/x.md"); when the common folder has no such
    segment the zip held the docs folder's content and paths are taken as they are (minus that common folder
    only when it is the docs folder itself)."""
    clean = [p.replace("\\", "/").lstrip("/") for p in paths]
    folders = [p.split("/")[:-1] for p in clean]
    common = []
    for parts in zip(*folders) if folders else []:
        if all(x == parts[0] for x in parts):
            common.append(parts[0])
        else:
            break
    cut = 0
    if docs_folder:
        for i, segment in enumerate(common):
            if segment == docs_folder:
                cut = i + 1
    return {original: "/".join(p.split("/")[cut:]) for original, p in zip(paths, clean)}


def read_chapter_map(path, docs_folder):
    """{slug: sourcePath} from an import response ({"files": [{"path", "chapter", "status"}]}) or from
    {"chapters": {slug: sourcePath}}; files that failed to import are left out."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise QuestionFileError(f"cannot read the chapter map {path}: {e}") from e
    if isinstance(data, dict) and isinstance(data.get("chapters"), dict):
        return {str(k): str(v) for k, v in data["chapters"].items()}
    if isinstance(data, dict) and isinstance(data.get("files"), list):
        files = [f for f in data["files"] if isinstance(f, dict) and f.get("path") and f.get("chapter")]
        relative = docs_relative_paths([f["path"] for f in files], docs_folder)
        return {f["chapter"]: relative[f["path"]] for f in files if f.get("status") != "failed"}
    raise QuestionFileError(f"{path} is neither an import response (files[]) nor {{\"chapters\": {{slug: path}}}}")


def list_chapters(get, book):
    """Every chapter of the book, following the keyset cursor."""
    items, cursor = [], None
    while True:
        query = {"limit": 100}
        if cursor:
            query["cursor"] = cursor
        page = get(f"/api/v1/books/{urllib.parse.quote(book)}/chapters?{urllib.parse.urlencode(query)}")
        if not isinstance(page, dict) or not isinstance(page.get("items"), list):
            raise SearchError(f"chapter list of {book} without items: {str(page)[:300]}")
        items += page["items"]
        cursor = page.get("next")
        if not cursor:
            return items


def chapter_index(items, fallback):
    """{slug: {"sourcePath", "title", "origin": "api" | "map" | None}} from the chapter list and the fallback map."""
    index = {}
    for item in items:
        slug = item.get("slug")
        if not slug:
            raise SearchError(f"chapter item without slug: {str(item)[:300]}")
        if item.get("sourcePath"):
            path, origin = item["sourcePath"], "api"
        elif slug in fallback:
            path, origin = fallback[slug], "map"
        else:
            path, origin = None, None
        index[slug] = {"sourcePath": path, "title": item.get("title"), "origin": origin}
    return index


def heading_matches(heading, section_number, titles):
    """The section rule: heading "" means section 1; otherwise the normalised heading equals one of the titles."""
    if heading == "":
        return section_number == 1
    return heading in {normalise_heading(t) for t in titles if t is not None}


HIT_FIELDS = ("chunkId", "chapter", "sectionNumber", "sectionTitle", "headingPath")


def check_hit(hit):
    if not isinstance(hit, dict) or any(f not in hit for f in HIT_FIELDS):
        raise SearchError(f"hit without {'/'.join(HIT_FIELDS)}: {str(hit)[:300]}")


def corpus_ranks(hits, q, paths, book=None):
    """(chapter rank, section rank) of the first relevant hit, 1-based, None when no hit is relevant; with a book,
    hits of other books never are (a whole-index search)."""
    chapter_rank = section_rank = None
    heading = normalise_heading(q["heading"])
    for rank, hit in enumerate(hits, start=1):
        check_hit(hit)
        if paths.get(hit["chapter"]) != q["sourcePath"] or not in_book(hit, book):
            continue
        if chapter_rank is None:
            chapter_rank = rank
        if section_rank is None and heading_matches(
                heading, hit["sectionNumber"], [hit["sectionTitle"], *(hit["headingPath"] or [])]):
            section_rank = rank
            break
    return chapter_rank, section_rank


def p95(values):
    """Nearest-rank 95th percentile."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def rank_figures(ranks, k):
    """recall@k and MRR over the whole list of ranks (ranks beyond the search limit are already None)."""
    if not ranks:
        return {"recall": 0.0, "mrr": 0.0}
    return {"recall": sum(1 for r in ranks if r is not None and r <= k) / len(ranks),
            "mrr": statistics.fmean(1.0 / r if r is not None else 0.0 for r in ranks)}


def mode_figures(rows, k):
    """Figures of one mode (or one style of it) from the per-question rows."""
    millis = [r["millis"] for r in rows]
    return {"questions": len(rows),
            "chapter": rank_figures([r["chapterRank"] for r in rows], k),
            "section": rank_figures([r["sectionRank"] for r in rows], k),
            "meanMillis": statistics.fmean(millis) if millis else 0.0,
            "p95Millis": p95(millis)}


def pack_figures(rows):
    def share(key):
        return sum(1 for r in rows if r[key]) / len(rows) if rows else 0.0
    millis = [r["millis"] for r in rows]
    return {"questions": len(rows),
            "citesChapter": share("citesChapter"), "citesSection": share("citesSection"),
            "firstSourceIsChapter": share("firstSourceIsChapter"), "hybridTopHitInPack": share("hybridTopHitInPack"),
            "meanSources": statistics.fmean(r["sources"] for r in rows) if rows else 0.0,
            "meanTokensUsed": statistics.fmean(r["tokensUsed"] for r in rows) if rows else 0.0,
            "meanMillis": statistics.fmean(millis) if millis else 0.0, "p95Millis": p95(millis)}


def judge_pack(pack, q, paths, hybrid_top):
    """Citation flags of one context pack for question q."""
    try:
        sources = {s["number"]: s for s in pack["sources"]}
    except (KeyError, TypeError) as e:
        raise SearchError(f"context pack source without a number: {str(pack['sources'])[:300]}") from e
    passages = pack["passages"]
    if not all(isinstance(p, dict) and all(f in p for f in ("source", "chunkId", "headingPath")) for p in passages):
        raise SearchError(f"context pack passage without source/chunkId/headingPath: {str(passages)[:300]}")
    heading = normalise_heading(q["heading"])
    expected = [s for s in sources.values() if paths.get(s.get("chapter")) == q["sourcePath"]]
    cites_section = False
    for p in passages:
        s = sources.get(p["source"])
        if s is None:
            raise SearchError(f"passage cites source {p['source']}, which the pack does not list")
        if paths.get(s.get("chapter")) == q["sourcePath"] and heading_matches(
                heading, s.get("sectionNumber"), [s.get("sectionTitle"), *(p["headingPath"] or [])]):
            cites_section = True
            break
    first = sources.get(min(sources)) if sources else None
    return {"citesChapter": bool(expected), "citesSection": cites_section,
            "firstSourceIsChapter": first is not None and paths.get(first.get("chapter")) == q["sourcePath"],
            "hybridTopHitInPack": hybrid_top is not None and any(p["chunkId"] == hybrid_top for p in passages),
            "sources": len(sources), "tokensUsed": pack.get("tokensUsed", 0),
            "citedChapters": sorted({f"{s.get('chapter')}#{s.get('sectionNumber')}" for s in sources.values()})}


def evaluate_corpus(questions, modes, book, k, limit, budget, pack, paths, search, context, whole_index=False):
    """Runs every question through each mode (and the context pack); returns per-question rows."""
    scope = filters(book, whole_index)
    rows = {q["id"]: {"id": q["id"], "style": q.get("style", "all"), "sourcePath": q["sourcePath"],
                      "heading": q["heading"], "question": q["question"], "modes": {}} for q in questions}
    for mode in modes:
        for q in questions:
            body = {"query": q["question"], "limit": limit, "mode": mode, **scope}
            started = time.perf_counter()
            hits = search(body)
            millis = 1000 * (time.perf_counter() - started)
            chapter_rank, section_rank = corpus_ranks(hits, q, paths, book if whole_index else None)
            rows[q["id"]]["modes"][mode] = {
                "chapterRank": chapter_rank, "sectionRank": section_rank, "millis": round(millis, 2),
                "topChunkId": hits[0]["chunkId"] if hits else None,
                "top": [{"chapter": h["chapter"], "sourcePath": paths.get(h["chapter"]),
                         "sectionNumber": h["sectionNumber"], "sectionTitle": h["sectionTitle"],
                         "headingPath": h["headingPath"]} for h in hits[:k]]}
    if pack:
        for q in questions:
            row = rows[q["id"]]
            if "hybrid" in row["modes"]:
                hybrid_top = row["modes"]["hybrid"]["topChunkId"]
            else:  # the pack's comparison needs hybrid's top hit even when hybrid is not measured
                hits = search({"query": q["question"], "limit": 1, "mode": "hybrid", **scope})
                if hits:
                    check_hit(hits[0])
                hybrid_top = hits[0]["chunkId"] if hits else None
            started = time.perf_counter()
            answer = context({"query": q["question"], "tokenBudget": budget, **scope})
            millis = 1000 * (time.perf_counter() - started)
            row["pack"] = {**judge_pack(answer, q, paths, hybrid_top), "millis": round(millis, 2)}
    return [rows[q["id"]] for q in questions]


def summarise_corpus(rows, modes, k, pack):
    styles = sorted({r["style"] for r in rows})
    result = {"modes": {}, "pack": None}
    for mode in modes:
        per = [r["modes"][mode] for r in rows]
        figures = mode_figures(per, k)
        figures["byStyle"] = {s: mode_figures([r["modes"][mode] for r in rows if r["style"] == s], k) for s in styles}
        result["modes"][mode] = figures
    if pack:
        result["pack"] = pack_figures([r["pack"] for r in rows])
        result["pack"]["byStyle"] = {s: pack_figures([r["pack"] for r in rows if r["style"] == s]) for s in styles}
    return result


def figure(document, path):
    value = document
    for key in path:
        if not isinstance(value, dict) or key not in value or value[key] is None:
            return None
        value = value[key]
    return value


def check_targets(document):
    """Issue 14's targets: [(label, value or None, minimum, met or None)]; None when the figure was not measured."""
    out = []
    for label, path, minimum in TARGETS:
        value = figure(document, path)
        out.append({"target": label, "value": value, "minimum": minimum,
                    "met": None if value is None else value >= minimum})
    hybrid = figure(document, ("modes", "hybrid", "section", "mrr"))
    dense = figure(document, ("modes", "dense", "section", "mrr"))
    out.append({"target": "hybrid section MRR@10 not below dense", "value": hybrid, "minimum": dense,
                "met": None if hybrid is None or dense is None else hybrid >= dense})
    return out


def corpus_hybrid_best(document):
    """Corpus mode's --require-hybrid-best: hybrid beats dense and fulltext on section recall@k and section MRR."""
    modes = document["modes"]
    if not all(m in modes for m in MODES):
        return False
    h = modes["hybrid"]["section"]
    return all(h["recall"] > modes[m]["section"]["recall"] and h["mrr"] > modes[m]["section"]["mrr"]
               for m in ("dense", "fulltext"))


def corpus_markdown(doc):
    k, limit = doc["k"], doc["limit"]
    styles = sorted({r["style"] for r in doc["perQuestion"]})
    count = {s: sum(1 for r in doc["perQuestion"] if r["style"] == s) for s in styles}
    ch = doc["chapters"]
    out = [f"# Retrieval on {doc['corpus']} (book `{doc['book']}`)", "",
           f"{doc['questions']} questions ({doc['questionsFile']}: "
           + ", ".join(f"{count[s]} {s}" for s in styles)
           + f"); search limit {limit}, recall at {k}, MRR at {limit}"
           + (f"; context packs of {doc['tokenBudget']} tokens" if doc["pack"] else "")
           + ("; whole index (no book filter, hits of other books never count)" if doc.get("wholeIndex") else "")
           + f"; {doc['baseUrl']}.",
           "",
           f"Chapters in the book: {ch['total']}; sourcePath from the chapter list for {ch['fromApi']}, "
           f"from the import mapping for {ch['fromMap']}, unknown for {len(ch['unmapped'])}"
           + (f" ({', '.join(ch['unmapped'])})" if ch["unmapped"] else "") + "."]
    for warning in doc["warnings"]:
        out.append(f"- WARNING: {warning}")
    out += ["", "## Search", "",
            f"| Mode | Style | Questions | Recall@{k} chapter | Recall@{k} section | MRR@{limit} chapter "
            f"| MRR@{limit} section | Mean ms | p95 ms |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for mode, r in doc["modes"].items():
        for style, f in [("all", r), *r["byStyle"].items()]:
            if style != "all" and len(r["byStyle"]) < 2:
                continue
            out.append(f"| {mode} | {style} | {f['questions']} | {f['chapter']['recall']:.3f} "
                       f"| {f['section']['recall']:.3f} | {f['chapter']['mrr']:.3f} | {f['section']['mrr']:.3f} "
                       f"| {f['meanMillis']:.1f} | {f['p95Millis']:.1f} |")
    if doc["pack"]:
        p = doc["pack"]
        out += ["", f"## Context pack ({doc['tokenBudget']} tokens)", "",
                "| Style | Questions | Cites chapter | Cites section | First source is chapter "
                "| Hybrid top hit in pack | Sources (mean) | Tokens used (mean) | Mean ms | p95 ms |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for style, f in [("all", p), *p["byStyle"].items()]:
            if style != "all" and len(p["byStyle"]) < 2:
                continue
            out.append(f"| {style} | {f['questions']} | {f['citesChapter']:.3f} | {f['citesSection']:.3f} "
                       f"| {f['firstSourceIsChapter']:.3f} | {f['hybridTopHitInPack']:.3f} | {f['meanSources']:.1f} "
                       f"| {f['meanTokensUsed']:.0f} | {f['meanMillis']:.1f} | {f['p95Millis']:.1f} |")
    out += ["", "## Targets (issue 14)", ""]
    for t in doc["targets"]:
        if t["met"] is None:
            out.append(f"- {t['target']}: not measured")
        elif isinstance(t["minimum"], float) and t["target"].endswith("dense"):
            out.append(f"- {t['target']}: {t['value']:.3f} vs dense {t['minimum']:.3f}: "
                       + ("met" if t["met"] else "**NOT MET**"))
        else:
            out.append(f"- {t['target']} >= {t['minimum']:.2f}: {t['value']:.3f}, "
                       + ("met" if t["met"] else "**NOT MET**"))
    out += ["", "## Missed questions", ""]

    def ids(rows):
        return f"{len(rows)}" + (f": {', '.join(r['id'] for r in rows)}" if rows else "")

    for mode in doc["modes"]:
        rows = doc["perQuestion"]
        no_chapter = [r for r in rows if not _within(r["modes"][mode]["chapterRank"], k)]
        no_section = [r for r in rows if _within(r["modes"][mode]["chapterRank"], k)
                      and not _within(r["modes"][mode]["sectionRank"], k)]
        out.append(f"- {mode}: chapter not in the top {k}: {ids(no_chapter)}; "
                   f"chapter but not the section in the top {k}: {ids(no_section)}")
    if doc["pack"]:
        rows = doc["perQuestion"]
        out.append(f"- pack: chapter not cited: {ids([r for r in rows if not r['pack']['citesChapter']])}; "
                   f"chapter cited but not the section: "
                   f"{ids([r for r in rows if r['pack']['citesChapter'] and not r['pack']['citesSection']])}; "
                   f"first source not the chapter: {ids([r for r in rows if not r['pack']['firstSourceIsChapter']])}")
    return "\n".join(out)


def _within(rank, k):
    return rank is not None and rank <= k


def run_corpus(args, data, questions):
    book = args.book or data.get("corpus")
    if not book:
        raise QuestionFileError("the question file has no \"corpus\"; pass --book")
    docs_folder = data.get("docsFolder", "")
    limit = args.limit or CORPUS_DEFAULT_LIMIT
    if args.k > limit:
        raise QuestionFileError(f"-k {args.k} is above the search limit {limit}")
    budget = args.token_budget or DEFAULT_TOKEN_BUDGET
    # A pack cites chapters by slug, which another book may share: packs are judged within their book only.
    pack = not args.no_pack and not args.whole_index
    fallback = read_chapter_map(args.chapter_map, docs_folder) if args.chapter_map else {}

    def get(path):
        return request_json(args.base_url, args.api_key, "GET", path, None, args.timeout)

    def search(body):
        return post_search(args.base_url, args.api_key, body, args.timeout)

    def context(body):
        answer = request_json(args.base_url, args.api_key, "POST", "/api/v1/search/context", body, args.timeout)
        if not isinstance(answer, dict) or not isinstance(answer.get("sources"), list) \
                or not isinstance(answer.get("passages"), list):
            raise SearchError(f"context pack without sources/passages for {json.dumps(body)}: {str(answer)[:300]}")
        return answer

    warnings = []
    try:
        stats = request_json(args.base_url, args.api_key, "GET", "/api/v1/admin/stats", None, args.timeout)
        depth = stats.get("outboxDepth") if isinstance(stats, dict) else None
        if depth not in (0, None):
            warnings.append(f"outboxDepth was {depth} at the start: the index had not settled")
    except SearchError as e:
        warnings.append(f"could not read the admin stats ({e}); cannot tell whether the index has settled")

    try:
        index = chapter_index(list_chapters(get, book), fallback)
    except SearchError as e:
        print(f"search-eval: {e}", file=sys.stderr)
        return 1
    paths = {slug: c["sourcePath"] for slug, c in index.items() if c["sourcePath"]}
    if not paths:
        raise QuestionFileError(f"no chapter of {book} has a sourcePath: the chapter list carries none"
                                + (" and --chapter-map maps none of its slugs" if args.chapter_map
                                   else "; pass --chapter-map (the import response)"))
    known = set(paths.values())
    missing = [q["id"] for q in questions if q["sourcePath"] not in known]
    if missing:
        warnings.append(f"{len(missing)} question(s) name a sourcePath no chapter has, so they always miss: "
                        + ", ".join(missing))
    titles = {c["sourcePath"]: normalise_heading(c["title"]) for c in index.values() if c["sourcePath"]}
    degenerate = [q["id"] for q in questions
                  if q["heading"] and normalise_heading(q["heading"]) == titles.get(q["sourcePath"])]
    if degenerate:
        warnings.append("heading equal to the chapter title, which heads every passage's headingPath, so the "
                        "section rule is the chapter rule for: " + ", ".join(degenerate))
    for w in warnings:
        print(f"search-eval: warning: {w}", file=sys.stderr)

    try:
        rows = evaluate_corpus(questions, args.modes, book, args.k, limit, budget, pack, paths,
                               search, context, args.whole_index)
    except SearchError as e:
        print(f"search-eval: {e}", file=sys.stderr)
        return 1

    document = {
        "kind": "corpus", "corpus": data.get("corpus"), "book": book, "questionsFile": args.questions,
        "baseUrl": args.base_url, "wholeIndex": args.whole_index, "k": args.k, "limit": limit, "tokenBudget": budget if pack else None,
        "questions": len(questions),
        "chapters": {"total": len(index), "fromApi": sum(1 for c in index.values() if c["origin"] == "api"),
                     "fromMap": sum(1 for c in index.values() if c["origin"] == "map"),
                     "unmapped": sorted(s for s, c in index.items() if c["origin"] is None)},
        "warnings": warnings,
    }
    document.update(summarise_corpus(rows, args.modes, args.k, pack))
    document["targets"] = check_targets(document)
    document["hybridBest"] = corpus_hybrid_best(document)
    document["perQuestion"] = rows
    if args.json_out:
        write_json(args.json_out, document)
    if args.json:
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(corpus_markdown(document))
    if args.require_hybrid_best and not document["hybridBest"]:
        return 3
    if args.require_targets and not all(t["met"] for t in document["targets"]):
        return 3
    return 0


# ---------------------------------------------------------------------------------------------------- CLI

def write_json(path, document):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2, ensure_ascii=False)
        f.write("\n")


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="recall and MRR of POST /api/v1/search per mode over an evaluation set: the sample book's "
                    "(chapter + section per question) or a real book's (sourcePath + heading, plus context packs)")
    p.add_argument("--base-url", default=os.environ.get("BASE_URL", "http://localhost:8080"),
                   help="service base URL (env BASE_URL, default http://localhost:8080)")
    p.add_argument("--api-key", default=os.environ.get("API_KEY", "dev-admin-key"),
                   help="sent as X-Api-Key (env API_KEY, default dev-admin-key, the dev-mode admin key)")
    p.add_argument("--questions", default=DEFAULT_QUESTIONS, help="evaluation set (default bench/eval/questions.json)")
    p.add_argument("--modes", default=",".join(MODES), help="comma-separated modes (default dense,fulltext,hybrid)")
    p.add_argument("-k", "--k", type=int, default=5,
                   help="recall cut-off (default 5); for the sample book also the search limit and MRR cut-off")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    p.add_argument("--json", action="store_true", help="print JSON (figures and per-question ranks) instead of Markdown")
    p.add_argument("--json-out", metavar="FILE", help="also write the JSON to FILE (Markdown still printed)")
    p.add_argument("--whole-index", action="store_true",
                   help="search the whole index (no book filter); a hit must then be in the question's book to count")
    p.add_argument("--require-hybrid-best", action="store_true",
                   help="exit 3 unless hybrid beats dense and fulltext on recall and MRR (corpus: at section level)")
    corpus = p.add_argument_group("corpus question files (sourcePath + heading)")
    corpus.add_argument("--book", help="book slug to search (default: the file's \"corpus\")")
    corpus.add_argument("--limit", type=int,
                        help=f"hits asked for per search, and the MRR cut-off (default {CORPUS_DEFAULT_LIMIT})")
    corpus.add_argument("--token-budget", type=int,
                        help=f"context pack token budget (default {DEFAULT_TOKEN_BUDGET})")
    corpus.add_argument("--chapter-map", metavar="FILE",
                        help="sourcePath of chapters the chapter list gives none for: the import response "
                             "(POST .../import), or {\"chapters\": {slug: sourcePath}}")
    corpus.add_argument("--no-pack", action="store_true", help="skip the context pack evaluation")
    corpus.add_argument("--require-targets", action="store_true", help="exit 3 unless issue 14's targets are met")
    args = p.parse_args(argv)
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in args.modes if m not in MODES]
    if unknown or not args.modes:
        p.error(f"unknown mode(s) {unknown}; choose from {', '.join(MODES)}")
    if not 1 <= args.k <= 50:
        p.error("k must be between 1 and 50 (the search limit's range)")
    if args.limit is not None and not 1 <= args.limit <= 50:
        p.error("--limit must be between 1 and 50 (the search limit's range)")
    if args.token_budget is not None and not 50 <= args.token_budget <= 32000:
        p.error("--token-budget must be between 50 and 32000 (the API's range)")
    args.parser = p
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        kind, data, questions = read_question_file(args.questions)
        if kind == "sample":
            given = [name for name, value in (("--book", args.book), ("--limit", args.limit),
                                              ("--token-budget", args.token_budget),
                                              ("--chapter-map", args.chapter_map),
                                              ("--no-pack", args.no_pack), ("--require-targets", args.require_targets))
                     if value]
            if given:
                args.parser.error(f"{', '.join(given)} apply to corpus question files only")
            return run_sample(args, questions)
        return run_corpus(args, data, questions)
    except QuestionFileError as e:
        print(f"search-eval: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
