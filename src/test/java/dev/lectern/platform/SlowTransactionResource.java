package dev.lectern.platform;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Test-only endpoints: a Hibernate Reactive transaction that stays open for 300 ms, through Lectern's
 * {@link UncancellableTransaction} ({@link ClientDisconnectTest}) and through a plain {@code Panache.withTransaction}
 * ({@link CancelLeakCanaryTest}). Hidden from the OpenAPI document, so that the document tests read is the one clients
 * get.
 */
@Path("/api/v1/test-only/slow-transaction")
public class SlowTransactionResource {

    private final SlowTransactions transactions;

    public SlowTransactionResource(SlowTransactions transactions) {
        this.transactions = transactions;
    }

    @POST
    @Operation(hidden = true)
    public Uni<String> run() {
        return transactions.slow();
    }

    @POST
    @Path("plain")
    @Operation(hidden = true)
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
