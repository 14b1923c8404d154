package org.mailwright.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.testfx.util.WaitForAsyncUtils;

/** Reads JavaFX state from a test thread: on the FX thread, as the views do. */
final class Fx {
    private Fx() {}

    /** The machine may be busy (CI runs everything at once): give window setup time instead of failing. */
    static void patientSetup() {
        org.testfx.api.FxToolkit.toolkitContext().setSetupTimeoutInMillis(120_000);
        org.testfx.api.FxToolkit.toolkitContext().setLaunchTimeoutInMillis(120_000);
    }

    static <T> T get(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("on the FX thread: " + e, e);
        }
    }

    static void run(Runnable r) {
        get(() -> {
            r.run();
            return null;
        });
    }

    /** On the FX thread: {@code root} in a 1024×700 scene with the app's stylesheet, on the stage, shown. */
    static void show(javafx.stage.Stage stage, javafx.scene.Parent root) {
        javafx.scene.Scene scene = new javafx.scene.Scene(root, 1024, 700);
        scene.getStylesheets().add(Views.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    /**
     * With {@code -Dmailwright.screenshots=DIR}: the stage's scene as it is now, as DIR/NAME (a PNG), for people to
     * look at; without it nothing is written.
     */
    static void snapshot(javafx.stage.Stage stage, String name) throws java.io.IOException {
        String dir = System.getProperty("mailwright.screenshots");
        if (dir == null || dir.isBlank()) return;
        javafx.scene.image.WritableImage image = get(() -> stage.getScene().snapshot(null));
        int w = (int) image.getWidth(), h = (int) image.getHeight();
        int[] argb = new int[w * h];
        run(() -> image.getPixelReader().getPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), argb, 0, w));
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir));
        javax.imageio.ImageIO.write(out, "png", java.nio.file.Path.of(dir, name).toFile());
    }

    /** Whether the node and every parent of it are visible. */
    static boolean shown(javafx.scene.Node n) {
        for (; n != null; n = n.getParent()) if (!n.isVisible()) return false;
        return true;
    }

    /** The node for {@code query} in the view shown now (the main window keeps the views it built, hidden). */
    static <T extends javafx.scene.Node> T shown(org.testfx.api.FxRobot robot, String query) {
        return robot.lookup(query).match(Fx::shown).query();
    }

    /** The names in the Users view's table, as it shows them now. */
    @SuppressWarnings("unchecked")
    static java.util.List<String> userNames(org.testfx.api.FxRobot robot) {
        return get(() -> robot.lookup("#table").queryAs(javafx.scene.control.TableView.class).getItems().stream()
                .map(r -> ((UsersViewModel.UserRow) r).name()).toList());
    }
}
