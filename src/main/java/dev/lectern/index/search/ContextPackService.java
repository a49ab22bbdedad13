package dev.lectern.index.search;

import dev.lectern.index.chunk.TokenCounter;
import dev.lectern.index.search.SearchViews.ContextPack;
import dev.lectern.index.search.SearchViews.Filters;
import dev.lectern.index.search.SearchViews.Hit;
import dev.lectern.index.search.SearchViews.Mode;
import dev.lectern.index.search.SearchViews.Passage;
import dev.lectern.index.search.SearchViews.Source;
import dev.lectern.platform.Offload;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Citation-ready context for a RAG prompt: the passages hybrid search ranks best that fit a token budget, with
 * near-duplicates dropped (neighbouring chunks share their overlap), one numbered source per chapter section, and the
 * passages of a source in reading order under its {@code [n]} marker.
 *
 * <p>Relevance first, in two passes over hybrid's ranking: the best passage of each section among the first
 * {@link #LEADING_HITS} hits, then every other passage in rank order while the budget lasts. The first pass is the
 * only diversity there is: a question's answer is often ranked second to fifth behind a passage of a neighbouring
 * section, and a pack that spent its budget on the leading section's every chunk would leave it out. Re-ranking for
 * novelty (maximal marginal relevance) is not used: it pushed passages on the question's own topic out in favour of
 * unrelated ones.
 */
@ApplicationScoped
public class ContextPackService {

    static final int CANDIDATES = 24;
    /** The hits whose sections each get their best passage into the pack before anything else: a default search. */
    static final int LEADING_HITS = 10;
    /** Word-shingle Jaccard above which a passage repeats one already taken. */
    static final double DUPLICATE = 0.5;

    private final SearchService search;
    private final TokenCounter tokens;

    public ContextPackService(SearchService search, TokenCounter tokens) {
        this.search = search;
        this.tokens = tokens;
    }

    public Uni<ContextPack> pack(String query, int budget, Filters filters, boolean drafts) {
        return search.resolve(filters, drafts)
                .chain(scope -> search.candidates(query, CANDIDATES, Mode.HYBRID, scope, null))
                // Tokenizing candidate packs is CPU work: off the event loop.
                .chain(candidates -> Offload.toWorker(() -> assemble(query, budget, candidates)));
    }

    /**
     * Greedy, in the order {@link #order} gives: each candidate that is not a near-duplicate and still fits is taken.
     * What a candidate adds is counted alone (its passage, plus its source's header when it opens a new source): the
     * pack joins those pieces with line breaks and the model's WordPiece tokens never span whitespace, so the pack's
     * count is their sum. The rendered pack is counted once at the end, and trimmed should that ever disagree.
     */
    ContextPack assemble(String query, int budget, List<Candidate> candidates) {
        List<Candidate> chosen = new ArrayList<>();
        List<Set<String>> shingles = new ArrayList<>();
        Set<String> hashes = new HashSet<>();
        Set<String> sources = new HashSet<>();
        int used = 0;
        for (Candidate c : order(candidates)) {
            Set<String> s = shingles(c.hit().text());
            if (hashes.contains(c.contentHash()) || shingles.stream().anyMatch(t -> jaccard(s, t) > DUPLICATE)) {
                continue;
            }
            boolean newSource = !sources.contains(sourceKey(c));
            int cost = tokens.count(c.hit().text().strip())
                    + (newSource ? tokens.count(header(sources.size() + 1, c.hit())) : 0);
            if (used + cost <= budget) {
                chosen.add(c);
                used += cost;
                sources.add(sourceKey(c));
                hashes.add(c.contentHash());
                shingles.add(s);
            }
        }
        chosen.sort(Comparator.comparingInt(candidates::indexOf)); // sources are numbered by rank
        Rendered rendered = render(chosen);
        int total = tokens.count(rendered.context());
        while (total > budget) {
            chosen.remove(chosen.size() - 1);
            rendered = render(chosen);
            total = tokens.count(rendered.context());
        }
        return new ContextPack(query, budget, total, rendered.context(), rendered.sources(), rendered.passages());
    }

    /** The best-ranked passage of each section among the leading hits, in rank order, then the rest by rank. */
    static List<Candidate> order(List<Candidate> ranked) {
        Set<String> leading = new HashSet<>();
        List<Candidate> first = new ArrayList<>();
        List<Candidate> rest = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            Candidate c = ranked.get(i);
            if (i < LEADING_HITS && leading.add(sourceKey(c))) {
                first.add(c);
            } else {
                rest.add(c);
            }
        }
        first.addAll(rest);
        return first;
    }

    private static String sourceKey(Candidate c) {
        return c.hit().chapterId() + "#" + c.hit().sectionNumber();
    }

    private static String header(int number, Hit first) {
        return "[" + number + "] " + first.bookTitle() + " — " + first.chapterTitle() + " › " + first.sectionTitle();
    }

    private record Rendered(String context, List<Source> sources, List<Passage> passages) {}

    /** Sources numbered by their best passage's rank; a source's passages in chapter order beneath its marker. */
    private Rendered render(List<Candidate> chosen) {
        Map<String, List<Candidate>> bySource = new LinkedHashMap<>();
        for (Candidate c : chosen) {
            bySource.computeIfAbsent(sourceKey(c), k -> new ArrayList<>()).add(c);
        }
        List<Source> sources = new ArrayList<>();
        List<Passage> passages = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int number = 0;
        for (List<Candidate> group : bySource.values()) {
            number++;
            Hit first = group.get(0).hit();
            sources.add(new Source(
                    number,
                    first.book(),
                    first.bookTitle(),
                    first.chapter(),
                    first.chapterId(),
                    first.chapterTitle(),
                    first.sectionNumber(),
                    first.sectionTitle(),
                    first.anchor(),
                    first.score()));
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(header(number, first));
            for (Candidate c : group.stream()
                    .sorted(Comparator.comparingInt(Candidate::ordinal))
                    .toList()) {
                text.append("\n").append(c.hit().text().strip());
                passages.add(new Passage(
                        number,
                        c.hit().chunkId(),
                        c.hit().headingPath(),
                        c.hit().text(),
                        c.tokenCount(),
                        c.hit().score()));
            }
        }
        return new Rendered(text.toString(), sources, passages);
    }

    static Set<String> shingles(String text) {
        String[] words = text.toLowerCase(Locale.ROOT).split("\\W+");
        Set<String> out = new HashSet<>();
        for (int i = 0; i + 2 < words.length; i++) {
            out.add(words[i] + " " + words[i + 1] + " " + words[i + 2]);
        }
        return out;
    }

    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        int common = 0;
        for (String s : a) {
            if (b.contains(s)) {
                common++;
            }
        }
        return (double) common / (a.size() + b.size() - common);
    }
}
