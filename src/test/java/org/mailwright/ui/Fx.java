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
}
