package dev.lectern.progress.review;

/**
 * The review log in the FSRS optimizer's CSV format (the open-spaced-repetition {@code fsrs-optimizer} package's
 * review-log schema), so a platform can fit weights with the reference tools: a header line, then one line per review.
 */
final class ReviewLogCsv {

    static final String MEDIA_TYPE = "text/csv";
    static final String HEADER = "card_id,review_time,review_rating,review_state,review_duration\n";
    static final String EXAMPLE = HEADER + "1,1733562000000,3,0,5400\n1,1733648400000,3,2,\n";

    private ReviewLogCsv() {}

    /** The state code the format uses for a review: 0 for a card's first, else the card's state before it. */
    static int state(boolean first, String stateBefore) {
        if (first) {
            return 0;
        }
        return switch (Fsrs.State.fromCode(stateBefore)) {
            case LEARNING -> 1;
            case REVIEW -> 2;
            case RELEARNING -> 3;
        };
    }

    /** One line: numbers only, so nothing needs quoting; an unknown duration is an empty field. */
    static void line(StringBuilder csv, long card, long reviewTimeMillis, int rating, int state, Integer durationMs) {
        csv.append(card)
                .append(',')
                .append(reviewTimeMillis)
                .append(',')
                .append(rating)
                .append(',')
                .append(state)
                .append(',');
        if (durationMs != null) {
            csv.append(durationMs);
        }
        csv.append('\n');
    }
}
