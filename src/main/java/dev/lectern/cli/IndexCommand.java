package dev.lectern.cli;

import dev.lectern.index.pipeline.IndexJobService;
import dev.lectern.index.pipeline.IndexJobService.JobView;
import dev.lectern.index.pipeline.IndexWorker;
import dev.lectern.platform.ProblemException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code index rebuild}: the same rebuild as {@code POST /api/v1/admin/index/rebuild}, in the foreground with a progress bar. */
@Command(
        name = "index",
        description = "Semantic index maintenance",
        mixinStandardHelpOptions = true,
        subcommands = IndexCommand.Rebuild.class)
public class IndexCommand {

    @Command(
            name = "rebuild",
            mixinStandardHelpOptions = true,
            description =
                    "Reconcile every chapter's chunks and vectors (reusing stored vectors unless the model changed).")
    public static class Rebuild implements Callable<Integer> {

        @Option(
                names = "--reembed",
                description = "Embed every chunk again even when a vector of the current model is stored")
        boolean reembed;

        @Option(
                names = "--recreate",
                description = "Drop and recreate the vector collection first (removes orphaned points)")
        boolean recreate;

        @Option(names = "--book", paramLabel = "SLUG", description = "Rebuild only this book's chapters")
        String book;

        @Spec
        CommandSpec spec;

        private final IndexJobService jobs;
        private final IndexWorker worker;

        public Rebuild(IndexJobService jobs, IndexWorker worker) {
            this.jobs = jobs;
            this.worker = worker;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            worker.pause(true); // this process does the rebuild, not background outbox work
            JobView created;
            try {
                created = jobs.create(reembed, recreate, book).await().atMost(Duration.ofSeconds(30));
            } catch (ProblemException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return e.status() == 400 ? 2 : 1;
            }
            out.printf("index rebuild %s (model %s)%n", created.id(), created.model());
            JobView done = jobs.run(created.id(), reembed, recreate, book, view -> {
                        out.print("\r"
                                + ProgressBar.render(view.processed(), view.total(), view.rate(), view.etaSeconds()));
                        out.flush();
                    })
                    .await()
                    .indefinitely();
            out.println();
            out.printf(
                    "%s: %d of %d chapters, %d chunks%s%n",
                    done.status(),
                    done.processed(),
                    done.total(),
                    done.chunks(),
                    done.error() == null ? "" : " — " + done.error());
            out.flush();
            return "succeeded".equals(done.status()) ? 0 : 1;
        }
    }
}
