package dev.lectern.catalogue.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.catalogue.content.MarkdownChapterParser;
import dev.lectern.catalogue.content.ParsedChapter;
import dev.lectern.platform.ProblemException;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The importer's reading of a Docusaurus docs folder: which files are pages, their order, slugs and text. */
class DocsFolderTest {

    private static final Pattern SLUG = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    private final MarkdownChapterParser parser = new MarkdownChapterParser();

    private static DocsFolder.Layout read(Map<String, String> files) {
        return DocsFolder.read(new ByteArrayInputStream(CatalogueFixtures.zip(files)), 1000, 1 << 24);
    }

    private static DocsFolder.Layout corpus(String name) {
        return DocsFolder.read(new ByteArrayInputStream(CorpusZips.zip(name)), 5000, 64L << 20);
    }

    private static String page(String title) {
        return "---\ntitle: " + title + "\n---\n\nText of " + title + ".\n";
    }

    @Test
    void reduxDocsFollowsItsSidebarAndLeavesOutThePartialAndTheUnlistedPage() {
        DocsFolder.Layout layout = corpus("redux-docs");

        assertThat(layout.order()).isEqualTo("the sidebar in redux-docs/sidebars.js");
        assertThat(layout.docs()).hasSize(84);
        assertThat(layout.docs())
                .extracting(DocsFolder.DocFile::sourcePath)
                .startsWith("introduction/GettingStarted.md", "introduction/Installation.md");
        assertThat(layout.docs().get(83).sourcePath()).isEqualTo("redux-toolkit/overview.md");
        assertThat(layout.skipped())
                .extracting(DocsFolder.Skipped::path)
                .containsExactly(
                        "redux-docs/docs/components/_FundamentalsWarning.mdx",
                        "redux-docs/docs/introduction/README.md");
        assertThat(layout.docs())
                .filteredOn(d -> d.sourcePath().equals("tutorials/fundamentals/part-5-ui-and-react.md"))
                .extracting(DocsFolder.DocFile::slug)
                .containsExactly("part-5-ui-react");
    }

    @Test
    void theHandbookKeepsItsSidebarOrderAndSkipsPartialsAndPagesNoSidebarLists() {
        DocsFolder.Layout layout = corpus("tech-interview-handbook");

        assertThat(layout.docs()).hasSize(46);
        assertThat(layout.docs().get(0).sourcePath()).isEqualTo("software-engineering-interview-guide.md");
        assertThat(layout.skipped())
                .extracting(DocsFolder.Skipped::path)
                .containsExactly(
                        "tech-interview-handbook/contents/_courses/AlgorithmCourses.md",
                        "tech-interview-handbook/contents/algorithms/__template__.md",
                        "tech-interview-handbook/contents/algorithms/oop.md",
                        "tech-interview-handbook/contents/resume-old.md");
    }

    @Test
    void everyPageOfBothBooksBecomesAChapterWithAValidShortUniqueSlugAndNoMdxLeftInItsText() {
        for (String name : CorpusZips.corpora()) {
            List<DocsFolder.DocFile> docs = corpus(name).docs();
            assertThat(docs)
                    .extracting(DocsFolder.DocFile::slug)
                    .doesNotHaveDuplicates()
                    .allSatisfy(slug -> {
                        assertThat(slug).matches(SLUG).hasSizeLessThanOrEqualTo(100);
                    });
            for (DocsFolder.DocFile doc : docs) {
                ParsedChapter chapter = parser.parse(doc.markdown());
                assertThat(chapter.sections()).as(doc.sourcePath()).isNotEmpty();
                String prose = doc.markdown().replaceAll("(?s)```.*?```", "").replaceAll("`[^`\n]*`", "");
                assertThat(prose)
                        .as(doc.sourcePath())
                        .doesNotContainPattern("(?m)^(import|export) ")
                        .doesNotContainPattern("<[A-Z][A-Za-z]*[ />]")
                        .doesNotContain("{/*")
                        .doesNotContainPattern("(?m)^\\s*:::")
                        .doesNotContain("<head>")
                        .doesNotContain("<!--");
                assertThat(doc.markdown()).as(doc.sourcePath()).doesNotContain("highlight-next-line");
            }
        }
    }

