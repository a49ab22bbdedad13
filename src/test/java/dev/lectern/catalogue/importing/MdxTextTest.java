package dev.lectern.catalogue.importing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What of a Docusaurus MDX page reaches the stored Markdown. */
class MdxTextTest {

    @Test
    void moduleStatementsCommentsAndPageMetadataAreDropped() {
        String mdx = """
                ---
                title: T
                ---

                import Tabs from '@theme/Tabs';
                import {
                  A,
                  B,
                } from './parts';
                export const meta = {
                  tag: 'x',
                };

                <head>
                  <meta property="og:image" content="x.png" />
                </head>

                {/* A note for authors */}
                <!-- hidden
                     text -->
                Visible text.
                """;

        assertThat(MdxText.toMarkdown(mdx)).isEqualTo("---\ntitle: T\n---\n\nVisible text.\n");
    }

    @Test
    void componentsKeepTheirTextAndAWrappersTitleWhileSelfClosingOnesGo() {
        String mdx = """
                <DetailedExplanation title="Why reducers?">

                Because of `Array.reduce()`.

                </DetailedExplanation>

                <InDocAd />
                <LiteYouTubeEmbed id="abc" title="A talk" />
                <details>
                <summary>More</summary>
                Hidden detail.
                </details>
                """;

        String markdown = MdxText.toMarkdown(mdx);

        assertThat(markdown).contains("**Why reducers?**", "Because of `Array.reduce()`.", "More", "Hidden detail.");
        assertThat(markdown).doesNotContain("<", "A talk");
    }

    @Test
    void tagsInInlineCodeAndEverythingInCodeBlocksButHighlightDirectivesStay() {
        String mdx = """
                Wrap the app in `<Provider store={store}>`.

                ```jsx title="App.jsx"
                import React from 'react'
                // highlight-next-line
                <Provider store={store}>
                  {/* highlight-start */}
                  <App />
                </Provider>
                ```
                """;

        String markdown = MdxText.toMarkdown(mdx);

        assertThat(markdown)
                .contains(
                        "`<Provider store={store}>`",
                        "import React from 'react'",
                        "  <App />",
                        "```jsx title=\"App.jsx\"")
                .doesNotContain("highlight-");
    }

    @Test
    void layoutLinesGoSoAHiddenTitlesHeadingStillOpensThePage() {
        String mdx =
                "---\ntitle: createStore\nhide_title: true\n---\n\n&nbsp;\n\n<div class=\"api\">\n\n# `createStore()`\n\nCreates a store.\n\n</div>\n";

        assertThat(MdxText.toMarkdown(mdx))
                .isEqualTo("---\ntitle: createStore\nhide_title: true\n---\n\n# `createStore()`\n\nCreates a store.\n");
    }

    @Test
    void admonitionsBecomeALabelledParagraphWithTheirTitle() {
        String mdx = """
                :::tip Keep it simple

                Use one store.

                :::

                :::info[Prerequisites]
                Know JavaScript.
                :::

                :::caution
                Careful.
                :::
                """;

        assertThat(MdxText.toMarkdown(mdx))
                .contains(
                        "**Tip: Keep it simple**",
                        "Use one store.",
                        "**Info: Prerequisites**",
                        "**Caution**",
                        "Careful.")
                .doesNotContain(":::");
    }
}
