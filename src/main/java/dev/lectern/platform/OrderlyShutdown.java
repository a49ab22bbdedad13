package dev.lectern.platform;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * Makes SIGTERM (and SIGINT) stop the application before the JVM runs its shutdown hooks, not alongside them.
 *
 * <p>By default a JVM answers SIGTERM by starting every registered shutdown hook at once, in no order. Quarkus' graceful
 * shutdown is one of them (readiness down, the shutdown delay, in-flight requests, then beans are destroyed), and it
 * takes seconds by design. ONNX Runtime registers another ({@code OrtEnvironment$OrtEnvCloser}) that frees the native
 * environment at once: any model load or inference still running on the embedding threads, or started by a search
 * served during the shutdown delay, then runs on freed memory and the JVM dies with SIGSEGV in
 * {@code libonnxruntime.so}. Handling the signal here asks Quarkus for an ordinary exit instead: the application stops
 * gracefully first (the embedder waits for its running work and closes its session, see {@code OnnxEmbedder#close}),
 * and only then does the JVM exit and run the libraries' hooks. The exit status stays the one a signalled JVM reports
 * (128 + the signal number: 143 for SIGTERM).
 *
 * <p>Only in a normal run: dev mode and tests manage their own lifecycle.
 *
 * <p>In every run, the scheduler is paused when shutdown begins. Left running, it fires jobs until the application
 * context is destroyed, and a job it hands to the event loop at that moment runs after the beans are gone: the client
 * proxy then creates a new job bean (one that never saw the shutdown, so its "stopping" guard is down), which starts
 * an index run against a dying container and fails with "No CDI container is available".
 */
@ApplicationScoped
public class OrderlyShutdown {

    private static final Logger LOG = Logger.getLogger(OrderlyShutdown.class);
    private static final String[] SIGNALS = {"TERM", "INT"};

    private final Scheduler scheduler;

    public OrderlyShutdown(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** First of the shutdown observers, before the jobs' own wait for their run in flight. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        scheduler.pause();
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    LOG.infof("SIG%s received: stopping", signal.getName());
                    Quarkus.asyncExit(128 + signal.getNumber());
                });
            } catch (IllegalArgumentException e) {
                // The platform does not know the signal, or the JVM reserves it (-Xrs): keep the JVM's default.
                LOG.debugf("cannot handle SIG%s: %s", name, e.getMessage());
            }
        }
    }
}
