package org.mailwright.ui;

import org.mailwright.lookup.Passwd;

/** A rough strength estimate shown while a password is typed: length counts most, then variety. */
public record PasswordStrength(int score, String words, String problem) {

    public static PasswordStrength of(String password) {
        String p = password == null ? "" : password;
        String problem = Passwd.checkPassword(p);
        int classes = (p.matches(".*[a-z].*") ? 1 : 0) + (p.matches(".*[A-Z].*") ? 1 : 0)
                + (p.matches(".*[0-9].*") ? 1 : 0) + (p.matches(".*[^a-zA-Z0-9].*") ? 1 : 0);
        long distinct = p.chars().distinct().count();
        int score;
        if (problem != null || distinct < 4) score = 0;
        else if (p.length() >= 16 || (p.length() >= 12 && classes >= 3)) score = 4;
        else if (p.length() >= 12 || (p.length() >= 10 && classes >= 3)) score = 3;
        else if (classes >= 3) score = 2;
        else score = 1;
        String words = switch (score) {
            case 0 -> problem != null ? "too weak: " + problem : "too weak: too few different characters";
            case 1 -> "weak — longer is better";
            case 2 -> "fair";
            case 3 -> "good";
            default -> "strong";
        };
        return new PasswordStrength(score, words, score == 0 ? words.substring("too weak: ".length()) : null);
    }
}
