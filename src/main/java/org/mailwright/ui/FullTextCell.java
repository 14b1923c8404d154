package org.mailwright.ui;

import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;

/** A table cell whose tooltip is its whole text, wrapped: a column cut off with "…" can still be read. */
final class FullTextCell<S> extends TableCell<S, String> {
    private final Tooltip tooltip = new Tooltip();

    FullTextCell() {
        tooltip.setWrapText(true);
        tooltip.setMaxWidth(640);
        tooltip.setShowDelay(Duration.millis(400));
        tooltip.setShowDuration(Duration.INDEFINITE);
    }

    @Override
    protected void updateItem(String text, boolean empty) {
        super.updateItem(text, empty);
        setText(empty ? null : text);
        if (empty || text == null || text.isEmpty()) {
            setTooltip(null);
        } else {
            tooltip.setText(text);
            setTooltip(tooltip);
        }
    }
}
