package dev.lectern.catalogue.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lectern.platform.Problem;
import dev.lectern.platform.ProblemException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownChapterParserTest {

    private final MarkdownChapterParser parser = new MarkdownChapterParser();

    // --- front matter ------------------------------------------------------------------------------------

    @Test
    void frontMatterFieldsAreRead() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: Linear equations
                number: 3
                difficulty: intermediate
                summary: Solving equations in one unknown.
                author: Ada Lovelace
                slug: linear-equations
                published: true
                outcomes:
                  - Solve a linear equation
                  - Check a solution by substitution
                ---

                Equations balance.
                """);

        assertThat(chapter.title()).isEqualTo("Linear equations");
        assertThat(chapter.number()).isEqualTo(3);
        assertThat(chapter.difficulty()).isEqualTo(Difficulty.INTERMEDIATE);
        assertThat(chapter.summary()).isEqualTo("Solving equations in one unknown.");
        assertThat(chapter.author()).isEqualTo("Ada Lovelace");
        assertThat(chapter.slug()).isEqualTo("linear-equations");
        assertThat(chapter.published()).isTrue();
        assertThat(chapter.outcomes()).containsExactly("Solve a linear equation", "Check a solution by substitution");
    }

    @Test
    void absentOptionalFieldsAreNull() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: Bare
                ---

                Text.
                """);

        assertThat(chapter.number()).isNull();
        assertThat(chapter.difficulty()).isNull();
        assertThat(chapter.summary()).isNull();
        assertThat(chapter.author()).isNull();
        assertThat(chapter.published()).isNull();
        assertThat(chapter.slug()).isNull();
        assertThat(chapter.outcomes()).isEmpty();
    }

    @Test
    void sidebarPositionIsTheNumberWhenNumberIsAbsent() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                sidebar_position: 4
                ---

                Text.
                """);

        assertThat(chapter.number()).isEqualTo(4);
    }

    @Test
    void numberWinsOverSidebarPosition() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                number: 2
                sidebar_position: 9
                ---

                Text.
                """);

        assertThat(chapter.number()).isEqualTo(2);
    }

    @Test
    void descriptionIsTheSummaryWhenSummaryIsAbsent() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                description: What this chapter covers.
                ---

                Text.
                """);

        assertThat(chapter.summary()).isEqualTo("What this chapter covers.");
    }

    @Test
    void summaryWinsOverDescription() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                summary: The summary.
                description: The description.
                ---

                Text.
                """);

        assertThat(chapter.summary()).isEqualTo("The summary.");
    }

    @Test
    void draftTrueMeansNotPublished() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                draft: true
                ---

                Text.
                """);

        assertThat(chapter.published()).isFalse();
    }

    @Test
    void draftFalseMeansPublished() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                draft: false
                ---

                Text.
                """);

        assertThat(chapter.published()).isTrue();
    }

    @Test
    void explicitPublishedWinsOverDraft() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                draft: true
                published: true
                ---

                Text.
                """);

        assertThat(chapter.published()).isTrue();
    }

    @Test
    void difficultyIsCaseInsensitive() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                difficulty: Advanced
                ---

                Text.
                """);

        assertThat(chapter.difficulty()).isEqualTo(Difficulty.ADVANCED);
    }

    @Test
    void quotedFrontMatterValuesAreUnquoted() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: "Ratios: part one"
                summary: 'It''s about ratios'
                ---

                Text.
                """);

        assertThat(chapter.title()).isEqualTo("Ratios: part one");
        assertThat(chapter.summary()).isEqualTo("It's about ratios");
    }

    @Test
    void leadingSlashOfADocusaurusSlugIsDropped() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                slug: /fractions
                ---

                Text.
                """);

        assertThat(chapter.slug()).isEqualTo("fractions");
    }

    @Test
    void slugThatIsAPathIsIgnored() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                slug: /maths/fractions
                ---

                Text.
                """);

        assertThat(chapter.slug()).isNull();
    }

    @Test
    void docusaurusIdIsTheSlugWhenSlugIsAbsent() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                id: fractions-intro
                ---

                Text.
                """);

        assertThat(chapter.slug()).isEqualTo("fractions-intro");
    }

    @Test
    void blankAndDuplicateOutcomesAreDropped() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                outcomes:
                  - Add fractions
                  - "  "
                  - Add fractions
                  - Compare fractions
                ---

                Text.
                """);

        assertThat(chapter.outcomes()).containsExactly("Add fractions", "Compare fractions");
    }

    @Test
    void bodyExcludesTheFrontMatter() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                ---

                ## First

                Text.
                """);

        assertThat(chapter.body()).isEqualTo("## First\n\nText.");
    }

    // --- title -------------------------------------------------------------------------------------------

    @Test
    void leadingH1IsTheTitleWhenFrontMatterHasNoneAndIsNotASection() {
        ParsedChapter chapter = parser.parse("""
                # Fractions

                ## Halves

                One of two.
                """);

        assertThat(chapter.title()).isEqualTo("Fractions");
        assertThat(chapter.sections()).extracting(ParsedChapter.Section::title).containsExactly("Halves");
    }

    @Test
    void leadingH1AfterFrontMatterWithoutTitleIsTheTitle() {
        ParsedChapter chapter = parser.parse("""
                ---
                number: 1
                ---

                # Fractions

                Parts of a whole.
                """);

        assertThat(chapter.title()).isEqualTo("Fractions");
        assertThat(chapter.number()).isEqualTo(1);
        assertThat(chapter.sections())
                .singleElement()
                .satisfies(s -> assertThat(s.body()).isEqualTo("Parts of a whole."));
    }

    @Test
    void frontMatterTitleWinsOverLeadingH1WhichIsStillNotASection() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: From front matter
                ---

                # From heading

                Text.
                """);

        assertThat(chapter.title()).isEqualTo("From front matter");
        assertThat(chapter.sections()).extracting(ParsedChapter.Section::title).containsExactly("Introduction");
        assertThat(chapter.sections().get(0).body()).isEqualTo("Text.");
    }

    @Test
    void explicitIdIsStrippedFromAnH1Title() {
        ParsedChapter chapter = parser.parse("""
                # Fractions {#fractions}

                Text.
                """);

        assertThat(chapter.title()).isEqualTo("Fractions");
    }

    // --- sections ----------------------------------------------------------------------------------------

    @Test
    void preambleBeforeTheFirstSectionBecomesAnIntroductionSection() {
        ParsedChapter chapter = parser.parse("""
                # Fractions

                A fraction is part of a whole.

                ## Halves

                One of two.
                """);

        assertThat(chapter.sections())
                .containsExactly(
                        new ParsedChapter.Section(1, "Introduction", "introduction", "A fraction is part of a whole."),
                        new ParsedChapter.Section(2, "Halves", "halves", "One of two."));
    }

    @Test
    void documentWithoutHeadingsIsOneIntroductionSection() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: T
                ---

                Just some prose.

                And more prose.
                """);

        assertThat(chapter.sections())
                .containsExactly(new ParsedChapter.Section(
                        1, "Introduction", "introduction", "Just some prose.\n\nAnd more prose."));
    }

    @Test
    void sectionsAreCutAtLevelTwoHeadingsAndLevelThreeStaysInside() {
        ParsedChapter chapter = parser.parse("""
                # Fractions

                ## Adding

                Common denominators.

                ### Worked example

                1/4 + 2/4 = 3/4

                ## Subtracting

                Same idea.
                """);

        assertThat(chapter.sections())
                .extracting(ParsedChapter.Section::number, ParsedChapter.Section::title)
                .containsExactly(tuple(1, "Adding"), tuple(2, "Subtracting"));
        assertThat(chapter.sections().get(0).body())
                .isEqualTo("Common denominators.\n\n### Worked example\n\n1/4 + 2/4 = 3/4");
        assertThat(chapter.sections().get(1).body()).isEqualTo("Same idea.");
    }

    @Test
    void highestHeadingLevelPresentCutsWhenThereAreNoLevelTwoHeadings() {
        ParsedChapter chapter = parser.parse("""
                # T

                ### First

                a

                #### Deeper

                b

                ### Second

                c
                """);

        assertThat(chapter.sections()).extracting(ParsedChapter.Section::title).containsExactly("First", "Second");
        assertThat(chapter.sections().get(0).body()).isEqualTo("a\n\n#### Deeper\n\nb");
    }

    @Test
    void setextHeadingsAreHeadingsToo() {
        ParsedChapter chapter = parser.parse("""
                Fractions
                =========

                Intro.

                Halves
                ------

                One of two.
                """);

        assertThat(chapter.title()).isEqualTo("Fractions");
        assertThat(chapter.sections())
                .extracting(ParsedChapter.Section::title)
                .containsExactly("Introduction", "Halves");
        assertThat(chapter.sections().get(1).body()).isEqualTo("One of two.");
    }

    @Test
    void hashLineInsideFencedCodeIsNotAHeadingAndCodeIsPreservedByteForByte() {
        String code = "```bash\n"
                + "# install the tools\n"
                + "## not a section either\n"
                + "\tindented\twith tabs   \n"
                + "\n"
                + "echo \"done\"  # trailing comment\n"
                + "```";
        ParsedChapter chapter = parser.parse("# Shell\n\n## Setup\n\nRun this:\n\n" + code + "\n\n## Next\n\nMore.\n");

        assertThat(chapter.sections()).extracting(ParsedChapter.Section::title).containsExactly("Setup", "Next");
        assertThat(chapter.sections().get(0).body()).isEqualTo("Run this:\n\n" + code);
    }

    @Test
    void tildeFencedCodeAtTheEndOfTheDocumentIsPreserved() {
        String code = "~~~python\n# comment\nprint('x')\n~~~";
        ParsedChapter chapter = parser.parse("# T\n\n## Code\n\n" + code + "\n");

        assertThat(chapter.sections())
                .singleElement()
                .satisfies(s -> assertThat(s.body()).isEqualTo(code));
    }

    @Test
    void headingInsideAListItemOrBlockquoteDoesNotCut() {
        ParsedChapter chapter = parser.parse("""
                # T

                ## Steps

                - First step

                  ## Not a section

                > ## Quoted heading
                > quoted text

                ## Done

                End.
                """);

        assertThat(chapter.sections()).extracting(ParsedChapter.Section::title).containsExactly("Steps", "Done");
        assertThat(chapter.sections().get(0).body())
                .contains("## Not a section")
                .contains("> ## Quoted heading");
    }

    @Test
    void explicitAnchorIsUsedAndStrippedFromTheTitle() {
        ParsedChapter chapter = parser.parse("""
                # T

                ## Getting started {#custom-id}

                Text.
                """);

        assertThat(chapter.sections()).singleElement().satisfies(s -> {
            assertThat(s.title()).isEqualTo("Getting started");
            assertThat(s.anchor()).isEqualTo("custom-id");
        });
    }

    @Test
    void duplicateHeadingTitlesGetUniqueAnchors() {
        ParsedChapter chapter = parser.parse("""
                # T

                ## Setup

                a

                ## Setup

                b

                ## Setup

                c
                """);

        assertThat(chapter.sections())
                .extracting(ParsedChapter.Section::anchor)
                .containsExactly("setup", "setup-1", "setup-2");
        assertThat(chapter.sections())
                .extracting(ParsedChapter.Section::title)
                .containsExactly("Setup", "Setup", "Setup");
    }

    @Test
    void aPreambleBeforeAnIntroductionHeadingOpensThatSectionInsteadOfBeingASecondIntroduction() {
        ParsedChapter chapter = parser.parse("""
                # T

                Preamble.

                ## Introduction

                Text.

                ## Next

                More.
                """);

        assertThat(chapter.sections())
                .containsExactly(
                        new ParsedChapter.Section(1, "Introduction", "introduction", "Preamble.\n\nText."),
                        new ParsedChapter.Section(2, "Next", "next", "More."));
    }

    @Test
    void aBylineBeforeTheFirstHeadingOpensTheFirstSectionInsteadOfBecomingAnIntroduction() {
        for (String byline : List.of(
                "*By Jane Doe*",
                "By Jane Doe",
                "Author: Jane Doe | Reading time: 8 min",
                "Last updated 2025-03-01",
                "A 5 min read",
                "Published on March 3, 2025")) {
            ParsedChapter chapter = parser.parse("# T\n\n" + byline + "\n\n## Sensors\n\nLidar and cameras.\n");

            assertThat(chapter.sections())
                    .as(byline)
                    .containsExactly(
                            new ParsedChapter.Section(1, "Sensors", "sensors", byline + "\n\nLidar and cameras."));
        }
    }

    @Test
    void aShortSentenceBeforeTheFirstHeadingIsAnIntroductionEvenIfItSaysBy() {
        for (String intro : List.of(
                "Robots move by turning wheel speeds into motion.",
                "Sensors are written to by drivers.",
                "We update on every tick.")) {
            ParsedChapter chapter = parser.parse("# T\n\n" + intro + "\n\n## Sensors\n\nLidar and cameras.\n");

            assertThat(chapter.sections())
                    .as(intro)
                    .containsExactly(
                            new ParsedChapter.Section(1, "Introduction", "introduction", intro),
                            new ParsedChapter.Section(2, "Sensors", "sensors", "Lidar and cameras."));
        }
    }

    @Test
    void aLoneHeadingThatOpensThePageIsASecondTitleAndTheLevelBelowMakesTheSections() {
        ParsedChapter chapter = parser.parse("""
                ---
                title: Reducers
                ---

                ## Redux FAQ: Reducers

                ### How do I share state?

                Reorganise the tree.

                ### Do I need a switch?

                No.
                """);

        assertThat(chapter.sections())
                .containsExactly(
                        new ParsedChapter.Section(
                                1, "How do I share state?", "how-do-i-share-state", "Reorganise the tree."),
                        new ParsedChapter.Section(2, "Do I need a switch?", "do-i-need-a-switch", "No."));
    }

    @Test
    void aLoneHeadingAfterTextStillMakesASection() {
        ParsedChapter chapter = parser.parse("# T\n\nIntro text here.\n\n## Only\n\n### a\n\nx\n\n### b\n\ny\n");

        assertThat(chapter.sections()).extracting(ParsedChapter.Section::title).containsExactly("Introduction", "Only");
    }

    @Test
    void headingWithoutTextGetsAGeneratedTitleAndAnchor() {
        ParsedChapter chapter = parser.parse("""
                # T

                ## First

                a

                ##

                b
                """);

        assertThat(chapter.sections().get(1)).isEqualTo(new ParsedChapter.Section(2, "Section 2", "section-2", "b"));
    }

    @Test
    void anchorDropsPunctuationAndHyphenatesSpaces() {
        ParsedChapter chapter = parser.parse("""
                # T

                ## What's new in C++?

                a

                ## Use `git init` *now*

                b
                """);

        assertThat(chapter.sections())
                .extracting(ParsedChapter.Section::title, ParsedChapter.Section::anchor)
                .containsExactly(
                        tuple("What's new in C++?", "whats-new-in-c"), tuple("Use git init now", "use-git-init-now"));
    }

    @Test
    void urduHeadingKeepsItsLettersInTheAnchor() {
        ParsedChapter chapter = parser.parse("""
                # اردو

                ## اردو زبان

                متن
                """);

        assertThat(chapter.title()).isEqualTo("اردو");
        assertThat(chapter.sections()).singleElement().satisfies(s -> {
            assertThat(s.title()).isEqualTo("اردو زبان");
            assertThat(s.anchor()).isEqualTo("اردو-زبان");
            assertThat(s.body()).isEqualTo("متن");
        });
    }

    @Test
    void gfmTableIsPreservedVerbatim() {
        String table = """
                | Fraction | Decimal |
                |----------|:-------:|
                | 1/2      | 0.5     |
                | 1/4      | `0.25`  |""";
        ParsedChapter chapter = parser.parse("# T\n\n## Table\n\n" + table + "\n\nAfter.\n");

        assertThat(chapter.sections())
                .singleElement()
                .satisfies(s -> assertThat(s.body()).isEqualTo(table + "\n\nAfter."));
    }

    @Test
    void sectionNumbersAreConsecutiveFromOne() {
        ParsedChapter chapter = parser.parse("""
                # T

                Pre.

                ## A

                a

                ## B

                b
                """);

        assertThat(chapter.sections()).extracting(ParsedChapter.Section::number).containsExactly(1, 2, 3);
    }

    @Test
    void mdxStyleJsxContentDoesNotCrash() {
        String mdx = """
                ---
                title: Installing
                ---

                import Tabs from '@theme/Tabs';
                import TabItem from '@theme/TabItem';

                <Tabs>
                <TabItem value="mac" label="macOS">

                ## On a Mac

                Use brew.

                </TabItem>
                </Tabs>

                <Admonition type="tip">Remember to restart.</Admonition>
                """;

        assertThatCode(() -> parser.parse(mdx)).doesNotThrowAnyException();
        ParsedChapter chapter = parser.parse(mdx);
        assertThat(chapter.title()).isEqualTo("Installing");
        // CommonMark ends an HTML block at a blank line, so the heading inside <TabItem> is a real heading.
        assertThat(chapter.sections())
                .extracting(ParsedChapter.Section::title)
                .containsExactly("Introduction", "On a Mac");
        assertThat(chapter.sections().get(0).body()).contains("import Tabs").contains("<Tabs>");
        assertThat(chapter.sections().get(1).body())
                .contains("Use brew.")
                .contains("</Tabs>")
                .contains("<Admonition");
    }

    // --- content hash ------------------------------------------------------------------------------------

    @Test
    void crlfInputHasTheSameContentHashAndResultAsLfInput() {
        String lf = "---\ntitle: T\n---\n\n# Ignored\n\n## A\n\n```\ncode\n```\n\n## B\n\nText.\n";
        String crlf = lf.replace("\n", "\r\n");

        ParsedChapter fromLf = parser.parse(lf);
        ParsedChapter fromCrlf = parser.parse(crlf);

        assertThat(fromCrlf.contentHash()).isEqualTo(fromLf.contentHash());
        assertThat(fromCrlf).isEqualTo(fromLf);
        assertThat(fromCrlf.body()).doesNotContain("\r");
    }

    @Test
    void byteOrderMarkDoesNotHideTheFrontMatterOrChangeTheHash() {
        String text = "---\ntitle: T\n---\n\nText.\n";

        ParsedChapter withBom = parser.parse("\uFEFF" + text);

        assertThat(withBom.title()).isEqualTo("T");
        assertThat(withBom.contentHash()).isEqualTo(parser.parse(text).contentHash());
    }

    @Test
    void identicalInputGivesIdenticalHash() {
        String text = "# T\n\n## A\n\nText.\n";

        assertThat(parser.parse(text).contentHash())
                .isEqualTo(new MarkdownChapterParser().parse(text).contentHash());
    }

    @Test
    void differentInputGivesDifferentHash() {
        assertThat(parser.parse("# T\n\n## A\n\nText.\n").contentHash())
                .isNotEqualTo(parser.parse("# T\n\n## A\n\nText!\n").contentHash());
    }

    @Test
    void frontMatterChangesAreReflectedInTheHash() {
        assertThat(parser.parse("---\ntitle: T\nnumber: 1\n---\n\nText.\n").contentHash())
                .isNotEqualTo(
                        parser.parse("---\ntitle: T\nnumber: 2\n---\n\nText.\n").contentHash());
    }

    @Test
    void contentHashIsLowerCaseHexSha256() {
        assertThat(parser.parse("# T\n\nText.\n").contentHash()).matches("[0-9a-f]{64}");
    }

    // --- reading time ------------------------------------------------------------------------------------

    @Test
    void readingTimeRoundsUpAt200WordsPerMinute() {
        // 1 word of title + 449 words of prose = 450 words -> 2.25 minutes -> 3.
        ParsedChapter chapter = parser.parse("# Title\n\n" + words(449) + "\n");

        assertThat(chapter.estimatedReadingMinutes()).isEqualTo(3);
    }

    @Test
    void readingTimeOfExactlyTwoHundredWordMultipleIsNotRoundedUp() {
        ParsedChapter chapter = parser.parse("---\ntitle: T\n---\n\n" + words(400) + "\n");

        assertThat(chapter.estimatedReadingMinutes()).isEqualTo(2);
    }

    @Test
    void readingTimeOfOneWordOverAMinuteBoundaryRoundsUp() {
        ParsedChapter chapter = parser.parse("---\ntitle: T\n---\n\n" + words(401) + "\n");

        assertThat(chapter.estimatedReadingMinutes()).isEqualTo(3);
    }

    @Test
    void readingTimeIsAtLeastOneMinute() {
        ParsedChapter chapter = parser.parse("---\ntitle: T\n---\n\nHi.\n");

        assertThat(chapter.estimatedReadingMinutes()).isEqualTo(1);
    }

    @Test
    void frontMatterWordsDoNotCountTowardsReadingTime() {
        // 300 words of summary would make 2 minutes if they were counted.
        String summary = String.join(" ", Collections.nCopies(300, "ab"));
        ParsedChapter chapter = parser.parse("---\ntitle: T\nsummary: " + summary + "\n---\n\nHi.\n");

        assertThat(chapter.estimatedReadingMinutes()).isEqualTo(1);
    }

    // --- errors ------------------------------------------------------------------------------------------

    @Test
    void missingTitleIsAFieldErrorOnTitle() {
        ProblemException e = assertThrows(ProblemException.class, () -> parser.parse("""
                ---
                number: 1
                ---

                ## A section

                No title anywhere.
                """));

        assertThat(e.status()).isEqualTo(400);
        assertThat(fields(e)).containsExactly("title");
    }

    @Test
    void levelOneHeadingThatIsNotTheFirstBlockIsNotTheTitle() {
        ProblemException e = assertThrows(ProblemException.class, () -> parser.parse("""
                Some prose first.

                # Late heading

                Text.
                """));

        assertThat(fields(e)).containsExactly("title");
    }

    @Test
    void unknownDifficultyIsAFieldErrorOnDifficulty() {
        ProblemException e = assertThrows(ProblemException.class, () -> parser.parse("""
                ---
                title: T
                difficulty: expert
                ---

                Text.
                """));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("difficulty");
            assertThat(err.message()).contains("beginner", "intermediate", "advanced");
        });
    }

    @Test
    void nonNumericNumberIsAFieldErrorOnNumber() {
        ProblemException e = assertThrows(ProblemException.class, () -> parser.parse("""
                ---
                title: T
                number: abc
                ---

                Text.
                """));

        assertThat(e.status()).isEqualTo(400);
        assertThat(fields(e)).containsExactly("number");
    }

    @Test
    void negativeNumberIsAFieldErrorOnNumber() {
        ProblemException e = assertThrows(ProblemException.class, () -> parser.parse("""
                ---
                title: T
                number: -1
                ---

                Text.
                """));

        assertThat(fields(e)).containsExactly("number");
    }

    @Test
    void nonNumericSidebarPositionIsAFieldErrorOnSidebarPosition() {
        ProblemException e = assertThrows(ProblemException.class, () -> parser.parse("""
                ---
                title: T
                sidebar_position: first
                ---

                Text.
                """));

        assertThat(fields(e)).containsExactly("sidebar_position");
    }

    @Test
    void documentWithOnlyFrontMatterIsAFieldErrorOnBody() {
        ProblemException e = assertThrows(ProblemException.class, () -> parser.parse("""
                ---
                title: Empty chapter
                ---
                """));

        assertThat(e.status()).isEqualTo(400);
        assertThat(fields(e)).containsExactly("body");
    }

    @Test
    void documentWithOnlyATitleHeadingIsAFieldErrorOnBody() {
        ProblemException e = assertThrows(ProblemException.class, () -> parser.parse("# Just a title\n"));

        assertThat(fields(e)).containsExactly("body");
    }

    @Test
    void allFieldErrorsAreReportedTogether() {
        ProblemException e = assertThrows(ProblemException.class, () -> parser.parse("""
                ---
                number: abc
                difficulty: expert
                ---
                """));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("validation");
        assertThat(fields(e)).containsExactlyInAnyOrder("title", "number", "difficulty", "body");
        assertThat(e.getMessage()).contains("title:", "number:", "difficulty:", "body:");
    }

    @Test
    void overlongTitleIsAFieldErrorOnTitle() {
        ProblemException e = assertThrows(
                ProblemException.class, () -> parser.parse("---\ntitle: " + "x".repeat(301) + "\n---\n\nText.\n"));

        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("title");
            assertThat(err.message()).contains("300");
        });
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static List<String> fields(ProblemException e) {
        return e.errors().stream().map(Problem.FieldError::field).toList();
    }

    private static String words(int count) {
        return String.join(" ", Collections.nCopies(count, "word"));
    }

    @Test
    void anchorsKeepCombiningMarksOfIndicAndArabicScripts() {
        ParsedChapter chapter = new MarkdownChapterParser().parse("---\ntitle: T\n---\n## हिन्दी भाषा\n\ntext\n");
        assertThat(chapter.sections().get(0).anchor()).isEqualTo("हिन्दी-भाषा");
    }

    @Test
    void aHeadingSpreadOverTwoLinesKeepsASpaceBetweenThem() {
        ParsedChapter chapter =
                new MarkdownChapterParser().parse("---\ntitle: T\n---\nFirst line\nsecond line\n---\n\ntext\n");
        assertThat(chapter.sections().get(0).title()).isEqualTo("First line second line");
    }

    @Test
    void flowStyleOutcomeListsAreSplit() {
        ParsedChapter chapter = new MarkdownChapterParser().parse("---\ntitle: T\noutcomes: [A.1, 'B.2']\n---\ntext\n");
        assertThat(chapter.outcomes()).containsExactly("A.1", "B.2");
    }

    @Test
    void draftYesMeansNotPublished() {
        ParsedChapter chapter = new MarkdownChapterParser().parse("---\ntitle: T\ndraft: yes\n---\ntext\n");
        assertThat(chapter.published()).isFalse();
    }
}
