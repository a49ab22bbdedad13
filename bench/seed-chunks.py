#!/usr/bin/env python3
"""Seeds a synthetic book large enough for the search latency benchmark (about 50,000 chunks by default).

Generates N chapters of Markdown from the sample book's own text (src/main/resources/sample-book/docs): every
chapter follows one sample chapter, and its paragraphs are new combinations of that chapter's sentences (with
some from the others), its code blocks, lists and tables, with the identifiers varied per chapter (node, topic,
frame and distribution names), so no two chunks are alike. Each chapter is sized to yield its share of the
target chunk count under the default chunking (about 256 tokens per chunk, 15 % overlap).

The chapters go through the real pipeline: POST /api/v1/books creates the book (a 409 means it exists), then
PUT /api/v1/books/{book}/chapters/{chapter} with Content-Type text/markdown for each; the service chunks and
embeds them asynchronously through its outbox. The script does not wait for that: GET /api/v1/admin/stats
reports outboxDepth, which reaches 0 when the index has settled (see bench/README.md).

The chunk count printed is an estimate computed from the generated text (tokens approximated as words and
punctuation marks times --token-factor, since the embedding model's tokenizer is not at hand here); the
exact count is `select count(*) from chunks` once the outbox is empty. The same arguments always generate
the same text, so a rerun leaves every chapter unchanged.

Python 3 standard library only. Exits 1 on any HTTP or connection error.
"""

import argparse
import concurrent.futures
import json
import math
import os
import random
import re
import sys
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SAMPLE = os.path.join(REPO, "src", "main", "resources", "sample-book")

TOKEN = re.compile(r"\w+|[^\w\s]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`])")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)

# Identifiers varied per chapter: each chapter picks one spelling for each, consistently throughout.
VARIANTS = {
    "talker": ["talker", "rover_talker", "scout", "relay", "announcer"],
    "listener": ["listener", "monitor", "logger_node", "observer"],
    "chatter": ["chatter", "announcements", "status_text", "telemetry"],
    "robot1": ["robot1", "robot2", "alpha", "bravo", "charlie"],
    "laser_link": ["laser_link", "lidar_link", "front_laser", "scanner_link"],
    "camera_driver": ["camera_driver", "stereo_driver", "usb_cam", "depth_driver"],
    "jazzy": ["jazzy", "humble", "kilted"],
    "Jazzy": ["Jazzy", "Humble", "Kilted"],
    "my_robot_bringup": ["my_robot_bringup", "rover_bringup", "arm_bringup", "fleet_bringup"],
    "add_two_ints": ["add_two_ints", "sum_service", "adder_service"],
    "countdown": ["countdown", "timer_goal", "sequence"],
}
VARIANT_PATTERN = re.compile(r"\b(" + "|".join(map(re.escape, VARIANTS)) + r")\b")


class SampleChapter:
    """The reusable material of one sample chapter: title, difficulty, section titles, sentences and blocks."""

    def __init__(self, title, difficulty, headings, sentences, blocks):
        self.title = title
        self.difficulty = difficulty
        self.headings = headings
        self.sentences = sentences
        self.blocks = blocks  # code blocks, lists and tables, kept whole (the chunker never cuts them)


def read_sample(sample_dir):
    with open(os.path.join(sample_dir, "book.json"), encoding="utf-8") as f:
        files = [p for p in json.load(f)["files"] if p.endswith((".md", ".mdx"))]
    chapters = []
    for path in files:
        with open(os.path.join(sample_dir, path), encoding="utf-8") as f:
            text = f.read()
        m = FRONT_MATTER.match(text)
        meta = dict(re.findall(r"^(\w+):\s*\"?(.*?)\"?\s*$", m.group(1), re.M)) if m else {}
        body = text[m.end():] if m else text
        headings, sentences, blocks = [], [], []
        for kind, block in split_blocks(body):
            if kind == "heading":
                headings.append(block)
            elif kind == "paragraph":
                # Whole sentences only: one that leads into a list or code block ("...are:") reads wrong alone.
                sentences.extend(s.strip() for s in SENTENCE_END.split(block)
                                 if len(s.split()) >= 4 and not s.rstrip().endswith(":"))
            else:
                blocks.append(block)
        chapters.append(SampleChapter(meta.get("title", path), meta.get("difficulty", "beginner"), headings, sentences, blocks))
    return chapters