    @Test
    void aPageOfQuestionsUnderOneWrappingHeadingGetsASectionPerQuestion() {
        DocsFolder.DocFile reducers = corpus("redux-docs").docs().stream()
                .filter(d -> d.sourcePath().equals("faq/Reducers.md"))
                .findFirst()
                .orElseThrow();

        assertThat(parser.parse(reducers.markdown()).sections())
                .extracting(ParsedChapter.Section::title)
                .containsExactly(
                        "How do I share state between two reducers? Do I have to use combineReducers?",
                        "Do I have to use the switch statement to handle actions?");
    }

    @Test
    void withoutASidebarPagesFollowDocusaurusAutogeneratedOrder() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("book/docs/zeta.md", page("Zeta"));
        files.put("book/docs/page-10.md", page("Ten"));
        files.put("book/docs/page-2.md", page("Two"));
        files.put("book/docs/first.md", "---\ntitle: First\nsidebar_position: 1\n---\n\nx\n");
        files.put("book/docs/02-guides/index.md", page("Guides"));
        files.put("book/docs/02-guides/b.md", page("B"));
        files.put("book/docs/02-guides/a.md", page("A"));
        files.put("book/docs/01-basics/_category_.yml", "label: Basics\nposition: 2\n");
        files.put("book/docs/01-basics/setup.md", page("Setup"));

        DocsFolder.Layout layout = read(files);

