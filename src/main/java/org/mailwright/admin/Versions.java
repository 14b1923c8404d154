package org.mailwright.admin;

/** The version in the jar's manifest (0.1.0 when run from classes, as in tests). */
public final class Versions {
    private Versions() {}

    public static String current() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }
}
