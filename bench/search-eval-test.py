#!/usr/bin/env python3
"""Offline checks of bench/search-eval.py: its relevance rules, path mapping and figures, against a canned fake of
the service's API (chapter list with a cursor, search, context pack, admin stats). No service, no database.

    python3 bench/search-eval-test.py        # unittest; -v for every test's name

Python 3 standard library only.
"""

import contextlib
import importlib.util
import io
import json
import os
import sys
import tempfile
import threading
import unittest
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no bench/__pycache__ from loading search-eval.py
spec = importlib.util.spec_from_file_location("search_eval", os.path.join(HERE, "search-eval.py"))
se = importlib.util.module_from_spec(spec)
spec.loader.exec_module(se)


def hit(chapter, section, title, path, chunk):
    return {"chunkId": chunk, "score": 0.5, "text": "...", "headingPath": path, "book": "demo", "chapter": chapter,
            "sectionNumber": section, "sectionTitle": title, "anchor": "a"}


FILLER = [hit("other", 1, "Introduction", ["Other"], f"f{i}") for i in range(10)]
# What the fake answers per question text: hits (every mode alike) and the context pack.
CANNED = {
    # Heading with backticks and a {#id}: found at rank 2 through a sub-heading of section 3.
    "q-sub": {"hits": [hit("other", 2, "Else", ["Else"], "x1"),
                       hit("store-setup", 3, "Setup", ["Setup", "Creating the `Store`"], "c1")] + FILLER,
              "pack": {"tokensUsed": 900,
                       "sources": [{"number": 1, "chapter": "other", "sectionNumber": 2, "sectionTitle": "Else"},
                                   {"number": 2, "chapter": "store-setup", "sectionNumber": 3, "sectionTitle": "Setup"}],
                       "passages": [{"source": 1, "chunkId": "x1", "headingPath": ["Else"]},
                                    {"source": 2, "chunkId": "c9", "headingPath": ["Setup", "Creating the Store"]}]}},
    # Heading "": the chapter at rank 1 (section 2), section 1 at rank 2.
    "q-intro": {"hits": [hit("guide", 2, "Usage", ["Usage"], "g2"), hit("guide", 1, "Introduction", ["Introduction"], "g1")]
                + FILLER,
                "pack": {"tokensUsed": 1400,
                         "sources": [{"number": 1, "chapter": "guide", "sectionNumber": 2, "sectionTitle": "Usage"}],
                         "passages": [{"source": 1, "chunkId": "g2", "headingPath": ["Usage"]}]}},
    # Found only at rank 7: a miss at 5, 1/7 for MRR@10.
    "q-deep": {"hits": FILLER[:6] + [hit("guide", 4, "Deep Dive", ["Deep Dive"], "d4")] + FILLER[6:],
               "pack": {"tokensUsed": 100, "sources": [], "passages": []}},
}


class FakeLectern(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, body, status=200):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/api/v1/admin/stats":
            return self.answer({"outboxDepth": 0})
        if url.path == "/api/v1/books/demo/chapters":
            assert query["limit"] == ["100"], query
            if "cursor" not in query:  # first page: one chapter with sourcePath, one without (the map has it)
                return self.answer({"items": [{"slug": "store-setup", "title": "Store", "sourcePath": "api/store.md"},
                                              {"slug": "guide", "title": "Guide"}], "next": "page2"})
            assert query["cursor"] == ["page2"], query
            return self.answer({"items": [{"slug": "other", "title": "Other"}], "next": None})
        return self.answer({"title": "not found"}, 404)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        canned = CANNED[body["query"]]
        if self.path == "/api/v1/search":
            assert body["filters"] == {"book": "demo"}, body
            return self.answer({"query": body["query"], "mode": body["mode"], "hits": canned["hits"][:body["limit"]]})
        if self.path == "/api/v1/search/context":
            assert body["tokenBudget"] == 1500, body
            return self.answer({"query": body["query"], "tokenBudget": 1500, "context": "", **canned["pack"]})
        return self.answer({"title": "not found"}, 404)


class SearchEvalTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLectern)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.base = f"http://127.0.0.1:{cls.server.server_address[1]}"
        cls.dir = tempfile.TemporaryDirectory()
        cls.questions = cls.write("demo.json", {"corpus": "demo", "docsFolder": "docs", "questions": [
            {"id": "q-sub", "style": "keyword", "sourcePath": "api/store.md", "heading": "Creating the `Store` {#create}",
             "question": "q-sub", "evidence": "..."},
            {"id": "q-intro", "style": "paraphrase", "sourcePath": "guide.md", "heading": "", "question": "q-intro",
             "evidence": "..."},
            {"id": "q-deep", "style": "paraphrase", "sourcePath": "guide.md", "heading": "Deep Dive",
             "question": "q-deep", "evidence": "..."}]})
        # The import response as the driver saves it: paths in the zip, under <folder>/docs/.
        cls.import_response = cls.write("import.json", {"book": "demo", "files": [
            {"path": "demo-book/docs/api/store.md", "chapter": "store-setup", "status": "created"},
            {"path": "demo-book/docs/guide.md", "chapter": "guide", "status": "created"},
            {"path": "demo-book/docs/_partial.mdx", "chapter": "docs-partial", "status": "failed", "error": "title"}]})

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.dir.cleanup()

    @classmethod
    def write(cls, name, data):
        path = os.path.join(cls.dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f)
        return path

    def run_eval(self, *extra):
        out = os.path.join(self.dir.name, "out.json")
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = se.main(["--base-url", self.base, "--api-key", "k", "--questions", self.questions,
                            "--json-out", out, *extra])
        with open(out, encoding="utf-8") as f:
            return code, json.load(f), stdout.getvalue(), stderr.getvalue()

    def test_normalise_heading(self):
        n = se.normalise_heading
        self.assertEqual(n("## Reading Data with `useSelector` {#reading}"), "reading data with useselector")
        self.assertEqual(n("  What\u2019s   **Next**? "), "what's next?")
        self.assertEqual(n("[Link](x.md) &amp; <code>a_b</code>"), "link & ab")
        self.assertEqual(n("Alternate `legacy_createStore`"), n("Alternate legacy_createStore"))

    def test_docs_relative_paths(self):
        p = se.docs_relative_paths
        self.assertEqual(p(["b/docs/api/x.md", "b/docs/y.md"], "docs"), {"b/docs/api/x.md": "api/x.md", "b/docs/y.md": "y.md"})
        self.assertEqual(p(["docs/docs/x.md", "docs/docs/a/y.md"], "docs"), {"docs/docs/x.md": "x.md", "docs/docs/a/y.md": "a/y.md"})
        self.assertEqual(p(["api/x.md", "api/y.md"], "docs"), {"api/x.md": "api/x.md", "api/y.md": "api/y.md"})
        self.assertEqual(p(["t/contents/a.md", "t/contents/algorithms/b.md"], "contents")["t/contents/algorithms/b.md"],
                         "algorithms/b.md")

    def test_corpus_ranks_and_pack(self):
        code, doc, markdown, _ = self.run_eval("--chapter-map", self.import_response)
        self.assertEqual(code, 0)
        self.assertEqual(doc["chapters"], {"total": 3, "fromApi": 1, "fromMap": 1, "unmapped": ["other"]})
        rows = {r["id"]: r for r in doc["perQuestion"]}
        self.assertEqual((rows["q-sub"]["modes"]["hybrid"]["chapterRank"], rows["q-sub"]["modes"]["hybrid"]["sectionRank"]), (2, 2))
        self.assertEqual((rows["q-intro"]["modes"]["dense"]["chapterRank"], rows["q-intro"]["modes"]["dense"]["sectionRank"]), (1, 2))
        self.assertEqual((rows["q-deep"]["modes"]["fulltext"]["chapterRank"], rows["q-deep"]["modes"]["fulltext"]["sectionRank"]), (7, 7))
        hybrid = doc["modes"]["hybrid"]
        self.assertAlmostEqual(hybrid["chapter"]["recall"], 2 / 3)
        self.assertAlmostEqual(hybrid["section"]["recall"], 2 / 3)
        self.assertAlmostEqual(hybrid["chapter"]["mrr"], (1 / 2 + 1 + 1 / 7) / 3)
        self.assertAlmostEqual(hybrid["section"]["mrr"], (1 / 2 + 1 / 2 + 1 / 7) / 3)
        self.assertAlmostEqual(hybrid["byStyle"]["keyword"]["section"]["mrr"], 1 / 2)
        self.assertEqual(rows["q-sub"]["pack"]["citesChapter"], True)
        self.assertEqual(rows["q-sub"]["pack"]["citesSection"], True)       # through the passage's headingPath
        self.assertEqual(rows["q-sub"]["pack"]["firstSourceIsChapter"], False)
        self.assertEqual(rows["q-sub"]["pack"]["hybridTopHitInPack"], True)  # x1, hybrid's top hit, is in the pack
        self.assertEqual(rows["q-intro"]["pack"]["citesSection"], False)    # heading "" needs section 1
        self.assertEqual(rows["q-intro"]["pack"]["firstSourceIsChapter"], True)
        self.assertEqual(rows["q-deep"]["pack"]["citesChapter"], False)
        self.assertAlmostEqual(doc["pack"]["citesChapter"], 2 / 3)
        self.assertAlmostEqual(doc["pack"]["citesSection"], 1 / 3)
        self.assertIn("| hybrid | all | 3 | 0.667 | 0.667 |", markdown)
        self.assertIn("chapter not in the top 5: 1: q-deep", markdown)

    def test_whole_index_counts_only_hits_of_the_question_book(self):
        hit = {"chunkId": "x", "chapter": "c", "sectionNumber": 2, "sectionTitle": "T", "headingPath": ["T"]}
        hits = [{**hit, "book": "copies"}, {**hit, "book": "mine"}]
        self.assertEqual(se.first_relevant_rank(hits, "c", 2, 5), 1)
        self.assertEqual(se.first_relevant_rank(hits, "c", 2, 5, "mine"), 2)
        q = {"heading": "T", "sourcePath": "p.md"}
        self.assertEqual(se.corpus_ranks(hits, q, {"c": "p.md"}), (1, 1))
        self.assertEqual(se.corpus_ranks(hits, q, {"c": "p.md"}, "mine"), (2, 2))
        body = se.search_body({"question": "q", "book": "mine"}, "fulltext", 5, whole_index=True)
        self.assertNotIn("filters", body)
        self.assertEqual(se.search_body({"question": "q", "book": "mine"}, "fulltext", 5)["filters"], {"book": "mine"})
        with self.assertRaises(se.SearchError):
            se.first_relevant_rank([hit], "c", 2, 5, "mine")  # a whole-index hit must say its book

    def test_without_mapping_only_api_paths_count(self):
        code, doc, _, stderr = self.run_eval("--modes", "dense", "--no-pack")
        self.assertEqual(code, 0)
        self.assertEqual(doc["chapters"]["fromMap"], 0)
        self.assertIn("q-intro, q-deep", stderr)  # their sourcePath belongs to no known chapter
        self.assertIsNone(doc["pack"])
        self.assertEqual(list(doc["modes"]), ["dense"])

    def test_require_targets(self):
        code, doc, _, _ = self.run_eval("--chapter-map", self.import_response, "--require-targets")
        self.assertEqual(code, 3)
        self.assertFalse(all(t["met"] for t in doc["targets"]))

    def test_sample_file_keeps_its_mode_and_refuses_corpus_options(self):
        sample = self.write("sample.json", {"questions": [
            {"id": "s1", "style": "paraphrase", "book": "demo", "chapter": "guide", "section": 4, "question": "q-deep"}]})
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            self.assertEqual(se.main(["--base-url", self.base, "--questions", sample, "-k", "10"]), 0)
        self.assertIn("| Mode | Questions | Recall@10 | MRR@10 |", stdout.getvalue())
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit) as e:
            se.main(["--base-url", self.base, "--questions", sample, "--book", "demo"])
        self.assertEqual(e.exception.code, 2)


if __name__ == "__main__":
    unittest.main()
