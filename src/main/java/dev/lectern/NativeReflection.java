package dev.lectern;

import dev.lectern.catalogue.content.BookViews;
import dev.lectern.catalogue.content.ChapterViews;
import dev.lectern.catalogue.curriculum.FrameworkViews;
import dev.lectern.catalogue.importing.ImportViews;
import dev.lectern.catalogue.variants.VariantService;
import dev.lectern.conversations.ConversationViews;
import dev.lectern.identity.IdentityViews;
import dev.lectern.index.pipeline.IndexJobService;
import dev.lectern.index.search.SearchViews;
import dev.lectern.operations.AdminStatsResource;
import dev.lectern.platform.Page;
import dev.lectern.platform.Problem;
import dev.lectern.progress.reading.ReadingProgressViews;
import dev.lectern.progress.review.ReviewViews;
import dev.lectern.progress.study.EnrolmentViews;
import dev.lectern.progress.study.SessionViews;
import dev.lectern.progress.study.TaskViews;
import dev.lectern.studymaterial.StudyMaterialViews;
import dev.lectern.xapi.XapiViews;
import io.modelcontextprotocol.spec.McpSchema;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.JsonWithInt;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.QdrantOuterClass;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reflection registrations for the native image ({@code ./mvnw package -Dnative}); no effect on the JVM.
 *
 * <p>Quarkus registers the types it sees in resource method signatures, but most resources return
 * {@code Uni<Response>}, whose entity type it cannot see; Jackson then needs reflection on those records. Each
 * {@code *Views} class is registered with its nested records, and the view and request records that live beside a
 * service on their own. {@code NativeReflectionTest} fails when a new {@code *View}/{@code *Request} record or
 * {@code *Views} class is missing here.
 *
 * <p>The Qdrant client's protobuf messages (nested in these outer classes) use reflection for their field accessor
 * tables ({@code toString}, {@code JsonFormat}); Quarkus' gRPC extension would register them, but the Qdrant client
 * brings its own grpc-java.
 *
 * <p>The MCP SDK's {@code McpSchema} records and the MCP tools' argument records are bound by Jackson too; the native
 * image is configured but not built here, so these are untested.
 */
@RegisterForReflection(
        targets = {
            Problem.class,
            Page.class,
            BookViews.class,
            ChapterViews.class,
            FrameworkViews.class,
            ImportViews.class,
            ConversationViews.class,
            StudyMaterialViews.class,
            AdminStatsResource.StatsView.class,
            VariantService.PersonalizedView.class,
            VariantService.PutPersonalizedRequest.class,
            VariantService.TranslationView.class,
            VariantService.PutTranslationRequest.class,
            IdentityViews.class,
            ReadingProgressViews.class,
            ReviewViews.class,
            TaskViews.class,
            EnrolmentViews.class,
            SessionViews.class,
            XapiViews.class,
            SearchViews.class,
            SearchViews.SearchRequest.class,
            SearchViews.ContextRequest.class,
            IndexJobService.JobView.class,
            dev.lectern.progress.review.ReviewFitService.FitJobView.class,
            Points.class,
            Collections.class,
            Common.class,
            JsonWithInt.class,
            QdrantOuterClass.class,
            // The MCP SDK's protocol records, read and written by Jackson.
            McpSchema.class
        },
        // The MCP tools' argument records, bound by Jackson (package-private, so named).
        classNames = {"dev.lectern.mcp.CatalogueTools", "dev.lectern.mcp.SearchTools", "dev.lectern.mcp.LearnerTools"})
public final class NativeReflection {

    private NativeReflection() {}
}
