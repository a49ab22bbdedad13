package dev.lectern.progress.review;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Flashcards as review items: a set of cards (front, back) becomes one review item per card. */
@ApplicationScoped
public class FlashcardService {

    /** What {@link #createCards} did: every card's review item id, and how many of them it created now. */
    public record CreatedCards(List<UUID> ids, int created) {}

    private final FlashcardStore store;

    public FlashcardService(FlashcardStore store) {
        this.store = store;
    }

    /**
     * One review item per card, due now, in one statement. Idempotent: a card's item id is derived from the set and
     * the card (its position and text), so repeating the call creates nothing twice and answers the same ids. A card
     * whose item the learner deleted gets it back, fresh.
     */
    public Uni<CreatedCards> createCards(
            UUID setId, UUID userId, List<String[]> cards, UUID chapterId, UUID outcomeId) {
        UUID[] ids = new UUID[cards.size()];
        String[] fronts = new String[cards.size()];
        String[] backs = new String[cards.size()];
        for (int i = 0; i < cards.size(); i++) {
            fronts[i] = cards.get(i)[0];
            backs[i] = cards.get(i)[1];
            ids[i] = UUID.nameUUIDFromBytes(String.join(
                            "\u0000",
                            "flashcard",
                            setId.toString(),
                            Integer.toString(i),
                            fronts[i],
                            backs[i] == null ? "" : backs[i])
                    .getBytes(StandardCharsets.UTF_8));
        }
        return store.insert(userId, chapterId, outcomeId, ids, fronts, backs)
                .map(created -> new CreatedCards(List.of(ids), created));
    }
}