        assertThat(layout.order()).isEqualTo("Docusaurus' autogenerated order");
        // Positioned first (page 1, then the Basics category at 2), then by name with numbers as numbers.
        assertThat(layout.docs())
                .extracting(DocsFolder.DocFile::sourcePath)
                .containsExactly(
                        "first.md",
                        "01-basics/setup.md",
                        "02-guides/index.md",
                        "02-guides/a.md",
                        "02-guides/b.md",
                        "page-2.md",
                        "page-10.md",
                        "zeta.md");
        assertThat(layout.docs())
                .extracting(DocsFolder.DocFile::slug)
                .containsExactly("first", "setup", "guides", "a", "b", "page-2", "page-10", "zeta");
    }

    @Test
    void partialsAndFilesOutsideTheDocsFolderAreSkippedAndSaySo() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("sidebars.js", "module.exports = {docs: ['intro']};");
        files.put("README.md", "# The repository\n");
        files.put("docs/intro.md", page("Intro"));
        files.put("docs/_partial.mdx", "Shared text.\n");
        files.put("docs/_snippets/note.md", "A note.\n");
        files.put("docs/img/logo.png", "png");

        DocsFolder.Layout layout = read(files);

        assertThat(layout.docs()).extracting(DocsFolder.DocFile::sourcePath).containsExactly("intro.md");
        assertThat(layout.skipped())
                .extracting(DocsFolder.Skipped::path, DocsFolder.Skipped::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("README.md", "outside the docs folder 'docs/'"),
                        org.assertj.core.groups.Tuple.tuple(
                                "docs/_partial.mdx", "a partial (its name or a folder's starts with '_'), not a page"),
                        org.assertj.core.groups.Tuple.tuple(
                                "docs/_snippets/note.md",
                                "a partial (its name or a folder's starts with '_'), not a page"));
    }

    /**
     * A page whose path PostgreSQL cannot keep as the chapter's source path (a NUL, more than the 1,000 characters of
     * chapters_source_path_check) is skipped and says why; it reached the database and failed there.
     */
    @Test
    void pagesWhosePathCannotBeStoredAreSkippedAndSaySo() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("docs/intro.md", page("Intro"));
        files.put("docs/a\u0000b.md", page("Nul"));
        files.put("docs/" + "n".repeat(1_000) + ".md", page("Long"));

        DocsFolder.Layout layout = read(files);

        assertThat(layout.docs()).extracting(DocsFolder.DocFile::sourcePath).containsExactly("intro.md");
        assertThat(layout.skipped())
                .extracting(DocsFolder.Skipped::reason)
                .containsExactlyInAnyOrder(
                        "its path must not contain NUL (U+0000)", "its path is longer than 1000 characters");
    }

    @Test
    void sidebarItemsOfEveryKindAndFrontMatterIdsAndSlugsAreHonoured() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("website/sidebars.ts", """
                import type {SidebarsConfig} from '@docusaurus/plugin-content-docs';
                // The book.
                const sidebars: SidebarsConfig = {
                  book: [
                    {type: 'doc', id: 'start', label: 'Start here'},
                    {type: 'category', label: 'Guides', link: {type: 'doc', id: 'guides/overview'},
                     items: [{type: 'autogenerated', dirName: 'guides'}]},
                    {type: 'link', label: 'Site', href: 'https://example.org'},
                    {'Reference': ['reference/api', `reference/cli`,]},
                  ],
                };
                export default sidebars;
                """);
        files.put("website/docs/01-start.md", "---\nid: start\n---\n\nNo title here.\n");
        files.put("website/docs/guides/overview.md", page("Overview"));
        files.put("website/docs/guides/2-two.md", page("Two"));
        files.put("website/docs/guides/1-one.md", page("One"));
        files.put("website/docs/reference/api.md", "---\ntitle: API\nslug: /reference/the-api\n---\n\nx\n");
        files.put("website/docs/reference/cli.md", "---\nid: cli\ntitle: CLI\n---\n\nx\n");

        DocsFolder.Layout layout = read(files);

        assertThat(layout.order()).isEqualTo("the sidebar in website/sidebars.ts");
        assertThat(layout.docs())
                .extracting(DocsFolder.DocFile::sourcePath)
                .containsExactly(
                        "01-start.md",
                        "guides/overview.md",
                        "guides/1-one.md",
                        "guides/2-two.md",
                        "reference/api.md",
                        "reference/cli.md");
        assertThat(layout.docs())
                .extracting(DocsFolder.DocFile::slug)
                .containsExactly("start", "overview", "one", "two", "the-api", "cli");
        // A page without title or '# ' heading takes its sidebar label.
        assertThat(parser.parse(layout.docs().get(0).markdown()).title()).isEqualTo("Start here");
    }

    @Test
    void slugsAreShortUniqueAndNeverCutInsideAWord() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("docs/a/setup.md", page("A setup"));
        files.put("docs/b/setup.md", page("B setup"));
        files.put("docs/c.md", page("C"));
        String longName =
                "a-very-long-page-name-that-goes-on-and-on-about-robots-and-sensors-and-motors-and-more-words-still-and-then-some";
        files.put("docs/" + longName + "-x.md", page("Long"));

        List<String> slugs =
                read(files).docs().stream().map(DocsFolder.DocFile::slug).toList();

        assertThat(slugs).contains("a-setup", "b-setup", "c");
        String cut =
                slugs.stream().filter(s -> s.startsWith("a-very")).findFirst().orElseThrow();
        assertThat(cut).hasSizeLessThanOrEqualTo(100).matches(SLUG);
        assertThat(longName + "-x").startsWith(cut + "-");
    }

    @Test
    void anUnreadableSidebarFallsBackToTheAutogeneratedOrderAndSaysWhy() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("sidebars.js", "module.exports = require('./generated-sidebar')(process.env);");
        files.put("docs/b.md", page("B"));
        files.put("docs/a.md", page("A"));

        DocsFolder.Layout layout = read(files);

        assertThat(layout.order()).contains("autogenerated").contains("sidebars.js could not be read");
        assertThat(layout.docs()).extracting(DocsFolder.DocFile::slug).containsExactly("a", "b");
    }

    @Test
    void anArchiveOfOnlyPartialsIsRefused() {
        assertThatThrownBy(() -> read(Map.of("docs/_only.md", "x")))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("no page");
    }
}
