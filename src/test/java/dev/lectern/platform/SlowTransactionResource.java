package dev.lectern.platform;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/**
 * Test-only endpoints: a Hibernate Reactive transaction that stays open for 300 ms, through Lectern's
 * {@link UncancellableTransaction} ({@link ClientDisconnectTest}) and through a plain {@code Panache.withTransaction}
 * ({@link CancelLeakCanaryTest}).
 */
@Path("/api/v1/test-only/slow-transaction")
public class SlowTransactionResource {

    private final SlowTransactions transactions;

    public SlowTransactionResource(SlowTransactions transactions) {
        this.transactions = transactions;
    }

    @POST
    public Uni<String> run() {
        return transactions.slow();
    }

    @POST
    @Path("plain")
    public Uni<String> runPlain() {
        return Panache.withTransaction(SlowTransactions::sleep);
    }

    @ApplicationScoped
    public static class SlowTransactions {

        @UncancellableTransaction
        public Uni<String> slow() {
            return sleep();
        }

        static Uni<String> sleep() {
            // The wait is in the database, so the pipeline stays on the request's event loop as Hibernate Reactive
            // needs.
            return Panache.getSession()
                    .chain(session -> session.createNativeQuery("SELECT 1 FROM pg_sleep(0.3)", Integer.class)
                            .getSingleResult())
                    .map(one -> "done");
        }
    }
}
