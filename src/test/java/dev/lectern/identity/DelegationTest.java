package dev.lectern.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lectern.platform.ProblemException;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The delegation rules with configurations the running test service does not have. */
class DelegationTest {

    @Test
    void whomeverTheServiceMayActForItActsOnlyAsALearner() {
        Delegation widened = delegation(Set.of(Roles.LEARNER, Roles.AUTHOR, Roles.ADMIN), false, false);
        assertThat(widened.rolesActingFor(Set.of(Roles.LEARNER, Roles.AUTHOR, Roles.ADMIN)))
                .containsExactly(Roles.LEARNER);
        assertThat(widened.rolesActingFor(Set.of(Roles.AUTHOR))).isEmpty();
    }

    @Test
    void byDefaultOnlyPlainLearnersCanBeActedFor() {
        Delegation defaults = delegation(Set.of(Roles.LEARNER), false, false);
        assertThat(defaults.rolesActingFor(Set.of(Roles.LEARNER))).containsExactly(Roles.LEARNER);
        for (Set<String> roles : Set.of(
                Set.of(Roles.LEARNER, Roles.AUTHOR), Set.of(Roles.ADMIN), Set.of(Roles.SERVICE, Roles.LEARNER))) {
            assertThatThrownBy(() -> defaults.rolesActingFor(roles))
                    .as(roles.toString())
                    .isInstanceOfSatisfying(
                            ProblemException.class, e -> assertThat(e.status()).isEqualTo(403));
        }
    }

    @Test
    void keyCreationAndErasureByADelegateOnlyWhenConfigured() {
        Caller delegate = new Caller(UUID.randomUUID(), UUID.randomUUID(), Set.of(Roles.LEARNER), null);
        Caller self = new Caller(UUID.randomUUID(), null, Set.of(Roles.LEARNER), null);
        Delegation strict = delegation(Set.of(Roles.LEARNER), false, false);
        assertThatThrownBy(() -> strict.checkMayCreateKeys(delegate)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> strict.checkMayErase(delegate)).isInstanceOf(ProblemException.class);
        strict.checkMayCreateKeys(self);
        strict.checkMayErase(self);
        Delegation permissive = delegation(Set.of(Roles.LEARNER), true, true);
        permissive.checkMayCreateKeys(delegate);
        permissive.checkMayErase(delegate);
    }

    private static Delegation delegation(Set<String> users, boolean createKeys, boolean erase) {
        return new Delegation(new AuthConfig.DelegationConfig() {
            @Override
            public Set<String> users() {
                return users;
            }

            @Override
            public boolean createKeys() {
                return createKeys;
            }

            @Override
            public boolean erase() {
                return erase;
            }
        });
    }
}
