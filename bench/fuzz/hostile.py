#!/usr/bin/env python3
"""An attacker's fuzz of a running Lectern, independent of the suite's HostileInputFuzzTest.

It reads /q/openapi?format=json from the service and, for every operation, sends requests with hostile values as
four kinds of caller: the bootstrap admin key, an API key of a user holding every role, a learner's API key, and no
credentials (plus a service key naming odd users in X-On-Behalf-Of). Every answer must be below 500, and every 4xx
must be application/problem+json with the problem shape (a JSON object whose "status" is the HTTP status and which
has a "title"). It prints what broke either rule, and exits 1 if anything did.

How it differs from HostileInputFuzzTest (so that the two do not share blind spots):
  - it speaks HTTP over a raw socket, so it can send what Java's HttpClient refuses to: invalid UTF-8 and overlong
    encodings in bodies and targets, raw bytes and control characters in headers, bad framing (Content-Length and
    chunked), unknown methods, absolute-form and malformed request lines;
  - it mutates a body taken from the operation's documented example at any depth (a random JSON pointer, often
    several at once), not one top-level field at a time; it also breaks the JSON syntax itself (BOM, UTF-16,
    comments, NaN, trailing data, truncation) and Jackson's own limits (1,001 nesting levels, 1,001-digit numbers,
    50,001-character keys, and once a 21 MB string);
  - Markdown is attacked through YAML front matter (alias bombs, tags, deep flow collections) and structure
    (tables, headings, links, HTML, mixed nesting) as well as depth; imports get crafted zips (traversal, NUL and
    non-UTF-8 names, symlinks, bombs, bad CRCs, unsupported methods, encryption flag, data descriptors, truncation);
  - headers: Accept, Content-Type parameters, If-None-Match, Authorization with forged JWTs, X-Api-Key,
    X-On-Behalf-Of, Host, X-Forwarded-*, Content-Encoding with a gzip bomb, Expect;
  - values are drawn by a seeded generator (--seed): each operation and caller gets a fixed number of cases, each
    a random choice among the mutation kinds that apply to it.

What the HTTP/1.1 decoder refuses (a NUL or control character in a header value, a malformed request line, broken
framing) never reaches the application, which therefore cannot shape the answer (see HttpLayerProblems): such cases
are marked "decoder". With --allow-decoder-400, an empty 400/413/414/431 or a connection closed without an answer
is counted as known for those cases rather than as a failure (the count is still reported).

Python 3 standard library only. Usage: bench/README.md ("Hostile-input fuzz").
"""

import argparse
import base64
import gzip
import hashlib
import hmac
import io
import json
import random
import re
import select
import socket
import struct
import sys
import time
import urllib.parse
import uuid
import zlib

# ---------------------------------------------------------------------------------------------------------------------
# HTTP over a raw socket


class Answer:
    def __init__(self, status=None, headers=None, body=b"", error=None, seconds=0.0, closed=False):
        self.status = status
        self.headers = headers or {}
        self.body = body
        self.error = error
        self.seconds = seconds
        self.closed = closed

    def content_type(self):
        return self.headers.get("content-type", "")


class Http:
    def __init__(self, host, port, timeout):
        self.host = host
        self.port = port
        self.timeout = timeout

    def exchange(self, method, target, headers, body=None, chunks=None, raw_head=None, head_only=False):
        """One request on a new connection. body: bytes sent as is (with Content-Length unless the headers frame it);
        chunks: an iterable of bytes sent chunked; raw_head: the whole request head, as bytes, sent as is."""
        started = time.monotonic()
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as e:
            return Answer(error="connect: %s" % e, seconds=time.monotonic() - started)
        try:
            if raw_head is not None:
                head = raw_head
            else:
                lines = [b"%s %s HTTP/1.1" % (as_bytes(method), as_bytes(target))]
                names = {as_bytes(k).lower() for k, _ in headers}
                if b"host" not in names:
                    lines.append(b"Host: %s:%d" % (self.host.encode(), self.port))
                if chunks is not None and b"transfer-encoding" not in names:
                    lines.append(b"Transfer-Encoding: chunked")
                elif body is not None and b"content-length" not in names and b"transfer-encoding" not in names:
                    lines.append(b"Content-Length: %d" % len(body))
                lines.append(b"Connection: close")
                for k, v in headers:
                    lines.append(as_bytes(k) + b": " + as_bytes(v))
                head = b"\r\n".join(lines) + b"\r\n\r\n"
            early = self._send(sock, head, body, chunks)
            answer = self._read(sock, method, head_only or as_bytes(method).upper() == b"HEAD")
            answer.seconds = time.monotonic() - started
            if answer.status is None and early:
                answer.error = (answer.error or "") + " (send: %s)" % early
            return answer
        finally:
            try:
                sock.close()
            except OSError:
                pass

    def _send(self, sock, head, body, chunks):
        """Sends the request, stopping as soon as the server has answered (an early 413 must not become a reset)."""
        pieces = [head]
        if chunks is not None:
            pieces = _chain([head], (b"%x\r\n%s\r\n" % (len(c), c) for c in chunks if c), [b"0\r\n\r\n"])
        elif body:
            pieces = _chain([head], (body[i:i + 65536] for i in range(0, len(body), 65536)))
        deadline = time.monotonic() + self.timeout
        for piece in pieces:
            view = memoryview(piece)
            while view:
                left = deadline - time.monotonic()
                if left <= 0:
                    return "send timed out"
                readable, writable, _ = select.select([sock], [sock], [], left)
                if readable:
                    if self._skip_continue(sock, deadline):
                        continue  # "100 Continue": the server wants the rest
                    return None  # the server answered (or closed) before reading all of it
                if writable:
                    try:
                        sent = sock.send(view[:65536])
                    except OSError as e:
                        return str(e)
                    view = view[sent:]
        return None

    @staticmethod
    def _skip_continue(sock, deadline):
        """Consumes an interim "100 Continue" answer if that is what arrived; False for anything else."""
        try:
            peeked = sock.recv(64, socket.MSG_PEEK)
        except OSError:
            return False
        if not re.match(rb"HTTP/1\.[01] 100", peeked):
            return False
        head = b""
        while not head.endswith(b"\r\n\r\n") and time.monotonic() < deadline:
            byte = sock.recv(1)
            if not byte:
                return False
            head += byte
        return True

    def _read(self, sock, method, head_only, data=b""):
        deadline = time.monotonic() + self.timeout
        while b"\r\n\r\n" not in data:
            chunk = self._recv(sock, deadline)
            if chunk is None:
                return Answer(error="timed out waiting for an answer (%d bytes)" % len(data))
            if not chunk:
                if not data:
                    return Answer(error="connection closed without an answer", closed=True)
                break
            data += chunk
            if len(data) > 1 << 20:
                return Answer(error="answer head over 1 MiB")
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        m = re.match(rb"HTTP/\d\.\d (\d{3})", lines[0])
        if not m:
            return Answer(error="not an HTTP answer: %r" % lines[0][:80])
        status = int(m.group(1))
        if 100 <= status < 200 and status != 101:
            return self._read(sock, method, head_only, rest)  # an interim answer (100 Continue): the final one follows
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
        answer = Answer(status=status, headers=headers)
        if head_only or status in (204, 304, 101):
            answer.closed = headers.get("connection", "").lower() == "close"
            return answer
        if headers.get("content-type", "").startswith("text/event-stream"):
            return answer  # a stream: the head is what is judged
        body = rest
        if "content-length" in headers:
            try:
                want = int(headers["content-length"])
            except ValueError:
                answer.error = "bad Content-Length in answer"
                return answer
            while len(body) < want:
                chunk = self._recv(sock, deadline)
                if not chunk:
                    answer.error = "answer body cut short (%d of %d bytes)" % (len(body), want)
                    break
                body += chunk
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = self._dechunk(sock, body, deadline, answer)
        else:
            while True:
                chunk = self._recv(sock, deadline)
                if not chunk:
                    break
                body += chunk
                if len(body) > 64 << 20:
                    break
        answer.body = body
        answer.closed = headers.get("connection", "").lower() == "close"
        return answer

    def _dechunk(self, sock, buffered, deadline, answer):
        out = b""
        buf = buffered
        while True:
            while b"\r\n" not in buf:
                chunk = self._recv(sock, deadline)
                if not chunk:
                    answer.error = "chunked answer cut short"
                    return out
                buf += chunk
            size_line, _, buf = buf.partition(b"\r\n")
            try:
                size = int(size_line.split(b";")[0], 16)
            except ValueError:
                answer.error = "bad chunk size in answer"
                return out
            if size == 0:
                return out
            while len(buf) < size + 2:
                chunk = self._recv(sock, deadline)
                if not chunk:
                    answer.error = "chunked answer cut short"
                    return out + buf
                buf += chunk
            out += buf[:size]
            buf = buf[size + 2:]

    @staticmethod
    def _recv(sock, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        sock.settimeout(left)
        try:
            return sock.recv(65536)
        except socket.timeout:
            return None
        except OSError:
            return b""


def _chain(*iterables):
    for it in iterables:
        yield from it


def as_bytes(value):
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------------------------------------------------------------
# Hostile values. Chosen independently of HostileInputFuzzTest's lists.

# Strings that survive JSON encoding as escapes (json.dumps writes \u0000, \ud800 ...).
TEXT = [
    "\x00", "nul\x00inside", "\x00" * 3, "\x01\x02\x1f\x7f", "\ud800", "\udfff", "\udc00\ud800", "tail\ud83d",
    "\ufeff", "\ufffe\uffff", "\U0010ffff", "\u2028\u2029", "\u0085", "e\u0301" * 500, "\u202d\u05d0\u202c",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "Z\u0351\u0360\u0322a\u035b\u0347l\u0362go", "%00", "%u0000",
    "\\u0000", "${jndi:ldap://x/a}", "{{7*7}}", "' OR '1'='1' --", "<script>alert(1)</script>", "\r\nX-Injected: 1",
    "../" * 40 + "etc/passwd", "..\\..\\windows", "CON", "~", "*", "?#", "\t", "\u3000", " padded ", "",
    "\U0001f4a9" * 20, "\u00e9" * 256, "x" * 255, "x" * 256,
]
# Long strings, sized apart so they can be drawn less often.
LONG_TEXT = [lambda: "\u00e9" * 150_000, lambda: "\U0001f525" * 60_000, lambda: "w " * 600_000, lambda: "q" * 2_500_000]

# Bytes that are not valid UTF-8 (or not valid JSON inside a string), spliced into a body raw.
RAW_BYTES = [b"\xff", b"\xfe\xff", b"\xc0\x80", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf4\x90\x80\x80", b"\xc3",
             b"\x80\x80", b"\x00", b"\x1b[31m", b"\xe2\x82"]

# Number literals, as JSON source text (some are not JSON at all).
NUMBERS = ["0", "-0", "-0.0", "1.0", "2147483648", "-2147483649", "9223372036854775808", "-9223372036854775809",
           "1e400", "-1e400", "4.9e-325", "1e-400", "123456789012345678901234567890.5", "1" + "0" * 1000,
           "NaN", "Infinity", "-Infinity", "0x1F", "01", "+1", ".5", "1.e5", "1E+2", "3.0000000000000000001"]

DATES = ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01", "0001-01-01", "9999-12-31",
         "10000-01-01", "+10000-01-01", "-0001-01-01", "2024-1-1", "20240101", "2024-W01-1", "2024-001"]
