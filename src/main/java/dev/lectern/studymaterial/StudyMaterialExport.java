package dev.lectern.studymaterial;

import dev.lectern.identity.ExportContributor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The generated section of a user's GDPR export: generated material and personalised chapters. */
@ApplicationScoped
public class StudyMaterialExport implements ExportContributor {

    private final StudyMaterialService generated;
    private final Pool pool;

    public StudyMaterialExport(StudyMaterialService generated, Pool pool) {
        this.generated = generated;
        this.pool = pool;
    }

    @Override
    public String section() {
        return "generated";
    }

    @Override
    public Uni<Object> export(UUID userId) {
        return generated
                .export(userId)
                .chain(material -> pool.preparedQuery(
                                "SELECT chapter_id, body, source_content_hash, model, expires_at, updated_at FROM personalized_content WHERE user_id = $1")
                        .execute(Tuple.of(userId))
                        .map(rows -> {
                            List<Object> personalized = new ArrayList<>();
                            rows.forEach(r -> personalized.add(r.toJson().getMap()));
                            Map<String, Object> section = new LinkedHashMap<>();
                            section.put("material", material);
                            section.put("personalizedChapters", personalized);
                            return section;
                        }));
    }
}
