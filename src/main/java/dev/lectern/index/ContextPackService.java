package dev.lectern.index;

import dev.lectern.index.SearchService.Candidate;
import dev.lectern.index.SearchViews.ContextPack;
import dev.lectern.index.SearchViews.Filters;
import dev.lectern.index.SearchViews.Hit;
import dev.lectern.index.SearchViews.Mode;
import dev.lectern.index.SearchViews.Passage;
import dev.lectern.index.SearchViews.Source;
import dev.lectern.index.chunk.TokenCounter;
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
 * Citation-ready context for a RAG prompt: the best hybrid, diversified passages that fit a token budget, with
 * near-duplicates dropped (neighbouring chunks share their overlap), one numbered source per chapter section, and the
 * passages of a source in reading order under its {@code [n]} marker.
 */
@ApplicationScoped
public class ContextPackService {

    static final int CANDIDATES = 24;
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
                .chain(resolved -> search.candidates(query, CANDIDATES, Mode.HYBRID, resolved, null, true))
                // Tokenizing candidate packs is CPU work: off the event loop.
                .chain(candidates -> Offload.toWorker(() -> assemble(query, budget, candidates)));
    }

    ContextPack assemble(String query, int budget, List<Candidate> candidates) {
        List<Candidate> chosen = new ArrayList<>();
        List<Set<String>> shingles = new ArrayList<>();
        Set<String> hashes = new HashSet<>();
        for (Candidate c : candidates) {
            Set<String> s = shingles(c.hit().text());
            if (!hashes.add(c.contentHash()) || shingles.stream().anyMatch(t -> jaccard(s, t) > DUPLICATE)) {
                continue;
            }
            List<Candidate> attempt = new ArrayList<>(chosen);
            attempt.add(c);
            if (tokens.count(render(attempt).context()) <= budget) {
                chosen = attempt;
                shingles.add(s);
            }
        }
        Rendered rendered = render(chosen);
        return new ContextPack(query, budget, tokens.count(rendered.context()), rendered.context(), rendered.sources(), rendered.passages());
    }

    private record Rendered(String context, List<Source> sources, List<Passage> passages) {
    }

    /** Sources numbered by their best passage's rank; a source's passages in chapter order beneath its marker. */
    private Rendered render(List<Candidate> chosen) {
        Map<String, List<Candidate>> bySource = new LinkedHashMap<>();
        for (Candidate c : chosen) {
            bySource.computeIfAbsent(c.hit().chapterId() + "#" + c.hit().sectionNumber(), k -> new ArrayList<>()).add(c);
        }
        List<Source> sources = new ArrayList<>();
        List<Passage> passages = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int number = 0;
        for (List<Candidate> group : bySource.values()) {
            number++;
            Hit first = group.get(0).hit();
            sources.add(new Source(number, first.book(), first.bookTitle(), first.chapter(), first.chapterId(), first.chapterTitle(),
                    first.sectionNumber(), first.sectionTitle(), first.anchor(), first.score()));
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append('[').append(number).append("] ").append(first.bookTitle()).append(" — ").append(first.chapterTitle())
                    .append(" › ").append(first.sectionTitle());
            for (Candidate c : group.stream().sorted(Comparator.comparingInt(Candidate::ordinal)).toList()) {
                text.append("\n").append(c.hit().text().strip());
                passages.add(new Passage(number, c.hit().chunkId(), c.hit().headingPath(), c.hit().text(), c.tokenCount(), c.hit().score()));
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