def split_blocks(body):
    """Markdown body -> [(kind, text)] with kind heading (## and ### titles), paragraph, code, list or table."""
    out, lines, i = [], body.split("\n"), 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            out.append(("code", "\n".join(lines[i:j + 1])))
            i = j + 1
        elif line.startswith("#"):
            out.append(("heading", re.sub(r"\s*\{#[^}]*\}\s*$", "", line.lstrip("#").strip())))
            i += 1
        elif not line.strip():
            i += 1
        else:
            j = i
            while j < len(lines) and lines[j].strip() and not lines[j].startswith(("```", "#")):
                j += 1
            block = "\n".join(lines[i:j])
            if block.startswith("|"):
                out.append(("table", block))
            elif re.match(r"\s*(- |\d+\. )", block):
                out.append(("list", block))
            else:
                out.append(("paragraph", " ".join(block.split())))
            i = j
    return out


def estimate_tokens(text, factor):
    return int(len(TOKEN.findall(text)) * factor + 0.5)


def estimate_chunks(tokens, chunk_tokens, overlap_tokens):
    """Chunks of at most chunk_tokens, each after the first repeating overlap_tokens of the one before."""
    if tokens <= chunk_tokens:
        return 1
    return math.ceil((tokens - overlap_tokens) / (chunk_tokens - overlap_tokens))


