package dev.lectern.studymaterial;

import dev.lectern.catalogue.variants.VariantService;
import dev.lectern.identity.ExportContributor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The "generated" section of a user's GDPR export: generated study material, and the personalised chapters the
 * catalogue keeps for the user (generated for them too, so the section has held both from the start).
 */
@ApplicationScoped
public class StudyMaterialExport implements ExportContributor {

    private final StudyMaterialService generated;
    private final VariantService variants;

    public StudyMaterialExport(StudyMaterialService generated, VariantService variants) {
        this.generated = generated;
        this.variants = variants;
    }

    @Override
    public String section() {
        return "generated";
    }

    @Override
    public Uni<Object> export(UUID userId, boolean drafts) {
        return generated
                .export(userId)
                .chain(material -> variants.personalizedOf(userId).map(personalized -> {
                    Map<String, Object> section = new LinkedHashMap<>();
                    section.put("material", material);
                    section.put("personalizedChapters", personalized);
                    return section;
                }));
    }
}