INSTANTS = ["0001-01-01T00:00:00+18:00", "9999-12-31T23:59:59-18:00", "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
            "2016-12-31T23:59:60Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:00.1234567891Z",
            "2024-01-01T00:00:00+25:00", "2024-01-01T00:00:00", "2024-01-01T00:00:00z", "2024-01-01 00:00:00Z",
            "+294276-12-31T23:59:59Z", "-4713-11-24T00:00:00Z", "2038-01-19T03:14:08Z", "2100-02-29T00:00:00Z"]
# Epoch numbers where an instant is expected.
EPOCHS = ["253402300800", "-62135596801", "1e20", "-1", "1.5", "32503680000000"]

UUIDS = ["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
         "6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "6ba7b8109dad11d180b400c04fd430c8",
         "{6ba7b810-9dad-11d1-80b4-00c04fd430c8}", "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
         "6ba7b810-9dad-11d1-80b4-00c04fd430c", "6ba7b810-9dad-11d1-80b4-00c04fd430c8a", "1-1-1-1-1",
         "6ba7b810-9dad-11d1-80b4-00c04fd430g8"]

# Path segments: "enc" are percent-encoded by the fuzzer, "raw" go into the target as written.
PATH_ENC = ["..", ".", "../..", "\x00", "a\x00b", "\ud800", "/", "a/b", "\\", "?", "#", ";", " ", "+", "%",
            "\u00e9", "e\u0301", "\U0001f4a9", "\u202e", "CON", "nul", "~", "x" * 3000, "y" * 5000, ""]
PATH_RAW = ["%00", "%2e%2e", "%2e%2e%2f%2e%2e", "%2f", "%5c", "%ff", "%c0%80", "%c0%ae%c0%ae", "%ed%a0%80", "%",
            "%zz", "%%", "%u0041", ";x=1", "a;b", "..;", "%3b", "%252e%252e", "a//b", ".", "..", "%0d%0aX:%20y",
            "%e2%80%ae", "%f0%9f", "%F4%90%80%80"]
QUERY_RAW = ["%", "%G1", "%00", "%c0%80", "%ed%a0%80", "%ff%fe", "+", "%2B", "a&b", "%26", "=", "==", "%3D",
             "%e2%80%8b", "%0a", "%20%20"]
INTS = ["0", "-1", "101", "100", "1", "2147483648", "-2147483649", "99999999999999999999999", "1e2", "1.0", " 1", "1 ",
        "0x10", "\uff11", "\u0663", "+5", "-0", "NaN", "null", "[]"]
BOOLS = ["TRUE", "True", "1", "0", "yes", "on", "true ", " false", "t", "null", "\u0074rue"]


# The key Lectern signs cursors with when neither LECTERN_CURSOR_SECRET nor a database password is set (it says so in
# its log): an attacker can read it in the source, so cursors signed with it test that every list still checks its keys.
BUILT_IN_CURSOR_SECRET = b"lectern-built-in-cursor-secret (set LECTERN_CURSOR_SECRET)"
CURSOR_KINDS = {"/api/v1/books": ["books"], "/api/v1/admin/users": ["users"], "/chapters": ["chapters"],
                "/api/v1/frameworks": ["frameworks"], "/subjects": ["subjects"], "/outcomes": ["outcomes"],
                "/api/v1/me/conversations": ["conversations"], "/messages": ["messages"], "/due": ["due"],
                "/api/v1/me/tasks": ["tasks-due", "tasks-priority", "tasks-created"],
                "/api/v1/me/generated": ["generated"], "/api/v1/me/xapi/statements": ["xapi-statements"]}
CURSOR_KEYS = ["+294277-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "+999999999-12-31", "9223372036854775808",
               "-1", "", "x" * 1500, "00000000-0000-0000-0000-000000000000", "2024-02-30", "\u00e9\U0001f4a9", "NaN"]