class Generator:
    def __init__(self, sample, args):
        self.sample = sample
        self.args = args
        self.overlap = round(args.chunk_tokens * args.overlap)
        self.all_sentences = [s for c in sample for s in c.sentences]

    def chapter(self, number, chunk_quota):
        """(markdown, estimated chunks, sections) for synthetic chapter `number` holding about chunk_quota chunks."""
        rng = random.Random(f"{self.args.seed}:{number}")
        source = self.sample[(number - 1) % len(self.sample)]
        names = {k: rng.choice(v) for k, v in VARIANTS.items()}
        vary = lambda text: VARIANT_PATTERN.sub(lambda m: names[m.group(1)], text)

        # The untitled preamble becomes section 1, "Introduction": one chunk's worth; the rest over titled sections.
        titled = max(1, chunk_quota - 1)
        count = max(1, math.ceil(titled / self.args.chunks_per_section))
        quotas = [titled // count + (1 if s < titled % count else 0) for s in range(count)]

        part = (number - 1) // len(self.sample) + 1
        out = ["---", f"title: \"{source.title} (variation {part})\"", f"sidebar_position: {number}",
               f"difficulty: {source.difficulty}",
               f"summary: \"Synthetic chapter {number} for the search benchmark, derived from '{source.title}'.\"", "---", ""]
        intro, _ = self.section_body(rng, source, vary, 1)
        out.append(intro)
        estimated = estimate_chunks(estimate_tokens(intro, self.args.token_factor), self.args.chunk_tokens, self.overlap)
        for s, quota in enumerate(quotas, start=1):
            heading = f"{vary(rng.choice(source.headings))}, part {part}.{s}"
            body, tokens = self.section_body(rng, source, vary, quota)
            out += ["", f"## {heading}", "", body]
            estimated += estimate_chunks(tokens + estimate_tokens(heading, self.args.token_factor),
                                         self.args.chunk_tokens, self.overlap)
        return "\n".join(out) + "\n", estimated, 1 + len(quotas)

    def section_body(self, rng, source, vary, quota):
        """Blocks until the section reaches `quota` estimated chunks; returns (markdown, estimated tokens)."""
        blocks, tokens = [], 0
        while not blocks or estimate_chunks(tokens, self.args.chunk_tokens, self.overlap) < quota:
            r = rng.random()
            if r < 0.12 and source.blocks:
                block = vary(rng.choice(source.blocks))
            else:
                picks = []
                for _ in range(rng.randint(3, 6)):
                    pool = source.sentences if rng.random() < 0.8 else self.all_sentences
                    sentence = rng.choice(pool)
                    if sentence not in picks:
                        picks.append(sentence)
                block = vary(" ".join(picks))
            blocks.append(block)
            tokens += estimate_tokens(block, self.args.token_factor)
        return "\n\n".join(blocks), tokens


def request(method, url, api_key, body, content_type, timeout):
    data = body.encode("utf-8") if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": content_type, "Accept": "application/json", "X-Api-Key": api_key})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (urllib.error.URLError, OSError) as e:
        raise SystemExit(f"seed-chunks: cannot reach {url}: {getattr(e, 'reason', e)}")


def create_book(args):
    body = json.dumps({"slug": args.book, "title": "Search Benchmark (synthetic ROS 2 text)",
                       "description": "Synthetic chapters generated by bench/seed-chunks.py from the sample book.",
                       "language": "en", "published": True})
    status, payload = request("POST", f"{args.base_url}/api/v1/books", args.api_key, body, "application/json", args.timeout)
    if status not in (201, 409):
        raise SystemExit(f"seed-chunks: creating book '{args.book}' answered {status}: {payload[:500]!r}")
    return status == 201


def parse_args(argv):
    p = argparse.ArgumentParser(description="Seed a synthetic book of about --chunks chunks through the chapter API")
    p.add_argument("--base-url", default=os.environ.get("BASE_URL", "http://localhost:8080"),
                   help="service base URL (env BASE_URL, default http://localhost:8080)")
    p.add_argument("--api-key", default=os.environ.get("API_KEY", "dev-admin-key"),
                   help="an author's or admin's key, sent as X-Api-Key (env API_KEY, default dev-admin-key)")
    p.add_argument("--book", default="search-bench", help="book slug to create and fill (default search-bench)")
    p.add_argument("--chapters", type=int, default=250, help="synthetic chapters (default 250)")
    p.add_argument("--chunks", type=int, default=50000, help="target total chunks (default 50000)")
    p.add_argument("--chunks-per-section", type=int, default=10, help="chunks per titled section (default 10)")
    p.add_argument("--chunk-tokens", type=int, default=256, help="the chunker's target size in tokens (default 256)")
    p.add_argument("--overlap", type=float, default=0.15, help="the chunker's overlap as a fraction (default 0.15)")
    p.add_argument("--token-factor", type=float, default=1.15,
                   help="model tokens per word or punctuation mark, for the estimate (default 1.15, WordPiece on English)")
    p.add_argument("--seed", default="1", help="generator seed (default 1); same seed, same text")
    p.add_argument("--parallel", type=int, default=4, help="concurrent PUTs (default 4)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per request (default 120)")
    p.add_argument("--sample-book", default=DEFAULT_SAMPLE, help="sample book folder (with book.json)")
    p.add_argument("--out", help="also write each chapter's Markdown into this folder")
    p.add_argument("--dry-run", action="store_true", help="generate and estimate only; send nothing")
    args = p.parse_args(argv)
    if args.chapters < 1 or args.chunks < args.chapters or args.chunks_per_section < 1 or args.parallel < 1:
        p.error("need chapters >= 1, chunks >= chapters, chunks-per-section >= 1 and parallel >= 1")
    if not 0 <= args.overlap < 0.5 or args.chunk_tokens < 16:
        p.error("need 0 <= overlap < 0.5 and chunk-tokens >= 16")
    args.base_url = args.base_url.rstrip("/")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    generator = Generator(read_sample(args.sample_book), args)
    quotas = [args.chunks // args.chapters + (1 if n < args.chunks % args.chapters else 0) for n in range(args.chapters)]
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    if not args.dry_run:
        created = create_book(args)
        print(f"book '{args.book}' {'created' if created else 'already exists'} at {args.base_url}", file=sys.stderr)

    started = time.monotonic()
    totals = {"chunks": 0, "sections": 0, "bytes": 0, "created": 0, "updated": 0}

    def seed(number):
        markdown, chunks, sections = generator.chapter(number, quotas[number - 1])
        slug = f"synthetic-{number:04d}"
        if args.out:
            with open(os.path.join(args.out, slug + ".md"), "w", encoding="utf-8") as f:
                f.write(markdown)
        status = None
        if not args.dry_run:
            status, payload = request("PUT", f"{args.base_url}/api/v1/books/{args.book}/chapters/{slug}", args.api_key,
                                      markdown, "text/markdown", args.timeout)
            if status not in (200, 201):
                raise SystemExit(f"seed-chunks: PUT chapter {slug} answered {status}: {payload[:500]!r}")
        return chunks, sections, len(markdown.encode("utf-8")), status

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.parallel) as pool:
        try:
            results = pool.map(seed, range(1, args.chapters + 1))
            for done, (chunks, sections, size, status) in enumerate(results, start=1):
                totals["chunks"] += chunks
                totals["sections"] += sections
                totals["bytes"] += size
                totals["created" if status == 201 else "updated"] += status is not None
                if done % 25 == 0 or done == args.chapters:
                    print(f"  {done}/{args.chapters} chapters, ~{totals['chunks']} chunks, "
                          f"{time.monotonic() - started:.0f}s", file=sys.stderr)
        except BaseException:
            # A failed PUT (or Ctrl-C) stops the run: drop the chapters not yet started instead of sending them all.
            pool.shutdown(wait=False, cancel_futures=True)
            raise

    elapsed = time.monotonic() - started
    verb = "generated (dry run, nothing sent)" if args.dry_run else (
        f"sent to book '{args.book}' ({totals['created']} created, {totals['updated']} updated or unchanged)")
    print(f"{args.chapters} chapters {verb} in {elapsed:.1f}s: {totals['sections']} sections, "
          f"{totals['bytes'] / 1e6:.1f} MB of Markdown")
    print(f"estimated chunks: {totals['chunks']} (at {args.chunk_tokens} tokens, {args.overlap:.0%} overlap, "
          f"{args.token_factor} tokens per word; exact: select count(*) from chunks, once outboxDepth is 0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
