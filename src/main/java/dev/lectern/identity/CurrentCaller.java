package dev.lectern.identity;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.function.Supplier;

/**
 * The {@link Caller} of the current request, resolved once per request. Injected into resources (which are
 * singletons: this is a request-scoped proxy) in place of the {@link SecurityIdentity}.
 */
@RequestScoped
public class CurrentCaller implements Supplier<Caller> {

    private final SecurityIdentity identity;
    private Caller caller;

    public CurrentCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    @Override
    public Caller get() {
        if (caller == null) {
            caller = Caller.of(identity);
        }
        return caller;
    }
}
