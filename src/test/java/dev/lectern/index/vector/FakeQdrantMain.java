package dev.lectern.index.vector;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the in-test {@link FakeQdrantServer} as a process of its own, so a packaged service can be pointed at it
 * ({@code QDRANT_URL}) for the search-latency benchmark: {@code bench/fake-qdrant.sh [api-key]}. Prints
 * {@code FAKE_QDRANT_URL=...} and serves until the process is stopped. It is an exact-scan Java server, not Qdrant.
 */
public final class FakeQdrantMain {

    private FakeQdrantMain() {}

    public static void main(String[] args) throws InterruptedException {
        String apiKey = args.length > 0 ? args[0] : System.getenv("QDRANT_API_KEY");
        FakeQdrantServer fake = FakeQdrantServer.start(apiKey);
        Runtime.getRuntime().addShutdownHook(new Thread(fake::close));
        System.out.println("FAKE_QDRANT_URL=" + fake.url());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
