package dev.lectern.index.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lectern.index.embed.EmbeddingQueue.Offer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingQueueTest {

    private static List<String> drain(EmbeddingQueue<String> queue) {
        List<String> order = new ArrayList<>();
        for (String next = queue.next(); next != null; next = queue.next()) {
            order.add(next);
        }
        return order;
    }

    @Test
    void queriesLeaveBeforeIngestionWhateverOrderTheyArrivedIn() {
        EmbeddingQueue<String> queue = new EmbeddingQueue<>(8);
        queue.offerIngestion("chapter batch 1");
        queue.offerIngestion("chapter batch 2");
        queue.offerQuery("query 1");
        queue.offerIngestion("chapter batch 3");
        queue.offerQuery("query 2");

        assertThat(drain(queue))
                .containsExactly("query 1", "query 2", "chapter batch 1", "chapter batch 2", "chapter batch 3");
    }

    @Test
    void betweenPassagesOnlyQueriesAreTaken() {
        EmbeddingQueue<String> queue = new EmbeddingQueue<>(8);
        queue.offerIngestion("chapter batch");
        assertThat(queue.nextQuery()).isNull();
        queue.offerQuery("query");
        assertThat(queue.nextQuery()).isEqualTo("query");
        assertThat(queue.nextQuery()).isNull();
        assertThat(queue.next()).isEqualTo("chapter batch");
    }

    @Test
    void onlyTheQueryLineIsBoundedSoIngestionNeverCrowdsOutAQuery() {
        EmbeddingQueue<String> queue = new EmbeddingQueue<>(2);
        for (int i = 0; i < 5_000; i++) {
            assertThat(queue.offerIngestion("batch " + i)).isEqualTo(Offer.ACCEPTED);
        }
        assertThat(queue.offerQuery("query 1")).isEqualTo(Offer.ACCEPTED);
        assertThat(queue.offerQuery("query 2")).isEqualTo(Offer.ACCEPTED);
        assertThat(queue.offerQuery("query 3")).isEqualTo(Offer.FULL);
        assertThat(queue.waitingQueries()).isEqualTo(2);
        assertThat(queue.waitingIngestion()).isEqualTo(5_000);

        assertThat(queue.next()).isEqualTo("query 1");
        assertThat(queue.offerQuery("query 3")).isEqualTo(Offer.ACCEPTED);
    }

    @Test
    void closingHandsBackEverythingWaitingAndRefusesMore() {
        EmbeddingQueue<String> queue = new EmbeddingQueue<>(8);
        queue.offerIngestion("chapter batch");
        queue.offerQuery("query");

        assertThat(queue.close()).containsExactly("query", "chapter batch");
        assertThat(queue.next()).isNull();
        assertThat(queue.offerQuery("late query")).isEqualTo(Offer.CLOSED);
        assertThat(queue.offerIngestion("late batch")).isEqualTo(Offer.CLOSED);
        assertThat(queue.close()).isEmpty();
    }

    @Test
    void theQueryLineHoldsAtLeastOneQuery() {
        assertThatThrownBy(() -> new EmbeddingQueue<String>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
