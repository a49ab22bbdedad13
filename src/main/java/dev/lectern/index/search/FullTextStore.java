package dev.lectern.index.search;

import dev.lectern.catalogue.content.VisibleContent;
import dev.lectern.index.pipeline.IndexStore;
import dev.lectern.index.vector.VectorFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Full-text retrieval over the chunks' GIN-indexed tsvector, for natural-language questions, in at most two steps:
 * <ol>
 * <li>every stemmed term of the question (AND): selective, and fast on a large corpus;</li>
 * <li>only when that finds fewer than {@link #ENOUGH} passages, any of them (OR), so a passage lacking one word of the
 * question still counts. Corpus-wide, the OR selects passages with the question's rarest terms only, as many as fit a
 * budget of estimated matching passages, and ranks them with all of its terms. Within a book or chapters every term
 * selects: the scope bounds the work.</li>
 * </ol>
 * Corpus-wide, each step ranks at most {@code lectern.search.fulltext-candidates} matching passages (or the limit, if
 * more), the first the GIN index finds, and the same number is the OR's budget. Ranking costs per passage: reading its
 * tsvector, ts_rank_cd, joining it to its chapter and book (10-25 µs each on the shared 2-core bench machine), so a
 * plan that ranks every match cannot answer fast: an OR including a word most passages hold once matched 50,136 of
 * 65,909 chunks (0.8 s), and with 1,101 copies of every passage of the sample book each question still ranked 1,101
 * to 5,505 (20-400 ms). Terms that frequent say little about which passage answers (the inverse-document-frequency
 * argument); they still weigh in the rank. Document frequencies are PostgreSQL's own statistics of the column
 * (pg_stats' most common elements, kept by ANALYZE and autovacuum), cached for {@code
 * lectern.search.term-statistics-ttl}; a term not among them is rarer than all that are. On a small corpus every term
 * fits the budget and nothing changes. Only a question whose rarest term, or all of whose terms together, match more
 * passages than the bound has some of its matches left unranked.
 *
 * <p>The score, 0 to 1: the share of the question's terms a passage holds, times 0.9 + 0.1 × its normalised
 * ts_rank_cd (so a passage holding more of the question always ranks higher, and ts_rank_cd orders the rest). In the
 * AND step every passage holds every term. In the OR step the share is weighted by each term's inverse document
 * frequency ({@link TermStatistics#weight}, from the same statistics): on a book where every passage says "store" and
 * "reducer", a passage holding those two of a question's three terms used to outrank the only one holding
 * {@code isPlainObject}, and that weak match is exactly what hybrid search must not be flooded with.
 *
 * <p>A store, not a service: it is the full-text query, whose statements are tuned (bench/search.sh measures them at
 * about 66k chunks), and which of its statements to send (the second step, its terms) is part of running that query.
 * {@link SearchService} fuses and hydrates what it answers.
 */
@ApplicationScoped
public class FullTextStore {

    /** How long a read that found no statistics is kept. */
    static final Duration EMPTY_STATISTICS_TTL = Duration.ofSeconds(30);

    /** Fewer AND hits than this (or than the limit) and the OR step runs. */
    static final int ENOUGH = 5;

    /**
     * Within a book or chapters every matching passage is ranked, up to this many: the scope bounds the work (the
     * largest real book here has 2,237 passages); the bound only keeps a question of frequent words over a huge book
     * from ranking all of it.
     */
    static final int SCOPED_RANKED = 10_000;

    private static final String ENGLISH = IndexStore.english("b.language");

    /**
     * The passages the caller may see (in the catalogue's view of the chapters by drafts) and asked for: $2 book, $3
     * chapters ... $7 outcome codes. The view is tested with EXISTS rather than joined: it joins books itself, and
     * joined beside the books this needs it made PostgreSQL plan a second join to books (the generic plan of step 1
     * took 1.6 times as long at 66k chunks); tested, it keeps the plan of the hand-written join.
     */
    private static String visible(boolean drafts) {
        return visibleUnfiltered(drafts) + """

                   AND ($2::uuid IS NULL OR c.book_id = $2)
                   AND ($3::uuid[] IS NULL OR k.chapter_id = ANY($3))
                   AND ($4::int[] IS NULL OR k.section_number = ANY($4))
                   AND ($5::text[] IS NULL OR c.difficulty = ANY($5))
                   AND ($6::text[] IS NULL OR b.language = ANY($6))
                   AND ($7::text[] IS NULL OR EXISTS (SELECT 1 FROM chapter_outcomes co JOIN outcomes o ON o.id = co.outcome_id
                                                      WHERE co.chapter_id = c.id AND o.code = ANY($7)))""";
    }

    /** Every passage the caller may see: a search without filters. */
    private static String visibleUnfiltered(boolean drafts) {
        return """
                chunks k JOIN chapters c ON c.id = k.chapter_id JOIN books b ON b.id = c.book_id
                 WHERE EXISTS (SELECT 1 FROM %s vc WHERE vc.id = c.id)""".formatted(VisibleContent.chapters(drafts));
    }

    /**
     * Both steps, in two shapes ({@link Shape}: unscoped with and without filters, and scoped). Unscoped, the GIN index finds the matching passages of the whole corpus. Scoped to a
     * book or chapters, the scope's passages are read first and matched one by one: a book holds a few thousand at
     * most, where a frequent term matches tens of thousands corpus-wide that the book filter would only drop after
     * reading them. Either way at most $9 matching passages are ranked, each read once: a tsvector stored out of
     * line (TOAST) was fetched again for every term tested and for ts_rank_cd, so {@code matches} hands the ranking an
     * in-memory copy (the concatenation with an empty tsvector). English books are indexed with the english
     * configuration, the others with simple; so is the question ({@code en}, {@code si}); {@code en_match} and {@code
     * si_match} select, {@code en} and {@code si} rank.
     */
    private static final String STEP = """
            WITH %s,
                 matches AS (SELECT v.id, v.search_vector || ''::tsvector AS search_vector, v.english FROM q, %s
                              WHERE (v.search_vector @@ q.en_match OR v.search_vector @@ q.si_match)
                                AND CASE WHEN v.english THEN v.search_vector @@ q.en_match ELSE v.search_vector @@ q.si_match END
                              LIMIT $9),
                 ranked AS (SELECT m.id, %s AS score
                              FROM q, matches m%s
                             ORDER BY score DESC, m.id LIMIT $8)
            %s""";

    private static String unscoped(String visible) {
        return "(SELECT k.id, k.search_vector, " + ENGLISH + " AS english FROM " + visible + ") v";
    }

    private static final String SCOPED = "scope v";

    /** Drives from the chapters' chunks (by index; the generic plan of the visible passages' optional filters cannot). */
    private static String scope(boolean drafts) {
        return "scope AS MATERIALIZED (SELECT k.id, k.search_vector, " + ENGLISH + " AS english FROM " + visible(drafts)
                + "\n   AND k.chapter_id = ANY(coalesce($3::uuid[], ARRAY(SELECT id FROM chapters WHERE book_id = $2))))";
    }

    /** The question's stemmed terms in both configurations. */
    private static final String TERMS =
            "t AS (SELECT tsvector_to_array(to_tsvector('english', $1)) AS en, tsvector_to_array(to_tsvector('simple', $1)) AS si)";

    /**
     * Step 1: a passage it finds holds every term, so its share of them is 1 and ts_rank_cd alone orders it (normalised
     * by 1 + the log of the length, and to below 1).
     */
    private static final String ALL_TERMS_SCORE =
            "0.9 + 0.1 * ts_rank_cd(m.search_vector, CASE WHEN m.english THEN q.en ELSE q.si END, 33)";

    /**
     * Step 2: the share of the question's terms a passage holds, each term weighted by Java ($13 english, $15 simple;
     * $12, $14 their lexemes), times step 1's score.
     */
    private static final String ANY_TERM_SCORE = "x.held / x.terms * (" + ALL_TERMS_SCORE + ")";

    private static final String IDF_WEIGHTS = """
            ,
                                   LATERAL (SELECT coalesce(sum(w.weight) FILTER (WHERE m.search_vector @@ w.term), 0) AS held,
                                                   greatest(sum(w.weight), 1e-9) AS terms
                                              FROM unnest(CASE WHEN m.english THEN q.en_each ELSE q.si_each END,
                                                          CASE WHEN m.english THEN $13::float8[] ELSE $15::float8[] END) AS w(term, weight)) x""";

    /**
     * Each lexeme as a tsquery of its own, built once per question: built per matching passage instead (quote and
     * parse, for every term of every passage) it took a quarter of the any-term step on a book of 2,237 passages.
     */
    private static String each(String lexemes) {
        return "ARRAY(SELECT quote_literal(l)::tsquery FROM unnest(" + lexemes + ") l)";
    }

    /** Step 1 selects and ranks with all terms, and answers one row even when nothing matches: the terms, for step 2. */
    private static final String ALL_TERMS_Q = TERMS + """
            , q AS (SELECT t.en AS en_terms, t.si AS si_terms, x.en, x.si, x.en AS en_match, x.si AS si_match
                      FROM t, LATERAL (SELECT %s AS en, %s AS si) x)""".formatted(tsquery("t.en", "&"), tsquery("t.si", "&"));

    private static final String ALL_TERMS_SELECT =
            "SELECT q.en_terms, q.si_terms, r.id, r.score FROM q LEFT JOIN ranked r ON true ORDER BY r.score DESC, r.id";

    /** Step 2 selects with the rare terms ($10, $11) and ranks with all of them. */
    private static final String ANY_TERM_Q = TERMS
            + """
            , q AS (SELECT %s AS en, %s AS si, %s AS en_match, %s AS si_match, %s AS en_each, %s AS si_each FROM t)""".formatted(
                            tsquery("t.en", "|"),
                            tsquery("t.si", "|"),
                            tsquery("$10::text[]", "|"),
                            tsquery("$11::text[]", "|"),
                            each("$12::text[]"),
                            each("$14::text[]"));

    private static final String ANY_TERM_SELECT = "SELECT r.id, r.score FROM ranked r ORDER BY r.score DESC, r.id";

    /** The lexemes of a text[] joined by an operator into a tsquery (each quoted, so none is parsed as syntax). */
    private static String tsquery(String lexemes, String operator) {
        return "(SELECT coalesce(string_agg(quote_literal(l), ' " + operator + " '), '') FROM unnest(" + lexemes
                + ") l)::tsquery";
    }

    /**
     * Which passages a search reads: every visible one (no filter: most searches), the visible ones through the optional
     * filters ($2 to $7), or a book's or chapters' ({@link #scope}).
     *
     * <p>The unfiltered shape is a statement of its own, without the filters' {@code $n IS NULL OR ...} terms: with
     * them PostgreSQL estimated its generic plan dearer than the plans made for the values, so it planned both steps
     * again at every execution (1.5 ms each of a 2-core machine's time at 67k chunks, more than running the all-terms
     * step); without them it settles on the generic plan, the same plan as before. Its parameters are renumbered
     * ({@link #UNFILTERED_PARAMETERS}), since PostgreSQL cannot type a parameter a statement does not use.
     */
    enum Shape {
        UNFILTERED,
        FILTERED,
        SCOPED;

        static Shape of(SearchScope scope) {
            VectorFilter f = scope.vector();
            if (f.bookId() != null || f.chapterIds() != null) {
                return SCOPED;
            }
            return f.isEmpty() ? UNFILTERED : FILTERED;
        }
    }

    /** An unfiltered statement's parameters: the question, $8 and $9 (limits) and $10 to $15 (the any-term step's). */
    private static final Map<Integer, Integer> UNFILTERED_PARAMETERS =
            Map.of(1, 1, 8, 2, 9, 3, 10, 4, 11, 5, 12, 6, 13, 7, 14, 8, 15, 9);

    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)");

    /** Both steps in each shape, for callers who see drafts or do not: built once, twelve statements in all. */
    private record Statements(Map<Shape, String> allTerms, Map<Shape, String> anyTerm) {

        static Statements of(boolean drafts) {
            Map<Shape, String> allTerms = new EnumMap<>(Shape.class);
            Map<Shape, String> anyTerm = new EnumMap<>(Shape.class);
            for (Shape shape : Shape.values()) {
                allTerms.put(shape, step(ALL_TERMS_Q, shape, drafts, ALL_TERMS_SCORE, "", ALL_TERMS_SELECT));
                anyTerm.put(shape, step(ANY_TERM_Q, shape, drafts, ANY_TERM_SCORE, IDF_WEIGHTS, ANY_TERM_SELECT));
            }
            return new Statements(allTerms, anyTerm);
        }
    }

    private static final Map<Boolean, Statements> STATEMENTS =
            Map.of(true, Statements.of(true), false, Statements.of(false));

    private static String step(String terms, Shape shape, boolean drafts, String score, String weights, String select) {
        String sql = STEP.formatted(
                shape == Shape.SCOPED ? terms + ",\n     " + scope(drafts) : terms,
                switch (shape) {
                    case UNFILTERED -> unscoped(visibleUnfiltered(drafts));
                    case FILTERED -> unscoped(visible(drafts));
                    case SCOPED -> SCOPED;
                },
                score,
                weights,
                select);
        return shape == Shape.UNFILTERED ? renumbered(sql) : sql;
    }

    /** The statement with its parameters numbered by {@link #UNFILTERED_PARAMETERS} (each must be listed there). */
    static String renumbered(String sql) {
        return PARAMETER.matcher(sql).replaceAll(m -> {
            Integer to = UNFILTERED_PARAMETERS.get(Integer.parseInt(m.group(1)));
            if (to == null) {
                throw new IllegalStateException("an unfiltered statement uses " + m.group());
            }
            return "\\$" + to;
        });
    }

    /** Estimated chunks holding each of the most common lexemes, from the planner's statistics of the column. */
    private static final String TERM_STATISTICS = """
            SELECT e.lexeme, e.frequency * n.total AS chunks, n.total
              FROM (SELECT greatest((SELECT reltuples FROM pg_class WHERE oid = to_regclass('chunks')), 0) AS total) n
             CROSS JOIN pg_stats s
             CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lexeme, frequency)
             WHERE s.schemaname = current_schema() AND s.tablename = 'chunks' AND s.attname = 'search_vector'
               AND e.lexeme IS NOT NULL""";

    /**
     * Lexeme to estimated number of chunks holding it (only the column's most common elements), the estimated number of
     * chunks, the count of the least common listed lexeme, and when that was read.
     */
    record TermStatistics(Map<String, Double> chunks, double total, double leastCommon, long readAtNanos) {

        static final TermStatistics NONE = new TermStatistics(Map.of(), 0, 0);

        TermStatistics(Map<String, Double> chunks, double total, long readAtNanos) {
            this(
                    chunks,
                    total,
                    chunks.values().stream()
                            .mapToDouble(Double::doubleValue)
                            .min()
                            .orElse(0),
                    readAtNanos);
        }

        double chunksHolding(String lexeme) {
            return chunks.getOrDefault(lexeme, 0.0);
        }

        /**
         * How much holding the term says about a passage: BM25's inverse document frequency, ln(1 + (N − n + ½) / (n +
         * ½)) for n of N chunks holding it. A term not among the most common elements is rarer than the least common
         * of them, and gets that one's count, an upper bound. Without statistics every term weighs 1.
         */
        double weight(String lexeme) {
            if (chunks.isEmpty() || total <= 0) {
                return 1;
            }
            double n = Math.min(chunks.getOrDefault(lexeme, leastCommon), total);
            return Math.log(1 + (total - n + 0.5) / (n + 0.5));
        }

        /** One weight per lexeme, in order (boxed: the driver binds {@code Double[]} as {@code float8[]}). */
        Double[] weights(String[] lexemes) {
            Double[] out = new Double[lexemes == null ? 0 : lexemes.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = weight(lexemes[i]);
            }
            return out;
        }
    }

    private final Pool pool;
    private final int candidates;
    private final Duration statisticsTtl;
    private volatile TermStatistics statistics = TermStatistics.NONE;

    @Inject
    public FullTextStore(Pool pool, SearchConfig config) {
        this(pool, config.fulltextCandidates(), config.termStatisticsTtl());
    }

    FullTextStore(Pool pool, long candidates, Duration statisticsTtl) {
        this.pool = pool;
        this.candidates = (int) Math.clamp(candidates, 1, Integer.MAX_VALUE);
        this.statisticsTtl = statisticsTtl;
    }

    /** Ranked chunk ids for the question, best first, at most {@code limit}; scores below the threshold dropped. */
    Uni<List<ScoredChunk>> search(String query, int limit, SearchScope scope, Double threshold) {
        Shape shape = Shape.of(scope);
        boolean scoped = shape == Shape.SCOPED;
        Statements statements = STATEMENTS.get(scope.drafts());
        // Corpus-wide at most `candidates` passages are ranked per step, never fewer than asked for, and the OR selects
        // with as many rare terms as fit that many estimated matches. Within a book or chapters every term selects.
        int ranked = Math.max(scoped ? SCOPED_RANKED : candidates, limit);
        double budget = scoped ? Double.POSITIVE_INFINITY : ranked;
        return pool.preparedQuery(statements.allTerms().get(shape))
                .execute(Tuple.tuple(params(query, scope, limit, ranked, shape)))
                .chain(rows -> {
                    List<ScoredChunk> hits = scored(rows, threshold);
                    if (hits.size() >= Math.min(limit, ENOUGH)) {
                        return Uni.createFrom().item(hits);
                    }
                    Row first = rows.iterator().next();
                    String[] en = first.getArrayOfStrings("en_terms");
                    String[] si = first.getArrayOfStrings("si_terms");
                    return statistics().chain(stats -> {
                        List<Object> params = params(query, scope, limit, ranked, shape);
                        params.add(rarest(en, stats, budget).toArray(String[]::new));
                        params.add(rarest(si, stats, budget).toArray(String[]::new));
                        params.add(en);
                        params.add(stats.weights(en));
                        params.add(si);
                        params.add(stats.weights(si));
                        return pool.preparedQuery(statements.anyTerm().get(shape))
                                .execute(Tuple.tuple(params))
                                .map(r -> scored(r, threshold));
                    });
                });
    }

    /**
     * The rarest terms whose estimated matches add up to at most {@code budget} chunks, and always the rarest one (a
     * question of only frequent words still finds something); ties broken by the term so that a plan is repeatable.
     */
    static List<String> rarest(String[] terms, TermStatistics stats, double budget) {
        if (terms == null || terms.length == 0) {
            return List.of();
        }
        List<String> sorted = Arrays.stream(terms)
                .distinct()
                .sorted(Comparator.comparingDouble(stats::chunksHolding).thenComparing(Comparator.naturalOrder()))
                .toList();
        List<String> picked = new ArrayList<>();
        double total = 0;
        for (String term : sorted) {
            total += stats.chunksHolding(term);
            if (!picked.isEmpty() && total > budget) {
                break;
            }
            picked.add(term);
        }
        return picked;
    }

    /**
     * Cached for the TTL; a failed read keeps the previous statistics (at worst none: every term is kept and weighs the
     * same). An empty read (a new database, or a first import that autovacuum has not analysed yet) is kept at most
     * {@link #EMPTY_STATISTICS_TTL}, so weighting starts soon after ANALYZE rather than a whole TTL later.
     */
    Uni<TermStatistics> statistics() {
        TermStatistics current = statistics;
        Duration ttl = current.chunks().isEmpty()
                ? (statisticsTtl.compareTo(EMPTY_STATISTICS_TTL) < 0 ? statisticsTtl : EMPTY_STATISTICS_TTL)
                : statisticsTtl;
        if (current != TermStatistics.NONE && System.nanoTime() - current.readAtNanos() < ttl.toNanos()) {
            return Uni.createFrom().item(current);
        }
        return pool.query(TERM_STATISTICS)
                .execute()
                .map(rows -> {
                    Map<String, Double> chunks = new HashMap<>();
                    double total = 0;
                    for (Row r : rows) {
                        chunks.put(r.getString("lexeme"), r.getDouble("chunks"));
                        total = r.getDouble("total");
                    }
                    TermStatistics read = new TermStatistics(Map.copyOf(chunks), total, System.nanoTime());
                    statistics = read;
                    return read;
                })
                .onFailure()
                .recoverWithItem(current);
    }

    private static List<Object> params(String query, SearchScope scope, int limit, int ranked, Shape shape) {
        if (shape == Shape.UNFILTERED) {
            return new ArrayList<>(Arrays.asList(query, limit, ranked));
        }
        VectorFilter f = scope.vector();
        return new ArrayList<>(Arrays.asList(
                query,
                f.bookId(),
                array(f.chapterIds(), UUID[]::new),
                array(f.sectionNumbers(), Integer[]::new),
                array(f.difficulties(), String[]::new),
                array(f.languages(), String[]::new),
                array(f.outcomeCodes(), String[]::new),
                limit,
                ranked));
    }

    private static List<ScoredChunk> scored(RowSet<Row> rows, Double threshold) {
        List<ScoredChunk> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            UUID id = r.getUUID("id");
            double score = id == null ? 0 : r.getDouble("score");
            if (id != null && (threshold == null || score >= threshold)) {
                out.add(new ScoredChunk(id, score));
            }
        }
        return out;
    }

    private static <T> T[] array(List<T> values, java.util.function.IntFunction<T[]> make) {
        return values == null || values.isEmpty() ? null : values.toArray(make);
    }
}
