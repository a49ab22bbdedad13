package dev.lectern.catalogue.importing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The real Docusaurus books of src/test/resources/corpora (MIT-licensed; see their README), zipped the way a user
 * would zip them: the folder holding sidebars.js and the docs folder, under the folder's own name.
 */
public final class CorpusZips {

    public static final Path CORPORA = Path.of("src", "test", "resources", "corpora");

    private CorpusZips() {}

    public static byte[] zip(String corpus) {
        Path root = CORPORA.resolve(corpus);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes);
                Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(
                        corpus + "/" + root.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static List<String> corpora() {
        return List.of("redux-docs", "tech-interview-handbook");
    }
}
