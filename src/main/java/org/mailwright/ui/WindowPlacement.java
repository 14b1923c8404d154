package org.mailwright.ui;

import java.util.prefs.Preferences;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

/** Remembers a window's size and position between runs (java.util.prefs), and keeps it on a screen. */
final class WindowPlacement {
    private static final double MIN_WIDTH = 1024;
    private static final double MIN_HEIGHT = 700;
    private final Preferences prefs;

    WindowPlacement(String name) {
        this.prefs = Preferences.userNodeForPackage(WindowPlacement.class).node(name);
    }

    void restore(Stage stage) {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double w = Math.min(prefs.getDouble("width", 1180), Math.max(screen.getWidth(), MIN_WIDTH));
        double h = Math.min(prefs.getDouble("height", 760), Math.max(screen.getHeight(), MIN_HEIGHT));
        stage.setWidth(Math.max(w, MIN_WIDTH));
        stage.setHeight(Math.max(h, MIN_HEIGHT));
        double x = prefs.getDouble("x", Double.NaN);
        double y = prefs.getDouble("y", Double.NaN);
        boolean onScreen = !Double.isNaN(x) && Screen.getScreensForRectangle(x, y, 100, 100).size() > 0;
        if (onScreen) {
            stage.setX(x);
            stage.setY(y);
        } else {
            stage.centerOnScreen();
        }
        stage.setMaximized(prefs.getBoolean("maximized", false));
    }

    void remember(Stage stage) {
        try {
            prefs.putBoolean("maximized", stage.isMaximized());
            if (!stage.isMaximized()) {
                prefs.putDouble("x", stage.getX());
                prefs.putDouble("y", stage.getY());
                prefs.putDouble("width", stage.getWidth());
                prefs.putDouble("height", stage.getHeight());
            }
            prefs.flush();
        } catch (Exception e) {
            // preferences are a convenience: a read-only home directory must not stop the app from closing
        }
    }
}