def signed_cursor(kind, keys):
    """A cursor in Lectern's format (c2, kind and keys joined by U+001F, 16 bytes of HMAC) under the built-in key."""
    key = hmac.new(BUILT_IN_CURSOR_SECRET, b"lectern pagination cursor", hashlib.sha256).digest()
    payload = "\x1f".join(["c2", kind] + keys).encode()
    tag = hmac.new(key, payload, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(payload + tag).decode().rstrip("=")


def encode_path(value):
    return urllib.parse.quote(as_bytes(value), safe="")


def encode_query(value):
    return urllib.parse.quote(as_bytes(value), safe="")


# ---------------------------------------------------------------------------------------------------------------------
# JSON: documents with a hole for raw source text, so that invalid literals and raw bytes can be placed anywhere.


class Raw:
    """A JSON value written as given source text (bytes)."""

    def __init__(self, source):
        self.source = as_bytes(source)


class DupObject:
    """An object written with a key twice."""

    def __init__(self, pairs):
        self.pairs = pairs


def dump(value):
    """JSON source of a value that may hold Raw and DupObject, as bytes (UTF-8, escapes for what needs them)."""
    out = io.BytesIO()
    _dump(value, out)
    return out.getvalue()


def _dump(value, out):
    if isinstance(value, Raw):
        out.write(value.source)
    elif isinstance(value, DupObject):
        out.write(b"{")
        for i, (k, v) in enumerate(value.pairs):
            if i:
                out.write(b",")
            out.write(json.dumps(k).encode())
            out.write(b":")
            _dump(v, out)
        out.write(b"}")
    elif isinstance(value, dict):
        _dump(DupObject(list(value.items())), out)
    elif isinstance(value, list):
        out.write(b"[")
        for i, v in enumerate(value):
            if i:
                out.write(b",")
            _dump(v, out)
        out.write(b"]")
    else:
        out.write(json.dumps(value).encode())


def pointers(value, prefix=()):
    """Every location in a document, as a tuple of keys and indexes (the root is ())."""
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found.extend(pointers(v, prefix + (k,)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found.extend(pointers(v, prefix + (i,)))
    return found


def get_at(doc, pointer):
    for p in pointer:
        doc = doc[p]
    return doc


def set_at(doc, pointer, value):
    if not pointer:
        return value
    parent = get_at(doc, pointer[:-1])
    parent[pointer[-1]] = value
    return doc


def copy(doc):
    return json.loads(json.dumps(doc))


# ---------------------------------------------------------------------------------------------------------------------
# Markdown and zips


def yaml_alias_bomb():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append("%s: &%s [%s]" % (cur, cur, ",".join(["*" + prev] * 9)))
    return "---\ntitle: Bomb\n" + "\n".join(lines) + "\n---\n\n# Bomb\n"


MARKDOWN = [
    ("yaml alias bomb", yaml_alias_bomb),
    ("yaml deep flow", lambda: "---\ntitle: " + "[" * 20_000 + "]" * 20_000 + "\n---\n\n# T\n"),
    ("yaml deep block", lambda: "---\n" + "".join("  " * i + "k%d:\n" % i for i in range(3_000)) + "---\n\n# T\n"),
    ("yaml java tag", lambda: "---\ntitle: !!javax.script.ScriptEngineManager [!!java.net.URL [\"http://x/\"]]\n---\n"),
    ("yaml python tag", lambda: "---\ntitle: !!python/object/apply:os.system ['id']\n---\n\n# T\n"),
    ("yaml undefined alias", lambda: "---\ntitle: *nowhere\n---\n\n# T\n"),
    ("yaml duplicate keys", lambda: "---\ntitle: a\ntitle: b\n---\n\n# T\n"),
    ("yaml title map", lambda: "---\ntitle: {a: 1}\nsidebar_position: 1e400\ndifficulty: [x]\n---\n\n# T\n"),
    ("yaml outcomes 20k", lambda: "---\ntitle: T\noutcomes:\n" + "".join("  - O.%d\n" % i for i in range(20_000))
     + "---\n\n# T\n"),
    ("yaml unclosed", lambda: "---\ntitle: T\n\n# No end of front matter\n"),
    ("yaml tabs", lambda: "---\n\ttitle:\tT\n---\n\n# T\n"),
    ("yaml huge title", lambda: "---\ntitle: " + "t" * 1_000_000 + "\n---\n\n# T\n"),
    ("yaml binary", lambda: "---\ntitle: !!binary " + base64.b64encode(b"\x00\xff" * 100).decode() + "\n---\n"),
    ("yaml timestamp", lambda: "---\ntitle: 2001-12-14t21:59:43.10-05:00\nsidebar_position: 0o777\n---\n\n# T\n"),
    ("mixed nesting", lambda: "> - " * 6_000 + "deep\n"),
    ("indented lists", lambda: "".join("  " * i + "- item\n" for i in range(4_000))),
    ("nested links", lambda: "[" * 30_000 + "x" + "](u)" * 30_000),
    ("nested images", lambda: "![" * 20_000 + "x" + "](u)" * 20_000),
    ("strong runs", lambda: "**" * 100_000 + "x"),
    ("html nesting", lambda: "<div>" * 50_000 + "x" + "</div>" * 50_000),
    ("wide table", lambda: "|" + "c|" * 8_000 + "\n|" + "-|" * 8_000 + "\n|" + "v|" * 8_000 + "\n"),
    ("tall table", lambda: "|a|b|\n|-|-|\n" + "|x|y|\n" * 100_000),
    ("30k headings", lambda: "# T\n\n" + "".join("## Heading %d\n\ntext\n\n" % i for i in range(30_000))),
    ("backtick run", lambda: "`" * 200_000 + "x"),
    ("20k reference defs", lambda: "".join("[r%d]: http://x/%d\n" % (i, i) for i in range(20_000)) + "[r1]\n"),
    ("one 4 MB line", lambda: "# T\n\n" + "word " * 800_000),
    ("cr only", lambda: "# T\r\r## A\r\rtext\r" * 1000),
    ("fenced unclosed", lambda: "# T\n\n```\n" + "code\n" * 100_000),
    ("entities", lambda: "&#0; &#xD800; &#x110000; &#99999999999; &amp" * 10_000),
    ("autolinks", lambda: "<http://" + "a" * 100_000 + ">"),
    ("bare setext", lambda: "=\n" * 100_000),
    ("empty", lambda: ""),
    ("front matter only", lambda: "---\ntitle: Only\n---\n"),
]

MARKDOWN_RAW = [
    ("invalid utf-8", lambda: b"# T\n\ntext \xff\xfe \xc0\x80 \xed\xa0\x80\n"),
    ("utf-16", lambda: "# T\n\ntext\n".encode("utf-16")),
    ("bom", lambda: b"\xef\xbb\xbf---\ntitle: T\n---\n\n# T\n"),
    ("nul in front matter", lambda: b"---\ntitle: a\x00b\n---\n\n# T\n"),
    ("over 5 MiB", lambda: b"# T\n\n" + b"z" * (5 * 1024 * 1024 + 1)),
]


class ZipParts:
    """Hand-made zip archives: what a library would refuse to write."""

    @staticmethod
    def build(entries, comment=b""):
        """entries: (name bytes, data bytes, method, flags, external_attr, crc override or None)."""
        out = io.BytesIO()
        central = []
        for name, data, method, flags, attr, crc in entries:
            if method == 8:
                c = zlib.compressobj(9, zlib.DEFLATED, -15)
                stored = c.compress(data) + c.flush()
            else:
                stored = data
            real_crc = zlib.crc32(data) & 0xFFFFFFFF
            the_crc = real_crc if crc is None else crc
            offset = out.tell()
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, 0, 0x21, the_crc, len(stored),
                                  len(data), len(name), 0))
            out.write(name)
            out.write(stored)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, flags, method, 0, 0x21, the_crc,
                                       len(stored), len(data), len(name), 0, 0, 0, 0, attr, offset) + name)
        start = out.tell()
        for c in central:
            out.write(c)
        size = out.tell() - start
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size, start, len(comment)))
        out.write(comment)
        return out.getvalue()

    @staticmethod
    def entry(name, data=b"# Page\n\ntext\n", method=8, flags=0, attr=0o100644 << 16, crc=None):
        return (as_bytes(name), as_bytes(data), method, flags, attr, crc)


def sample_zip(extra=(), prefix="book/"):
    return ZipParts.build([ZipParts.entry(prefix + "sidebars.js", b"module.exports = {};\n"),
                           ZipParts.entry(prefix + "docs/intro.md", b"---\ntitle: Intro\n---\n\n# Intro\n\nHello.\n")]
                          + list(extra))


def bomb_entry(name, size):
    # Deflate of zeros, written once; about 1 KB per MB.
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b"\x00" * (1 << 20)
    parts = [c.compress(block) for _ in range(size >> 20)]
    stored = b"".join(parts) + c.flush()
    crc = 0
    for _ in range(size >> 20):
        crc = zlib.crc32(block, crc)
    return ("raw", as_bytes(name), stored, size, crc & 0xFFFFFFFF)


