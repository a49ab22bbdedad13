package dev.lectern.catalogue.curriculum;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class OutcomeRepository implements PanacheRepositoryBase<Outcome, UUID> {

    public Uni<List<Outcome>> pageAfter(UUID frameworkId, UUID subjectId, String afterCode, int limit) {
        String subjectFilter = subjectId == null ? "" : " and subjectId = :subject";
        String after = afterCode == null ? "" : " and code > :after";
        var params = io.quarkus.panache.common.Parameters.with("framework", frameworkId);
        if (subjectId != null) {
            params.and("subject", subjectId);
        }
        if (afterCode != null) {
            params.and("after", afterCode);
        }
        return find("frameworkId = :framework" + subjectFilter + after + " order by code", params)
                .range(0, limit)
                .list();
    }

    /** Candidates for outcome references: plain codes ("ROS.COMM.1") or framework-qualified ("ros/ROS.COMM.1"). */
    public Uni<List<Object[]>> candidates(List<String> codes) {
        return getSession()
                .chain(s -> s.createSelectionQuery("""
                select o, f.code, f.isDefault from Outcome o, CurriculumFramework f
                where o.frameworkId = f.id and (o.code in ?1 or concat(f.code, '/', o.code) in ?1)""", Object[].class)
                        .setParameter(1, codes)
                        .getResultList());
    }
}
