package org.mailwright.log;

/**
 * Text from outside (addresses, peers' replies, header fields) as it may be shown to a person: in the maillog, by
 * {@code queue list} and {@code queue show}, in a bounce. A terminal acts on what it prints — ESC starts a control
 * sequence, CR overwrites the line, BEL rings, U+202E reverses what follows — and a line break in a value forges a
 * line of its own. Such characters are shown as escapes, so that what is shown is what is stored.
 */
public final class Printable {
    private Printable() {}

    /**
     * Whether the code point must not be shown as it is: C0 and C1 controls and DEL, line and paragraph separators,
     * format characters (bidirectional overrides, zero-width characters, invisible tag characters), and the halves
     * of broken surrogate pairs. Printable characters beyond ASCII (ü, 漢, ✓) are shown as they are.
     */
    public static boolean unprintable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> true;
            default -> false;
        };
    }

    /**
     * {@code s} with every unprintable character written as {@code \xHH} (up to U+00FF) or <code>&#92;u{HHHH}</code>, and a
     * backslash as {@code \\}, so that an escape shown always means a character that was there.
     */
    public static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i); // a lone surrogate comes back as itself
            int n = Character.charCount(cp);
            boolean plain = cp != '\\' && !unprintable(cp);
            if (plain) {
                if (b != null) b.appendCodePoint(cp);
            } else {
                if (b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
                if (cp == '\\') b.append("\\\\");
                else if (cp <= 0xff) b.append(String.format("\\x%02x", cp));
                else b.append(String.format("\\u{%04x}", cp));
            }
            i += n;
        }
        return b == null ? s : b.toString();
    }
}