def zip_with_prestored(entries):
    """Like ZipParts.build, but entries given as ("raw", name, compressed bytes, size, crc) are written as they are."""
    out = io.BytesIO()
    central = []
    for e in entries:
        if e[0] == "raw":
            _, name, stored, size, crc = e
            method, flags, attr = 8, 0, 0o100644 << 16
        else:
            name, data, method, flags, attr, crc_o = e
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            stored = c.compress(data) + c.flush() if method == 8 else data
            size, crc = len(data), zlib.crc32(data) & 0xFFFFFFFF
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, 0, 0x21, crc, len(stored), size,
                              len(name), 0) + name + stored)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, flags, method, 0, 0x21, crc,
                                   len(stored), size, len(name), 0, 0, 0, 0, attr, offset) + name)
    start = out.tell()
    for c in central:
        out.write(c)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def zips():
    e = ZipParts.entry
    valid = sample_zip()
    many = ZipParts.build([e("book/docs/p%d.md" % i, b"# P\n") for i in range(2_100)])
    return [
        ("traversal", lambda: sample_zip([e("book/docs/../../../evil.md")])),
        ("absolute", lambda: sample_zip([e("/etc/evil.md"), e("C:/evil.md")])),
        ("backslash traversal", lambda: sample_zip([e("book\\docs\\..\\..\\evil.md")])),
        ("nul in name", lambda: sample_zip([e(b"book/docs/a\x00.md")])),
        ("non-utf-8 name", lambda: sample_zip([e(b"book/docs/\xff\xfe.md")])),
        ("overlong name", lambda: sample_zip([e(b"book/docs/\xc0\xae\xc0\xae/x.md", flags=0x800)])),
        ("60k name", lambda: sample_zip([e("book/docs/" + "n" * 60_000 + ".md")])),
        ("symlink", lambda: sample_zip([e("book/docs/link.md", b"../../../../etc/passwd", attr=0o120777 << 16)])),
        ("duplicate names", lambda: sample_zip([e("book/docs/intro.md", b"# Again\n")])),
        ("bad crc", lambda: sample_zip([e("book/docs/crc.md", crc=1)])),
        ("unsupported method", lambda: sample_zip([e("book/docs/lzma.md", method=14)])),
        ("encrypted flag", lambda: sample_zip([e("book/docs/enc.md", flags=1)])),
        ("data descriptor stored", lambda: sample_zip([e("book/docs/dd.md", method=0, flags=8)])),
        ("md bomb", lambda: zip_with_prestored([bomb_entry("book/docs/huge.md", 70 << 20)])),
        ("bin bomb", lambda: zip_with_prestored([bomb_entry("book/static/huge.bin", 100 << 20)])),
        ("2100 entries", lambda: many),
        ("nested zip", lambda: sample_zip([e("book/docs/inner.zip", valid)])),
        ("invalid utf-8 page", lambda: sample_zip([e("book/docs/bad.md", b"# B\n\n\xff\xfe\xed\xa0\x80\n")])),
        ("nul in page", lambda: sample_zip([e("book/docs/nul.md", b"# N\n\na\x00b\n")])),
        ("deep page", lambda: sample_zip([e("book/docs/deep.md", b"> " * 40_000 + b"x\n")])),
        ("alias bomb page", lambda: sample_zip([e("book/docs/yaml.md", yaml_alias_bomb())])),
        ("no docs folder", lambda: ZipParts.build([e("book/other/a.md")])),
        ("empty zip", lambda: ZipParts.build([])),
        ("truncated", lambda: valid[: len(valid) // 2]),
        ("zip comment 64k", lambda: ZipParts.build([e("book/docs/a.md")], comment=b"c" * 65_535)[:-2] + b"\xff\xff"),
        ("gzip not zip", lambda: gzip.compress(b"# not a zip\n")),
        ("random bytes", lambda: random.Random(7).randbytes(50_000)),
        ("eocd only lies", lambda: struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 65_535, 65_535, 2 ** 31, 2 ** 31, 0)),
    ]


# ---------------------------------------------------------------------------------------------------------------------
# The fuzz


class Case:
    def __init__(self, op, actor, kind, what, method, target, headers, body=None, chunks=None, raw_head=None,
                 decoder=False):
        self.op = op
        self.actor = actor
        self.kind = kind
        self.what = what
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.chunks = chunks
        self.raw_head = raw_head
        self.decoder = decoder


class Fuzz:
    def __init__(self, args):
        self.args = args
        parsed = urllib.parse.urlparse(args.base_url)
        self.http = Http(parsed.hostname, parsed.port or 80, args.timeout)
        self.rng = random.Random(args.seed)
        self.results = []
        self.started = None
        self.zips = zips()

    # --- set-up ---------------------------------------------------------------------------------------------------

    def call(self, method, path, key=None, body=None, content_type="application/json", headers=()):
        h = list(headers)
        if key:
            h.append(("X-Api-Key", key))
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            h.append(("Content-Type", content_type))
        a = self.http.exchange(method, path, h, body=data)
        if a.status is None:
            raise SystemExit("set-up: %s %s: %s" % (method, path, a.error))
        try:
            return a.status, json.loads(a.body) if a.body else None
        except ValueError:
            return a.status, None

    def must(self, expected, method, path, **kw):
        status, body = self.call(method, path, **kw)
        if status not in expected:
            raise SystemExit("set-up: %s %s answered %s: %s" % (method, path, status, str(body)[:300]))
        return body

    def user(self, roles):
        admin = self.args.admin_key
        u = self.must((201,), "POST", "/api/v1/admin/users", key=admin,
                      body={"displayName": "fuzz " + "/".join(roles), "roles": roles})
        k = self.must((201,), "POST", "/api/v1/admin/users/%s/api-keys" % u["id"], key=admin, body={"name": "fuzz"})
        return {"id": u["id"], "key": k["key"], "roles": roles}

    def setup(self):
        status, doc = self.call("GET", "/q/openapi?format=json")
        if status != 200 or not doc:
            raise SystemExit("set-up: GET /q/openapi?format=json answered %s" % status)
        self.doc = doc
        admin = self.args.admin_key
        self.must((200,), "GET", "/api/v1/admin/users?limit=1", key=admin)
        self.book = "fuzz-%s" % uuid.uuid4().hex[:8]
        self.must((201,), "POST", "/api/v1/books", key=admin,
                  body={"slug": self.book, "title": "Fuzz", "published": True})
        chapter = self.must((201,), "PUT", "/api/v1/books/%s/chapters/intro" % self.book, key=admin,
                            body=b"---\ntitle: Intro\n---\n\n# Intro\n\nText to search.\n\n## More\n\nMore text.\n",
                            content_type="text/markdown")
        self.chapter_id = chapter["id"]
        self.must((201, 200), "PUT", "/api/v1/books/%s/chapters/intro/translations/fr" % self.book, key=admin,
                  body={"title": "Intro", "body": "# Intro\n\nTexte.\n"})
        self.framework = "fz%s" % uuid.uuid4().hex[:6]
        self.must((201,), "POST", "/api/v1/frameworks", key=admin, body={"code": self.framework, "name": "Fuzz"})
        self.must((201,), "POST", "/api/v1/frameworks/%s/subjects" % self.framework, key=admin,
                  body={"code": "sub", "name": "Subject"})
        self.must((201,), "POST", "/api/v1/frameworks/%s/outcomes" % self.framework, key=admin,
                  body={"code": "O.1", "subject": "sub", "description": "An outcome"})
        self.victims = [self.user(["learner"])["id"] for _ in range(3)]
        self.learner = self.user(["learner"])
        self.everyone = self.user(["learner", "author", "admin"])
        self.service = self.user(["service"])
        self.cursors = self.collect_cursors()
        self.actors = {
            "admin-key": {"key": admin, "owned": {}},
            "all-roles": {"key": self.everyone["key"], "owned": self.own(self.everyone)},
            "learner": {"key": self.learner["key"], "owned": self.own(self.learner)},
            "anonymous": {"key": None, "owned": {}},
        }

    def own(self, user):
        """Resources of the user's own, for the {id} of /me paths, by the path's collection."""
        k = user["key"]
        owned = {}
        owned["/api/v1/me/tasks"] = self.must((201,), "POST", "/api/v1/me/tasks", key=k, body={"title": "t"})["id"]
        owned["/api/v1/me/conversations"] = self.must((201,), "POST", "/api/v1/me/conversations", key=k,
                                                      body={"title": "c", "book": self.book})["id"]
        owned["/api/v1/me/review-items"] = self.must((201,), "POST", "/api/v1/me/review-items", key=k,
                                                     body={"front": "f", "back": "b"})["id"]
        owned["/api/v1/me/sessions"] = self.must((201,), "POST", "/api/v1/me/sessions", key=k, body={})["id"]
        owned["/api/v1/me/api-keys"] = self.must((201,), "POST", "/api/v1/me/api-keys", key=k,
                                                 body={"name": "spare"})["id"]
        gen = {"topic": "t", "contentType": "flashcards", "audienceLevel": "university",
               "body": {"cards": [{"front": "f", "back": "b"}]}, "chapterIds": [self.chapter_id]}
        owned["/api/v1/me/generated"] = self.must((201,), "POST", "/api/v1/me/generated", key=k, body=gen)["id"]
        status, fit = self.call("POST", "/api/v1/me/review-settings/fit", key=k)
        if fit and "id" in fit:
            owned["/api/v1/me/review-settings/fit"] = fit["id"]
        self.must((200, 201, 204), "PUT", "/api/v1/me/enrolments/books/%s" % self.book, key=k)
        return owned

    def collect_cursors(self):
        """Real cursors from several lists, to be replayed on the wrong list or altered."""
        found = []
        for path in ("/api/v1/books?limit=1", "/api/v1/admin/users?limit=1",
                     "/api/v1/books/ros2-fundamentals/chapters?limit=1", "/api/v1/frameworks/%s/outcomes?limit=1"
                     % "ros2-skills"):
            status, body = self.call("GET", path, key=self.args.admin_key)
            if status == 200 and body and body.get("next"):
                found.append(body["next"])
        return found

    # --- generation -----------------------------------------------------------------------------------------------

    def operations(self):
        ops = []
        for path, item in self.doc.get("paths", {}).items():
            for method, spec in item.items():
                if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                    ops.append((method.upper(), path, spec))
        # Deletes last, and the erasure of the caller after everything.
        ops.sort(key=lambda o: (o[1] == "/api/v1/me" and o[0] == "DELETE", o[0] == "DELETE", o[1], o[0]))
        return ops

    def path_values(self, path, actor):
        values = {"book": self.book, "chapter": "intro", "chapterId": self.chapter_id, "lang": "fr",
                  "code": self.framework, "framework": self.framework, "subject": "sub"}
        if "{id}" in path:
            collection = path.split("/{id}")[0]
            owned = self.actors[actor]["owned"]
            if collection in owned:
                values["id"] = owned[collection]
            elif collection == "/api/v1/admin/users":
                values["id"] = self.victims[0]
            else:
                values["id"] = str(uuid.uuid4())
        return values

    def fill(self, path, values, override=None, raw=False):
        def repl(m):
            name = m.group(1)
            if override and name == override[0]:
                return override[1] if raw else encode_path(override[1])
            return encode_path(values.get(name, str(uuid.uuid4())))
        return re.sub(r"\{([^}]+)}", repl, path)

    def example_body(self, spec, media):
        content = spec.get("requestBody", {}).get("content", {}).get(media, {})
        if "example" in content:
            return copy(content["example"])
        for ex in content.get("examples", {}).values():
            if "value" in ex:
                return copy(ex["value"])
        return {}

    def baseline(self, method, path, spec, media):
        body = self.example_body(spec, media)
        if isinstance(body, dict):
            # Point the example at this run's fixtures and make unique what must be.
            for k in list(body):
                if k in ("chapterId",):
                    body[k] = self.chapter_id
                if k == "chapterIds":
                    body[k] = [self.chapter_id]
                if k == "book":
                    body[k] = self.book
                if k in ("slug", "code") and method == "POST":
                    body[k] = "fz-%s" % uuid.uuid4().hex[:8]
                if k == "outcome":
                    body.pop(k)
                if k == "eventId":
                    body[k] = str(uuid.uuid4())
                if k == "filters" and isinstance(body[k], dict):
                    body[k]["book"] = "ros2-fundamentals"
        return body

    def hostile_json_value(self):
        r = self.rng.random()
        if r < 0.30:
            return self.rng.choice(TEXT)
        if r < 0.45:
            return Raw(self.rng.choice(NUMBERS))
        if r < 0.55:
            return self.rng.choice(DATES + INSTANTS)
        if r < 0.60:
            return Raw(self.rng.choice(EPOCHS))
        if r < 0.67:
            return self.rng.choice(UUIDS)
        if r < 0.75:
            return self.rng.choice([None, True, False, [], {}, [None], {"": ""}, [[[]]], [1, "a", None, {}],
                                    {"\x00": 1}, {"\ud800": "x"}])
        if r < 0.80:
            return self.rng.choice(LONG_TEXT)()
        if r < 0.90:
            return Raw(b'"' + self.rng.choice(RAW_BYTES) + b'"')
        return Raw(b'"ok' + self.rng.choice(RAW_BYTES) + b'ok"')

    def mutate_json(self, base):
        """One hostile body derived from the example: (description, bytes, headers to add)."""
        r = self.rng.random()
        doc = copy(base)
        spots = pointers(doc)
        if r < 0.38:
            n = 1 if self.rng.random() < 0.6 else self.rng.randint(2, 4)
            what = []
            for _ in range(n):
                spot = self.rng.choice(spots)
                value = self.hostile_json_value()
                if spot and isinstance(get_at(doc, spot[:-1]), (dict, list)):
                    doc = set_at(doc, spot, value)
                elif isinstance(doc, dict):
                    spot = (self.rng.choice(list(doc) or ["unknown"]),)
                    doc[spot[0]] = value
                what.append("/".join(map(str, spot)) or "(root)")
                spots = pointers(doc)
            return "value at " + ", ".join(what), dump(doc)
        if r < 0.44:
            victims = [s for s in spots if s and isinstance(get_at(doc, s[:-1]), dict)]
            if victims:
                spot = self.rng.choice(victims)
                del get_at(doc, spot[:-1])[spot[-1]]
                return "without " + "/".join(map(str, spot)), dump(doc)
            return "empty object", b"{}"
        if r < 0.50:
            objects = [s for s in spots if isinstance(get_at(doc, s), dict) and get_at(doc, s)]
            if objects:
                spot = self.rng.choice(objects)
                obj = get_at(doc, spot)
                key = self.rng.choice(list(obj))
                pairs = list(obj.items()) + [(key, self.hostile_json_value())]
                doc = set_at(doc, spot, DupObject(pairs))
                return "duplicate key %s" % key, dump(doc)
            return "duplicate root key", b'{"a":1,"a":2}'
        if r < 0.57:
            depth = self.rng.choice([999, 1_001, 1_500, 10_000, 200_000])
            opener = self.rng.choice(["[", '{"k":', '[{"k":'])
            closer = {"[": "]", '{"k":': "}", '[{"k":': "}]"}[opener]
            nested = Raw(opener * depth + "1" + closer * depth)
            spot = self.rng.choice(spots)
            return "nested %d deep at %s" % (depth, "/".join(map(str, spot))), dump(set_at(doc, spot, nested))
        if r < 0.63:
            kind = self.rng.choice(["ints", "strings", "keys", "nulls"])
            if kind == "ints":
                wide = list(range(60_000))
            elif kind == "strings":
                wide = [""] * 30_000
            elif kind == "keys":
                wide = {"k%d" % i: i for i in range(30_000)}
            else:
                wide = [None] * 40_000
            spot = self.rng.choice(spots)
            return "wide %s at %s" % (kind, "/".join(map(str, spot))), dump(set_at(doc, spot, wide))
        if r < 0.68:
            key = self.rng.choice(["n" * 50_001, "\x00", "\ud800", "", " ", "__proto__", "constructor", "@class",
                                   "$type", "k" * 1_000])
            if isinstance(doc, dict):
                doc[key] = "v"
            return "odd key (%d chars)" % len(key), dump(doc)
        if r < 0.74:
            raw = self.rng.choice(RAW_BYTES)
            text = dump(doc)
            quotes = [m.end() for m in re.finditer(rb'":"', text)]
            at = self.rng.choice(quotes) if quotes else 1
            return "raw bytes %r in a string" % raw, text[:at] + raw + text[at:]
        if r < 0.86:
            text = dump(doc)
            choice = self.rng.randrange(14)
            return [
                ("bom", b"\xef\xbb\xbf" + text),
                ("utf-16le", text.decode("utf-8", "surrogatepass").encode("utf-16-le", "surrogatepass")),
                ("utf-32", text.decode("utf-8", "surrogatepass").encode("utf-32", "surrogatepass")),
                ("comment", b"/* c */" + text),
                ("trailing comma", text[:-1] + b",}" if text.endswith(b"}") else text + b","),
                ("single quotes", text.replace(b'"', b"'")),
                ("two documents", text + text),
                ("trailing garbage", text + b" x"),
                ("truncated", text[: max(1, len(text) // 2)]),
                ("whitespace only", b" \t\r\n" * 10),
                ("nul body", b"\x00"),
                ("1 MB of spaces first", b" " * 1_000_000 + text),
                ("unquoted keys", re.sub(rb'"([A-Za-z]+)":', rb"\1:", text)),
                ("control char", text[:-1] + b',"c":"a\x01b"}' if text.endswith(b"}") else text),
            ][choice]
        if r < 0.92:
            root = self.rng.choice(["array", "string", "number", "true", "null", "huge number"])
            return "root " + root, {"array": b"[" + dump(doc) + b"]", "string": b'"x"', "number": b"42",
                                    "true": b"true", "null": b"null", "huge number": b"9" * 1_001}[root]
        spot = self.rng.choice(spots)
        value = Raw(self.rng.choice(["1" * 1_001, "0." + "1" * 5_000, "1e" + "9" * 20, "-" + "9" * 999]))
        return "long number at %s" % "/".join(map(str, spot)), dump(set_at(doc, spot, value))

    def header_cases(self, media, spec):
        """(description, headers, decoder?) variations of the request's headers."""
        cases = [
            ("Accept slash", [("Accept", "/")], False),
            ("Accept xml", [("Accept", "application/xml")], False),
            ("Accept q=0", [("Accept", "*/*;q=0")], False),
            ("Accept bad q", [("Accept", "application/json;q=abc")], False),
            ("Accept csv", [("Accept", "text/csv")], False),
            ("Accept event-stream", [("Accept", "text/event-stream")], False),
            ("Accept 300 types", [("Accept", ",".join("a%d/b" % i for i in range(300)))], False),
            ("If-None-Match star", [("If-None-Match", "*")], False),
            ("If-None-Match unterminated", [("If-None-Match", '"abc')], False),
            ("If-None-Match long", [("If-None-Match", '"' + "e" * 3_000 + '"')], False),
            ("If-None-Match list", [("If-None-Match", 'W/"1", "2", ,, W/')], False),
            ("Authorization none-alg JWT",
             [("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")], False),
            ("Authorization garbage JWT", [("Authorization", "Bearer a.b.c")], False),
            ("Authorization huge", [("Authorization", "Bearer " + "A" * 8_000)], False),
            ("Authorization basic", [("Authorization", "Basic YWRtaW46aw==")], False),
            ("Authorization empty bearer", [("Authorization", "Bearer ")], False),
            ("X-Forwarded", [("X-Forwarded-Host", "%n%s%n%s"), ("X-Forwarded-Proto", "gopher"),
                             ("X-Forwarded-For", "[::1"), ("Forwarded", 'for="[::1";proto=javascript')], False),
            ("Host format string", [("Host", "ZAP%n%s%n%s%n%s")], False),
            ("Host bad port", [("Host", "localhost:99999")], False),
            ("Host bracket", [("Host", "[::1")], False),
            ("Origin null", [("Origin", "null")], False),
            ("Expect 100", [("Expect", "100-continue")], False),
            ("Expect odd", [("Expect", "200-ok")], False),
            ("Range", [("Range", "bytes=0-1,-5,9999999999999999999-")], False),
            ("X-HTTP-Method-Override", [("X-HTTP-Method-Override", "DELETE")], False),
            ("Accept-Language huge", [("Accept-Language", "x-" * 3_000)], False),
            ("header 20 KB", [("X-Pad", "p" * 20_000)], False),
            ("header 80 KB", [("X-Pad", "p" * 80_000)], True),
            ("NUL in X-Api-Key", [("X-Api-Key", b"lk_\x00x")], True),
            ("control char in Accept", [("Accept", b"application/json\x01")], True),
            ("latin-1 X-Api-Key", [("X-Api-Key", b"lk_\xe9\xff")], False),
            ("X-Api-Key prefix only", [("X-Api-Key", "lk_")], False),
            ("X-Api-Key 5k", [("X-Api-Key", "lk_" + "a" * 5_000)], False),
            ("X-Api-Key dotted", [("X-Api-Key", "lk_a.b.c")], False),
            ("X-Api-Key empty", [("X-Api-Key", "")], False),
            ("two X-Api-Keys", [("X-Api-Key", "lk_x"), ("X-Api-Key", self.args.admin_key)], False),
        ]
        if media:
            cases += [
                ("Content-Type with charset utf-16", [("Content-Type", media + "; charset=utf-16")], False),
                ("Content-Type bogus charset", [("Content-Type", media + "; charset=ebcdic-x")], False),
                ("Content-Type unterminated param", [("Content-Type", media + '; charset="')], False),
                ("Content-Type two types", [("Content-Type", media + ", text/plain")], False),
                ("Content-Type empty", [("Content-Type", "")], False),
                ("Content-Type ;;;", [("Content-Type", ";;;")], False),
                ("Content-Type multipart", [("Content-Type", "multipart/form-data; boundary=x")], False),
                ("Content-Type form", [("Content-Type", "application/x-www-form-urlencoded")], False),
                ("Content-Type merge-patch", [("Content-Type", "application/merge-patch+json")], False),
                ("Content-Type xml", [("Content-Type", "application/xml")], False),
                ("Content-Encoding gzip bomb", [("Content-Type", media), ("Content-Encoding", "gzip")], False),
                ("Content-Encoding unknown", [("Content-Type", media), ("Content-Encoding", "br, zz")], False),
            ]
        if "Idempotency-Key" in json.dumps(spec):
            cases += [
                ("Idempotency-Key empty", [("Idempotency-Key", "")], False),
                ("Idempotency-Key tab", [("Idempotency-Key", "\t")], False),
                ("Idempotency-Key 255", [("Idempotency-Key", "k" * 255)], False),
                ("Idempotency-Key 256", [("Idempotency-Key", "k" * 256)], False),
                ("Idempotency-Key latin-1", [("Idempotency-Key", b"\xe9t\xe9")], False),
                ("Idempotency-Key utf-8", [("Idempotency-Key", "\u00e9\U0001f4a9")], False),
                ("Idempotency-Key control", [("Idempotency-Key", b"a\x01b")], True),
                ("two Idempotency-Keys", [("Idempotency-Key", "a"), ("Idempotency-Key", "b")], False),
            ]
        return cases

    def cases_for(self, method, path, spec, actor, count):
        """count random cases for one operation and caller."""
        key = self.actors[actor]["key"]
        auth = [("X-Api-Key", key)] if key else []
        values = self.path_values(path, actor)
        media = next(iter(spec.get("requestBody", {}).get("content", {})), None)
        base = self.baseline(method, path, spec, media) if media else None
        query_params = [p for p in spec.get("parameters", []) if p.get("in") == "query"]
        path_params = re.findall(r"\{([^}]+)}", path)
        op = "%s %s" % (method, path)

        def valid_body():
            if media is None:
                return None, []
            if media == "text/markdown":
                return b"---\ntitle: Fuzz\n---\n\n# Fuzz\n\nA page.\n", [("Content-Type", media)]
            if "zip" in media or media == "application/octet-stream":
                return sample_zip(), [("Content-Type", media)]
            return dump(base), [("Content-Type", media)]

        kinds = ["path", "query", "header", "method", "body", "body", "body", "cursor", "framing"]
        if not path_params:
            kinds.remove("path")
        if not query_params:
            kinds.remove("query")
        if not any(p.get("name") == "cursor" for p in query_params):
            kinds.remove("cursor")
        if media is None:
            kinds = [k for k in kinds if k != "body"] + ["bodiless"]
        for _ in range(count):
            kind = self.rng.choice(kinds)
            target = self.fill(path, values)
            body, headers = valid_body()
            headers = auth + headers
            if kind == "path":
                name = self.rng.choice(path_params)
                if self.rng.random() < 0.5:
                    v = self.rng.choice(PATH_ENC)
                    target = self.fill(path, values, (name, v))
                    what = "path %s=%r" % (name, v[:40])
                else:
                    v = self.rng.choice(PATH_RAW)
                    target = self.fill(path, values, (name, v), raw=True)
                    what = "path %s raw %s" % (name, v)
                yield Case(op, actor, kind, what, method, target, headers, body)
            elif kind == "query":
                p = self.rng.choice(query_params)
                name = p["name"]
                schema = p.get("schema", {})
                ref = schema.get("$ref", "")
                pool = TEXT[:30]
                if schema.get("type") == "integer":
                    pool = INTS
                elif schema.get("type") == "boolean":
                    pool = BOOLS
                elif "LocalDate" in ref or "Instant" in ref or schema.get("format") in ("date", "date-time"):
                    pool = DATES + INSTANTS
                r = self.rng.random()
                if r < 0.55:
                    v = self.rng.choice(pool)
                    q = "%s=%s" % (name, encode_query(v))
                    what = "query %s=%r" % (name, v[:40])
                elif r < 0.75:
                    v = self.rng.choice(QUERY_RAW)
                    q = "%s=%s" % (name, v)
                    what = "query %s raw %s" % (name, v)
                elif r < 0.85:
                    q = "%s=1&%s=%s" % (name, name, encode_query(self.rng.choice(pool)))
                    what = "query %s twice" % name
                elif r < 0.92:
                    q = "%s[]=1&%s" % (name, name)
                    what = "query %s[] and bare %s" % (name, name)
                else:
                    q = "&".join("u%d=%s" % (i, "v") for i in range(400)) + "&%s=" % name
                    what = "400 unknown parameters"
                yield Case(op, actor, kind, what, method, target + "?" + q, headers, body)
            elif kind == "cursor":
                choices = list(self.cursors)
                if choices:
                    c = self.rng.choice(choices)
                    choices += [c[:-2], c + "AA", c[::-1], c.replace("-", "+").replace("_", "/") + "==",
                                c.upper()]
                choices += [base64.urlsafe_b64encode(self.rng.randbytes(self.rng.randint(1, 90))).decode(),
                            base64.urlsafe_b64encode(b"c1\x1fbooks\x1f" + self.rng.randbytes(40)).decode(),
                            "A" * 3_000, "null", "==", "%00", "\u00e9"]
                # The list's own kind, with one or two hostile keys and a plausible id after them.
                lists = [k for suffix, ks in CURSOR_KINDS.items() if path.endswith(suffix) for k in ks]
                signed_kind = self.rng.choice(lists or [k for ks in CURSOR_KINDS.values() for k in ks])
                keys = [self.rng.choice(CURSOR_KEYS) for _ in range(self.rng.randint(1, 2))] + [str(uuid.uuid4())]
                forged = [signed_cursor(signed_kind, keys)]
                signed = self.rng.random() < 0.5  # half the time, one signed with the built-in key
                c = self.rng.choice(forged if signed else choices)
                what = "cursor %s %r" % ("signed " + signed_kind if signed else "", c[:30])
                yield Case(op, actor, kind, what, method, target + "?cursor=" + encode_query(c),
                           headers, body)
            elif kind == "header":
                what, extra, decoder = self.rng.choice(self.header_cases(media, spec))
                names = {k.lower() for k, _ in extra}
                kept = [(k, v) for k, v in headers if k.lower() not in names]
                b = body
                if what == "Content-Encoding gzip bomb":
                    b = self.gzip_bomb()
                yield Case(op, actor, kind, what, method, target, kept + extra, b, decoder=decoder)
            elif kind == "method":
                declared = {m.upper() for m in self.doc["paths"][path]}
                m = self.rng.choice([x for x in ["GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
                                                 "PROPFIND", "FOO", "get", "CONNECT", "QUERY"]
                                     if x not in declared])
                yield Case(op, actor, kind, "method %s" % m, m, target, headers, body)
            elif kind == "framing":
                r = self.rng.random()
                if r < 0.2:
                    yield Case(op, actor, kind, "Content-Length 100 GB, nothing sent", method, target,
                               headers + [("Content-Length", "107374182400")], b"")
                elif r < 0.4:
                    yield Case(op, actor, kind, "chunked", method, target, headers, None,
                               chunks=[body[i:i + 7] for i in range(0, len(body or b""), 7)] or [b""])
                elif r < 0.55:
                    yield Case(op, actor, kind, "empty body, Content-Length 0", method, target,
                               [(k, v) for k, v in headers], b"")
                elif r < 0.7:
                    yield Case(op, actor, kind, "body on a bodiless method" if not media else "no body at all",
                               method, target, headers + ([] if media else [("Content-Type", "application/json")]),
                               None if media else b'{"a":1}')
                elif r < 0.8:
                    yield Case(op, actor, kind, "Content-Length: abc", method, target,
                               headers + [("Content-Length", "abc")], None, decoder=True)
                elif r < 0.9:
                    yield Case(op, actor, kind, "Content-Length and chunked", method, target,
                               headers + [("Content-Length", "3"), ("Transfer-Encoding", "chunked")],
                               b"0\r\n\r\n", decoder=True)
                else:
                    yield Case(op, actor, kind, "bad chunk size", method, target,
                               headers + [("Transfer-Encoding", "chunked")], b"zz\r\nabc\r\n0\r\n\r\n", decoder=True)
            elif kind == "bodiless":
                yield Case(op, actor, kind, "plain", method, target, headers, None)
            else:  # body
                if media == "text/markdown":
                    if self.rng.random() < 0.8:
                        name, make = self.rng.choice(MARKDOWN)
                        b = make().encode("utf-8", "surrogatepass")
                    else:
                        name, make = self.rng.choice(MARKDOWN_RAW)
                        b = make()
                    yield Case(op, actor, kind, "markdown: " + name, method, target, headers, b)
                elif "zip" in media or media == "application/octet-stream":
                    name, make = self.rng.choice(self.zips)
                    yield Case(op, actor, kind, "zip: " + name, method, target, headers, make())
                else:
                    what, b = self.mutate_json(base)
                    yield Case(op, actor, kind, what, method, target, headers, b)

    _bomb = None

    def gzip_bomb(self):
        if Fuzz._bomb is None:
            Fuzz._bomb = gzip.compress(b" " * (200 << 20), compresslevel=9)
        return Fuzz._bomb

    def global_cases(self):
        """Requests no operation owns: unknown routes, bad request lines, a chunked body over the limit."""
        k = self.args.admin_key
        host = b"Host: %s:%d\r\n" % (self.http.host.encode(), self.http.port)
        raw = [
            ("request line without version", b"GET /api/v1/books\r\n" + host + b"\r\n"),
            ("request line with extra", b"GET /api/v1/books HTTP/1.1 x\r\n" + host + b"\r\n"),
            ("HTTP/2.0 over h1", b"GET /api/v1/books HTTP/2.0\r\n" + host + b"\r\n"),
            ("HTTP/1.0 no host", b"GET /api/v1/me HTTP/1.0\r\n\r\n"),
            ("HTTP/9.9", b"GET /api/v1/books HTTP/9.9\r\n" + host + b"\r\n"),
            ("absolute form", b"GET http://evil.example/api/v1/books HTTP/1.1\r\n" + host + b"\r\n"),
            ("asterisk form", b"OPTIONS * HTTP/1.1\r\n" + host + b"\r\n"),
            ("no leading slash", b"GET api/v1/books HTTP/1.1\r\n" + host + b"\r\n"),
            ("LF only", b"GET /api/v1/books HTTP/1.1\n" + host.replace(b"\r\n", b"\n") + b"\n"),
            ("header without colon", b"GET /api/v1/books HTTP/1.1\r\n" + host + b"NoColon\r\n\r\n"),
            ("space before colon", b"GET /api/v1/books HTTP/1.1\r\n" + host + b"X-Api-Key : k\r\n\r\n"),
            ("obs-fold", b"GET /api/v1/me HTTP/1.1\r\n" + host + b"X-Api-Key: lk_a\r\n b\r\n\r\n"),
            ("two Content-Lengths", b"POST /api/v1/search HTTP/1.1\r\n" + host
             + b"Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x"),
            ("negative Content-Length", b"POST /api/v1/search HTTP/1.1\r\n" + host
             + b"Content-Type: application/json\r\nContent-Length: -1\r\n\r\n"),
            ("raw space in target", b"GET /api/v1/books/a b HTTP/1.1\r\n" + host + b"\r\n"),
            ("raw UTF-8 in target", b"GET /api/v1/books/\xc3\xa9 HTTP/1.1\r\n" + host + b"\r\n"),
            ("raw invalid UTF-8 in target", b"GET /api/v1/books/\xff\xfe HTTP/1.1\r\n" + host + b"\r\n"),
            ("NUL in target", b"GET /api/v1/books/a\x00b HTTP/1.1\r\n" + host + b"\r\n"),
            ("request line 70 KB", b"GET /api/v1/books?" + b"q" * 70_000 + b" HTTP/1.1\r\n" + host + b"\r\n"),
            ("HTTP/0.9", b"GET /\r\n\r\n"),
        ]
        for what, head in raw:
            yield Case("(protocol)", "anonymous", "protocol", what, "GET", "", [], None, raw_head=head, decoder=True)
        for target in ("/api/v1/nope", "/api/v2/books", "/api", "/", "/q/nope", "/q/openapi?format=xml",
                       "/api/v1/books/" + "%2F" * 10, "/api/v1//books", "/api/v1/books/", "/api/v1/books/../me",
                       "/api/v1/./books", "/favicon.ico", "/api/v1/books?limit=1#frag", "/q/health/nope",
                       "/q/metrics?x=%00", "/mcp", "/api/v1/me/" + "x/" * 500):
            for actor in ("anonymous", "admin-key"):
                key = self.actors[actor]["key"]
                yield Case("(unknown route)", actor, "route", target, "GET", target,
                           [("X-Api-Key", key)] if key else [])
        for target in ("/api/v1/nope", "/nope", "/q/nope"):
            for accept in ("/", "*/*/", "blah", "text/html;q=", ",,"):
                yield Case("(unknown route)", "anonymous", "route", "%s with Accept %s" % (target, accept), "GET",
                           target, [("Accept", accept)])
        yield Case("(unknown route)", "admin-key", "route", "POST to an unknown route with a body", "POST",
                   "/api/v1/nope", [("X-Api-Key", k), ("Content-Type", "application/json")], b"{}")
        # The service acting for odd users.
        for who in ["", " ", "a" * 256, "../admin", "%00", str(uuid.uuid4()), self.everyone["id"], "sso|x",
                    b"\xe9", self.learner["id"].upper(), "{%s}" % self.learner["id"], self.service["id"]]:
            for method, target, body in (("GET", "/api/v1/me", None), ("GET", "/api/v1/admin/users", None),
                                         ("POST", "/api/v1/me/api-keys", b'{"name":"x"}'),
                                         ("POST", "/api/v1/books", b'{"slug":"svc-x","title":"T"}')):
                headers = [("X-Api-Key", self.service["key"]), ("X-On-Behalf-Of", who)]
                if body:
                    headers.append(("Content-Type", "application/json"))
                yield Case("%s %s" % (method, target), "service", "on-behalf-of", "X-On-Behalf-Of %r" % (who[:20],),
                           method, target, headers, body)
        if self.args.heavy:
            # Past Jackson's 20 MB string limit, within the 64 MiB body limit.
            for target, actor, body in (("/api/v1/search", "anonymous", {"query": None}),
                                        ("/api/v1/me/tasks", "learner", {"title": None}),
                                        ("/api/v1/books", "admin-key", {"slug": "heavy", "title": None})):
                key = self.actors[actor]["key"]
                field = [k for k, v in body.items() if v is None][0]
                body[field] = "s" * 21_000_000
                yield Case("POST " + target, actor, "body", "21 MB string in " + field, "POST", target,
                           ([("X-Api-Key", key)] if key else []) + [("Content-Type", "application/json")], dump(body))
            yield Case("POST /api/v1/search", "anonymous", "framing", "chunked body of 65 MiB", "POST",
                       "/api/v1/search", [("Content-Type", "application/json")], None,
                       chunks=(b" " * (1 << 20) for _ in range(65)))

    # --- run --------------------------------------------------------------------------------------------------------

    def run(self):
        self.setup()
        self.started = time.monotonic()
        per_actor = {"all-roles": self.args.cases, "learner": max(1, self.args.cases * 2 // 3),
                     "admin-key": max(1, self.args.cases // 2), "anonymous": max(1, self.args.cases // 3)}
        plan = []
        for method, path, spec in self.operations():
            for actor, count in per_actor.items():
                if method == "DELETE" and path == "/api/v1/me" and actor in ("all-roles", "learner"):
                    continue  # done last, by sacrificial users (below)
                plan.append((method, path, spec, actor, count))
        truncated = False
        for method, path, spec, actor, count in plan:
            for case in self.cases_for(method, path, spec, actor, count):
                if not self.send(case):
                    truncated = True
                    break
            if truncated:
                break
        if not truncated:
            for case in self.global_cases():
                if not self.send(case):
                    truncated = True
                    break
        if not truncated:
            spec = self.doc["paths"]["/api/v1/me"]["delete"]
            for roles, actor in ((["learner"], "learner"), (["learner", "author", "admin"], "all-roles")):
                sacrificial = self.user(roles)
                self.actors[actor]["key"] = sacrificial["key"]
                self.actors[actor]["owned"] = {}
                for case in self.cases_for("DELETE", "/api/v1/me", spec, actor, per_actor[actor]):
                    self.send(case)
        status, _ = self.call("GET", "/q/health/ready")
        return self.report(truncated, status)

    def send(self, case):
        if self.args.time_limit and time.monotonic() - self.started > self.args.time_limit:
            return False
        if self.args.max_requests and len(self.results) >= self.args.max_requests:
            return False
        a = self.http.exchange(case.method, case.target, case.headers, body=case.body, chunks=case.chunks,
                               raw_head=case.raw_head)
        self.results.append((case, a, judge(case, a, self.args.allow_decoder_400)))
        if self.args.verbose:
            print("%s %-7s %-10s %s %s -> %s %.2fs" % (len(self.results), case.method, case.actor, case.op,
                                                        case.what, a.status or a.error, a.seconds), file=sys.stderr)
        return True

    def report(self, truncated, health):
        total = len(self.results)
        by_verdict = {}
        for case, a, verdict in self.results:
            by_verdict.setdefault(verdict, []).append((case, a))
        statuses = {}
        for case, a, _ in self.results:
            statuses[a.status or "none"] = statuses.get(a.status or "none", 0) + 1
        actors = {}
        for case, _, _ in self.results:
            actors[case.actor] = actors.get(case.actor, 0) + 1
        elapsed = time.monotonic() - self.started
        five = by_verdict.get("5xx", [])
        nonproblem = by_verdict.get("non-problem 4xx", [])
        shape = by_verdict.get("problem shape", [])
        none = by_verdict.get("no answer", [])
        known = by_verdict.get("known decoder 4xx", [])
        failures = five + nonproblem + shape + none
        print("# Hostile-input fuzz of %s (seed %d)\n" % (self.args.base_url, self.args.seed))
        print("| | |\n|---|---|")
        print("| requests | %d in %.0f s%s |" % (total, elapsed, " (stopped at the limit)" if truncated else ""))
        print("| operations | %d |" % len(self.operations()))
        print("| by caller | %s |" % ", ".join("%s %d" % kv for kv in sorted(actors.items())))
        print("| statuses | %s |" % ", ".join("%s: %d" % (k, v) for k, v in sorted(statuses.items(), key=str)))
        print("| 5xx | %d |" % len(five))
        print("| 4xx not problem+json | %d |" % len(nonproblem))
        print("| problem+json of the wrong shape | %d |" % len(shape))
        print("| no answer | %d |" % len(none))
        print("| decoder refusals counted as known | %d |" % len(known))
        print("| readiness afterwards | %s |" % health)
        slow = sorted(self.results, key=lambda r: -r[1].seconds)[:5]
        print("| slowest | %s |" % "; ".join("%.1f s %s %s [%s]" % (a.seconds, c.method, c.op, c.what[:40])
                                             for c, a, _ in slow))
        for title, rows in (("5xx", five), ("4xx not problem+json", nonproblem), ("Problem shape", shape),
                            ("No answer", none)):
            if not rows:
                continue
            print("\n## %s (%d)\n" % (title, len(rows)))
            seen = {}
            for case, a in rows:
                key = (case.op, case.kind, case.what.split("=")[0][:40], a.status)
                seen.setdefault(key, []).append((case, a))
            for (op, kind, what, status), group in sorted(seen.items(), key=str):
                case, a = group[0]
                print("- %s [%s: %s] as %s -> %s %s%s; %s" % (
                    op, kind, case.what[:80], case.actor, status or a.error, a.content_type() or "(no type)",
                    " x%d" % len(group) if len(group) > 1 else "", abbreviate(a.body)))
        if self.args.json_out:
            with open(self.args.json_out, "w") as f:
                json.dump({"requests": total, "seconds": elapsed, "truncated": truncated, "statuses": statuses,
                           "failures": [{"verdict": v, "op": c.op, "actor": c.actor, "kind": c.kind, "what": c.what,
                                         "method": c.method, "target": c.target[:300],
                                         "status": a.status, "error": a.error, "type": a.content_type(),
                                         "body": abbreviate(a.body)}
                                        for c, a, v in self.results if v not in ("ok", "known decoder 4xx")]},
                          f, indent=1)
        return 1 if failures or health != 200 else 0


def judge(case, a, allow_decoder):
    if a.status is None:
        if allow_decoder and case.decoder and a.closed:
            return "known decoder 4xx"
        return "no answer"
    if a.status >= 500:
        return "5xx"
    if a.status < 400:
        return "ok"
    ctype = a.content_type()
    if not ctype.startswith("application/problem+json"):
        if allow_decoder and case.decoder and not a.body and a.status in (400, 413, 414, 431):
            return "known decoder 4xx"
        return "non-problem 4xx"
    if case.method.upper() == "HEAD" or not a.body:
        return "ok" if case.method.upper() == "HEAD" else "problem shape"
    try:
        problem = json.loads(a.body)
    except ValueError:
        return "problem shape"
    if not isinstance(problem, dict) or problem.get("status") != a.status or not problem.get("title"):
        return "problem shape"
    return "ok"


def abbreviate(body):
    text = (body or b"")[:400].decode("utf-8", "replace")
    text = re.sub(r"\s+", " ", text)
    return text[:200] + ("…" if len(text) > 200 else "")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--base-url", default="http://localhost:8080")
    p.add_argument("--admin-key", default="dev-admin-key", help="the bootstrap admin key (LECTERN_ADMIN_API_KEY)")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--cases", type=int, default=24,
                   help="random cases per operation for the all-roles caller (learner 2/3, admin key 1/2, anonymous "
                        "1/3 of it)")
    p.add_argument("--max-requests", type=int, default=6000)
    p.add_argument("--time-limit", type=float, default=170, help="seconds of fuzzing before it stops (0: no limit)")
    p.add_argument("--timeout", type=float, default=30, help="seconds per request")
    p.add_argument("--heavy", action="store_true",
                   help="also send three 21 MB JSON strings and a 65 MiB chunked body")
    p.add_argument("--allow-decoder-400", action="store_true",
                   help="count the HTTP decoder's empty 400/413/414/431 for malformed framing as known, not failed")
    p.add_argument("--json-out", help="write the failures as JSON to this file")
    p.add_argument("-v", "--verbose", action="store_true", help="one line per request on stderr")
    args = p.parse_args()
    if not args.base_url.startswith("http://"):
        p.error("--base-url must be http://host:port (the fuzzer speaks plain HTTP/1.1 over a socket)")
    sys.exit(Fuzz(args).run())


if __name__ == "__main__":
    main()
