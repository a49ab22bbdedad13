# Emits one deterministic, real-looking Markdown chapter (YAML front matter + "## " sections).
# Usage: awk -v n=<chapter number> -v target=<approx. bytes of section prose> -f chapter.awk
# Same n and target always give the same document, so reruns seed identical content.
function rnd(k) { seed = (seed * 1103515245 + 12345) % 2147483648; return int(seed / 65536) % k }
function pick(arr, k) { return arr[rnd(k) + 1] }
BEGIN {
    if (n == "") n = 1
    if (target == "") target = 4000
    seed = n * 7919 + 17

    nt = split("Indexes and Query Plans|Transactions and Isolation|Connection Pools|Replication and Failover|" \
        "Caching Strategies|Schema Migrations|Backpressure in Reactive Services|Observability Basics|" \
        "Designing Idempotent APIs|Pagination with Keysets|Message Queues|Rate Limiting|" \
        "Consistency Models|Partitioning Data|Testing Against a Real Database|Deploying Safely", topics, "|")
    nh = split("Why It Matters|Core Concepts|A Worked Example|Common Pitfalls|Measuring the Effect|" \
        "Trade-offs|How It Works Under the Hood|Putting It Together|Checklist|Further Practice|" \
        "Failure Modes|Choosing Defaults", heads, "|")
    ns = split("A query planner chooses between a sequential scan and an index scan by estimating how many rows each step will return.|" \
        "When the estimate is wrong by an order of magnitude, the chosen plan can be slower than the obvious alternative.|" \
        "Running EXPLAIN with the ANALYZE option shows both the estimated and the actual row counts side by side.|" \
        "A composite index helps only when the query filters on its leading columns in the same order.|" \
        "Each open connection costs memory on the server, so a pool keeps a small number of them busy instead of opening one per request.|" \
        "If every request waits for a connection, the pool is too small or the queries are holding connections for too long.|" \
        "Read committed isolation means each statement sees the data committed before that statement began.|" \
        "Under repeatable read, a transaction keeps the snapshot it took at its first statement until it ends.|" \
        "Serializable isolation can abort a transaction that would otherwise produce an anomaly, so the client must be ready to retry.|" \
        "A cache in front of the database is only useful if you also decide how and when an entry becomes stale.|" \
        "Time-based expiry is simple to reason about, while explicit invalidation is precise but easy to forget.|" \
        "Migrations that add a nullable column are cheap; migrations that rewrite a large table can lock it for minutes.|" \
        "Split a risky change into an expand step, a data backfill, and a contract step deployed separately.|" \
        "Backpressure lets a slow consumer tell a fast producer to wait instead of letting queues grow without bound.|" \
        "An event loop must never block, so file access and heavy computation belong on a worker thread.|" \
        "Structured logs with a request identifier make it possible to follow one request across several services.|" \
        "A histogram of latencies tells you far more than an average, because the slowest requests are the ones users remember.|" \
        "The ninety-ninth percentile is a useful target because it covers almost every user while ignoring rare outliers.|" \
        "An idempotent endpoint returns the same result when a client repeats a request after a timeout.|" \
        "Keyset pagination remembers the last key of a page and asks for rows after it, so deep pages stay fast.|" \
        "Offset pagination reads and discards every skipped row, which grows more expensive the deeper the reader goes.|" \
        "A message queue decouples the producer from the consumer, but it also hides failures until someone looks at the backlog.|" \
        "A token bucket allows short bursts while still enforcing an average rate over a longer window.|" \
        "Eventual consistency means replicas converge once writes stop, not that every read sees the latest write.|" \
        "Partitioning by a well-chosen key spreads load evenly, while a poor key concentrates traffic on one node.|" \
        "Tests that run against the same database engine as production catch problems that an in-memory substitute hides.|" \
        "A canary deployment sends a small share of traffic to the new version before the rest follows.|" \
        "Feature flags separate deploying code from releasing behaviour, which makes rollbacks a configuration change.|" \
        "Students often confuse throughput with latency, yet a system can have high throughput and still feel slow.|" \
        "Try the example on your own machine and compare the numbers with those in the text before moving on.|" \
        "The same idea appears again in later chapters, so it is worth spending a few minutes on it now.|" \
        "In practice, the simplest design that meets the requirement is usually the easiest one to operate.|" \
        "Write down the assumption you are making, then find a measurement that could prove it wrong.|" \
        "Small, frequent changes are easier to review, easier to test and easier to undo than large ones.", sent, "|")
    nl = split("Measure before you change anything.|Change one setting at a time.|Keep the change if the numbers improve.|" \
        "Record the result next to the configuration.|Repeat the run at least twice.|Check the error rate as well as the speed.", items, "|")

    title = topics[(n - 1) % nt + 1]
    if (n > nt) title = title " " int((n - 1) / nt + 1)
    diffs[1] = "beginner"; diffs[2] = "intermediate"; diffs[3] = "advanced"
    nsec = 3 + rnd(3)   # plus the untitled preamble, which the service stores as an "Introduction" section
    print "---"
    print "title: \"" title "\""
    print "sidebar_position: " n
    print "difficulty: " diffs[rnd(3) + 1]
    print "summary: \"" pick(sent, ns) "\""
    print "---"
    print ""
    print pick(sent, ns) " " pick(sent, ns) " " pick(sent, ns)
    per = int(target / nsec)
    used[""] = 1
    for (s = 1; s <= nsec; s++) {
        h = pick(heads, nh)
        while (h in used) h = pick(heads, nh)
        used[h] = 1
        print ""
        print "## " h
        body = 0
        while (body < per) {
            print ""
            if (rnd(6) == 0) {
                for (k = 1; k <= 3; k++) { line = "- " pick(items, nl); print line; body += length(line) + 1 }
            } else if (rnd(9) == 0) {
                print "```sql"; print "EXPLAIN ANALYZE SELECT * FROM chapters WHERE book_id = $1 ORDER BY number LIMIT 20;"; print "```"
                body += 100
            } else {
                last = pick(sent, ns); p = last; m = 2 + rnd(3)
                for (k = 1; k < m; k++) { x = pick(sent, ns); while (x == last) x = pick(sent, ns); p = p " " x; last = x }
                print p; body += length(p) + 2
            }
        }
    }
}
