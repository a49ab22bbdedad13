package dev.lectern.identity;

import java.util.Set;

/** The four roles of Lectern. Content writes need author or admin; a service may act for a user. */
public final class Roles {

    public static final String LEARNER = "learner";
    public static final String AUTHOR = "author";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";
    public static final Set<String> ALL = Set.of(LEARNER, AUTHOR, ADMIN, SERVICE);

    private Roles() {}
}
