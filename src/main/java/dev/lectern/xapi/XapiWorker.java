package dev.lectern.xapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lectern.platform.BackgroundRuns;
import dev.lectern.platform.Backoff;
import dev.lectern.platform.OutboxGauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sends queued xAPI statements to the Learning Record Store from every replica: batches are claimed with
 * {@code FOR UPDATE SKIP LOCKED} and a lease, so replicas share the work without a coordinator (at-least-once; the
 * statement ids make a repeat harmless). What the LRS answers decides each statement's fate:
 * <ul>
 * <li>2xx: delivered;</li>
 * <li>400, 409 or 413 for a batch: something in it is refused, so the batch is split in halves and each sent again,
 * down to single statements. One statement answered 409 is one the LRS already holds (an earlier attempt that timed
 * out after storing it): delivered. One answered 400 or 413 is parked as rejected, logged and counted, so a bad
 * statement never blocks the queue;</li>
 * <li>anything else (5xx, 429, 401/403 of a wrong password, a timeout, a refused connection): the batch waits with
 * exponential backoff and is sent again until the LRS takes it.</li>
 * </ul>
 */
@ApplicationScoped
public class XapiWorker {

    private static final Logger LOG = Logger.getLogger(XapiWorker.class);
    private static final int MAX_CLAIMS_PER_RUN = 100;

    private final XapiStore store;
    private final LrsClient lrs;
    private final XapiStatements statements;
    private final XapiConfig config;
    private final BackgroundRuns runs = new BackgroundRuns();
    private final OutboxGauges gauges;
    private final Counter delivered;
    private final Counter rejected;
    private final Counter failed;

    public XapiWorker(XapiStore store, LrsClient lrs, XapiConfig config, MeterRegistry registry) {
        this.store = store;
        this.lrs = lrs;
        this.config = config;
        this.statements = XapiStatements.of(config);
        this.delivered = Counter.builder("lectern.xapi.statements")
                .tag("outcome", "delivered")
                .description("xAPI statements the LRS took (or already held)")
                .register(registry);
        this.rejected = Counter.builder("lectern.xapi.statements")
                .tag("outcome", "rejected")
                .description("xAPI statements the LRS refused with 400 or 413: parked, never sent again")
                .register(registry);
        this.failed = Counter.builder("lectern.xapi.batches.failed")
                .description("Batches that failed (5xx, timeout, connection) and wait to be sent again")
                .register(registry);
        this.gauges = new OutboxGauges(
                registry,
                "lectern.xapi",
                "xAPI statements waiting to be sent",
                "Age of the oldest waiting xAPI statement");
    }

    /**
     * Refuses to start with a base or home page that is not an absolute http(s) URL: every statement built from it
     * would be refused by the LRS and parked.
     */
    void onStart(@Observes StartupEvent event) {
        if (!config.on() && !lrs.configured()) {
            return;
        }
        requireUrl("LECTERN_XAPI_ACTIVITY_BASE", config.activityBase());
        config.accountHomePage().ifPresent(page -> requireUrl("LECTERN_XAPI_ACCOUNT_HOME_PAGE", page));
        config.endpoint().filter(e -> !e.isBlank()).ifPresent(e -> requireUrl("LECTERN_XAPI_ENDPOINT", e));
        if (!lrs.configured()) {
            LOG.warn(
                    "xAPI is on without LECTERN_XAPI_ENDPOINT: statements are recorded and stay queued until one is set");
        }
        if (config.activityBase().startsWith("http://localhost")) {
            LOG.warnf(
                    "xAPI activity ids start with %s: set LECTERN_XAPI_ACTIVITY_BASE to the service's public URL",
                    config.activityBase());
        }
    }

    static void requireUrl(String setting, String value) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(setting + " is not a URL: " + value);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalStateException(setting + " must be an absolute http(s) URL, not " + value);
        }
    }

    @Scheduled(
            every = "${lectern.xapi.poll-every}",
            delayed = "${lectern.xapi.start-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!lrs.configured()) {
            return Uni.createFrom().voidItem();
        }
        return runs.scheduled(() -> drain().replaceWithVoid().chain(this::refreshGauges), LOG, "xAPI outbox run");
    }

    /** Runs before the pool closes: no new batch is claimed; one in flight finishes or returns after its lease. */
    void onShutdown(@Observes ShutdownEvent event) {
        runs.stopAndAwait(
                Duration.ofSeconds(10),
                LOG,
                "xAPI statements still being sent at shutdown; they return to the queue when their lease ends");
    }

    /** Sends due statements, batch after batch, until none is due or a run's budget is spent; answers batches sent. */
    public Uni<Integer> drain() {
        if (!lrs.configured()) {
            return Uni.createFrom().item(0);
        }
        return runs.claims(() -> store.claim(Math.max(1, config.batchSize()), config.lease()), MAX_CLAIMS_PER_RUN)
                .onItem()
                .transformToUniAndConcatenate(this::send)
                .collect()
                .with(java.util.stream.Collectors.counting())
                .map(Long::intValue);
    }

    private Uni<Void> send(List<XapiStore.Stored> batch) {
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        batch.forEach(s -> body.add(statements.render(s.facts())));
        List<UUID> ids = batch.stream().map(s -> s.facts().id()).toList();
        return lrs.post(body)
                .onFailure()
                .recoverWithItem(e -> new LrsClient.Answer(0, e.toString()))
                .chain(answer -> outcome(batch, ids, answer));
    }

    private Uni<Void> outcome(List<XapiStore.Stored> batch, List<UUID> ids, LrsClient.Answer answer) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return store.delivered(ids, config.retention()).invoke(() -> delivered.increment(ids.size()));
        }
        boolean refused = status == 400 || status == 409 || status == 413;
        if (refused && batch.size() > 1) {
            int half = batch.size() / 2;
            return send(batch.subList(0, half)).chain(() -> send(batch.subList(half, batch.size())));
        }
        if (status == 409) {
            return store.delivered(ids, config.retention()).invoke(() -> delivered.increment());
        }
        String error = (status == 0 ? "" : "HTTP " + status + ": ") + answer.body();
        if (refused) {
            LOG.warnf("the LRS refused xAPI statement %s, which is parked as rejected: %s", ids.get(0), error);
            return store.rejected(ids.get(0), config.retention(), error).invoke(() -> rejected.increment());
        }
        int attempts = batch.stream().mapToInt(XapiStore.Stored::attempts).max().orElse(1);
        Duration backoff = Backoff.exponential(attempts, config.maxBackoff());
        LOG.warnf(
                "sending %d xAPI statements failed (attempt %d), retrying in %s: %s",
                ids.size(), attempts, backoff, error);
        failed.increment();
        return store.retryLater(ids, backoff, error);
    }

    private Uni<Void> refreshGauges() {
        return gauges.refresh(store.depthAndLag());
    }
}
