#!/usr/bin/env python3
"""Retrieval quality of Lectern's search: recall@k and MRR@k per mode over the evaluation set.

For each mode (dense, fulltext, hybrid) every question of bench/eval/questions.json is sent to
POST /api/v1/search with {"query", "limit": k, "mode", "filters": {"book"}}. A hit is relevant when its
(chapter, sectionNumber) is the question's (chapter, section). Per mode:

  recall@k  share of questions with a relevant hit among the first k hits
  MRR@k     mean over questions of 1/rank of the first relevant hit in the first k (0 when there is none)

Each question has exactly one relevant section, so recall@k is the hit rate at k. Output is a Markdown table
(with the same two figures split by question style: paraphrase / keyword), or JSON with --json. Exits 1 on
any HTTP or connection error, or on a response that is not the documented shape; with --require-hybrid-best,
exits 3 when hybrid does not beat both dense and full-text on recall@k and on MRR@k.

Python 3 standard library only. See bench/README.md.
"""

import argparse
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.request

DEFAULT_QUESTIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "eval", "questions.json")
MODES = ("dense", "fulltext", "hybrid")


class SearchError(Exception):
    """The service answered with an error status, could not be reached, or sent something unexpected."""


def load_questions(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    questions = data["questions"] if isinstance(data, dict) else data
    for q in questions:
        missing = [k for k in ("id", "question", "book", "chapter", "section") if k not in q]
        if missing:
            raise ValueError(f"question {q.get('id', '?')} lacks {', '.join(missing)}")
    return questions


def search_body(question, mode, k):
    return {"query": question["question"], "limit": k, "mode": mode, "filters": {"book": question["book"]}}


def post_search(base_url, api_key, body, timeout):
    """POSTs one search and returns the list of hits; raises SearchError on anything but a 200 with hits."""
    request = urllib.request.Request(
        base_url.rstrip("/") + "/api/v1/search",
        data=json.dumps(body).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", "X-Api-Key": api_key},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
    except urllib.error.HTTPError as e:
        detail = e.read().decode("utf-8", "replace")[:500]
        raise SearchError(f"HTTP {e.code} for {json.dumps(body)}: {detail}") from e
    except (urllib.error.URLError, OSError) as e:
        raise SearchError(f"cannot reach {request.full_url}: {getattr(e, 'reason', e)}") from e
    try:
        hits = json.loads(payload)["hits"]
    except (ValueError, KeyError, TypeError) as e:
        raise SearchError(f"response without a 'hits' list for {json.dumps(body)}: {payload[:300]!r}") from e
    if not isinstance(hits, list):
        raise SearchError(f"'hits' is not a list for {json.dumps(body)}")
    return hits


def first_relevant_rank(hits, chapter, section, k):
    """1-based rank of the first hit in the top k from (chapter, section), or None."""
    for rank, hit in enumerate(hits[:k], start=1):
        if not isinstance(hit, dict) or "chapter" not in hit or "sectionNumber" not in hit:
            raise SearchError(f"hit without chapter/sectionNumber: {str(hit)[:300]}")
        if hit["chapter"] == chapter and hit["sectionNumber"] == section:
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


def evaluate(questions, mode, k, search):
    """Runs every question in one mode through search(body) -> hits; returns the figures and per-question ranks."""
    ranks = {}
    millis = []
    for q in questions:
        started = time.perf_counter()
        hits = search(search_body(q, mode, k))
        millis.append(1000 * (time.perf_counter() - started))
        ranks[q["id"]] = first_relevant_rank(hits, q["chapter"], q["section"], k)
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


def parse_args(argv):
    p = argparse.ArgumentParser(description="recall@k and MRR@k of POST /api/v1/search per mode over the evaluation set")
    p.add_argument("--base-url", default=os.environ.get("BASE_URL", "http://localhost:8080"),
                   help="service base URL (env BASE_URL, default http://localhost:8080)")
    p.add_argument("--api-key", default=os.environ.get("API_KEY", "dev-admin-key"),
                   help="sent as X-Api-Key (env API_KEY, default dev-admin-key, the dev-mode admin key)")
    p.add_argument("--questions", default=DEFAULT_QUESTIONS, help="evaluation set (default bench/eval/questions.json)")
    p.add_argument("--modes", default=",".join(MODES), help="comma-separated modes (default dense,fulltext,hybrid)")
    p.add_argument("-k", "--k", type=int, default=5, help="cut-off, sent as the search limit (default 5)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    p.add_argument("--json", action="store_true", help="print JSON (figures and per-question ranks) instead of Markdown")
    p.add_argument("--require-hybrid-best", action="store_true",
                   help="exit 3 unless hybrid beats dense and fulltext on both recall@k and MRR@k")
    args = p.parse_args(argv)
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in args.modes if m not in MODES]
    if unknown or not args.modes:
        p.error(f"unknown mode(s) {unknown}; choose from {', '.join(MODES)}")
    if not 1 <= args.k <= 50:
        p.error("k must be between 1 and 50 (the search limit's range)")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    questions = load_questions(args.questions)

    def search(body):
        return post_search(args.base_url, args.api_key, body, args.timeout)

    try:
        results = {mode: evaluate(questions, mode, args.k, search) for mode in args.modes}
    except SearchError as e:
        print(f"search-eval: {e}", file=sys.stderr)
        return 1

    if args.json:
        print(json.dumps({"k": args.k, "questions": len(questions), "baseUrl": args.base_url,
                          "hybridBest": hybrid_is_best(results), "modes": results}, indent=2))
    else:
        print(f"Retrieval over {len(questions)} questions ({args.questions}), k={args.k}, {args.base_url}\n")
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


if __name__ == "__main__":
    sys.exit(main())
