package dev.lectern.index.pipeline;

import dev.lectern.index.chunk.Chunk;
import dev.lectern.index.chunk.MarkdownChunker;
import dev.lectern.index.embed.Embedder;
import dev.lectern.index.vector.VectorIndex;
import dev.lectern.index.vector.VectorPoint;
import dev.lectern.platform.Offload;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Brings one chapter's chunks (Postgres) and points (serving index) in line with its current content. Embeds only
 * chunks whose content hash has no stored vector of the current model; every step is idempotent, so the outbox can
 * retry it after any failure and a rebuild can run it over every chapter.
 */
@ApplicationScoped
public class ChapterIndexer {

    /** What a reconcile did: chunks now indexed for the chapter and how many of them needed the model. */
    public record Outcome(int chunks, int embedded, boolean superseded) {
        static final Outcome REMOVED = new Outcome(0, 0, false);
        static final Outcome SUPERSEDED = new Outcome(0, 0, true);
    }

    private final IndexStore store;
    private final MarkdownChunker chunker;
    private final Embedder embedder;
    private final VectorIndex index;

    public ChapterIndexer(IndexStore store, MarkdownChunker chunker, Embedder embedder, VectorIndex index) {
        this.store = store;
        this.chunker = chunker;
        this.embedder = embedder;
        this.index = index;
    }

    public Uni<Outcome> reconcile(UUID chapterId, boolean reembed) {
        return store.snapshot(chapterId).chain(snapshot -> {
            if (snapshot == null || !snapshot.live()) {
                // Gone (its chunks cascaded away) or soft-deleted (chunks kept, so a restore needs no embedding).
                return index.replaceChapter(chapterId, List.of()).replaceWith(Outcome.REMOVED);
            }
            // Parsing and tokenizing a long chapter is CPU work: off the event loop.
            return Offload.toWorker(() -> chunker.chunk(snapshot.title(), snapshot.sections()))
                    .chain(chunks -> store.chunks(chapterId)
                            .chain(existing -> embedAndStore(snapshot, chunks, existing, reembed)));
        });
    }

    private Uni<Outcome> embedAndStore(
            ChapterSnapshot snapshot, List<Chunk> chunks, List<StoredChunk> existing, boolean reembed) {
        Map<String, float[]> reusable = new HashMap<>();
        if (!reembed) {
            for (StoredChunk stored : existing) {
                if (stored.embedding() != null
                        && embedder.model().equals(stored.embeddingModel())
                        && stored.embedding().length == embedder.dimension()) {
                    reusable.put(stored.contentHash(), stored.embedding());
                }
            }
        }
        List<Integer> missing = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            if (!reusable.containsKey(chunks.get(i).contentHash())) {
                missing.add(i);
                texts.add(embeddingText(chunks.get(i)));
            }
        }
        Uni<List<float[]>> embedded = texts.isEmpty() ? Uni.createFrom().item(List.of()) : embedder.embed(texts);
        return embedded.chain(vectors -> {
            List<float[]> all = new ArrayList<>(chunks.size());
            for (Chunk chunk : chunks) {
                all.add(reusable.get(chunk.contentHash()));
            }
            for (int j = 0; j < missing.size(); j++) {
                all.set(missing.get(j), vectors.get(j));
            }
            List<UUID> ids = chunks.stream()
                    .map(c -> IndexStore.chunkId(snapshot.id(), c))
                    .toList();
            return store.replaceChunks(
                            snapshot.id(),
                            snapshot.contentHash(),
                            snapshot.language(),
                            chunks,
                            ids,
                            all,
                            embedder.model(),
                            embedder.dimension())
                    .chain(stored -> stored
                            ? index.replaceChapter(snapshot.id(), points(snapshot, chunks, ids, all))
                                    .replaceWith(new Outcome(chunks.size(), missing.size(), false))
                            : Uni.createFrom().item(Outcome.SUPERSEDED));
        });
    }

    /** The heading path gives a passage its context ("Services › Calling a service: ..."), which helps retrieval. */
    static String embeddingText(Chunk chunk) {
        return String.join(" › ", chunk.headingPath()) + "\n\n" + chunk.text();
    }

    private static List<VectorPoint> points(
            ChapterSnapshot snapshot, List<Chunk> chunks, List<UUID> ids, List<float[]> vectors) {
        List<VectorPoint> points = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            points.add(new VectorPoint(
                    ids.get(i),
                    vectors.get(i),
                    snapshot.bookId(),
                    snapshot.id(),
                    chunks.get(i).sectionNumber(),
                    snapshot.difficulty(),
                    snapshot.language(),
                    snapshot.outcomeCodes()));
        }
        return points;
    }
}
