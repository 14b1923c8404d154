package org.mailwright.ui;

import java.util.function.Function;
import javafx.scene.control.ChoiceBox;
import javafx.util.StringConverter;
import org.mailwright.config.Config;

/**
 * The choices of mailwright.conf as the app shows them: in words a person reads ("STARTTLS required"), never the
 * enum's name; the file keeps its own words ({@code require}). One place, so every view says the same.
 */
final class Words {
    private Words() {}

    static String of(Config.ListenerTls t) {
        return switch (t) {
            case STARTTLS -> "STARTTLS offered";
            case REQUIRE -> "STARTTLS required";
            case IMPLICIT -> "TLS from the start (465)";
            case NONE -> "No TLS";
        };
    }

    static String of(Config.ListenerAuth a) {
        return switch (a) {
            case NONE -> "No login";
            case OPTIONAL -> "Login offered";
            case REQUIRE -> "Login required";
        };
    }

    static String of(Config.OutboundTls t) {
        return switch (t) {
            case OPPORTUNISTIC -> "When offered (STARTTLS)";
            case REQUIRE -> "Always (no plain text)";
            case NONE -> "Never";
        };
    }

    static String of(Config.DeliveryFormat f) {
        return switch (f) {
            case MAILDIR -> "Maildir (a file per message)";
            case MBOX -> "mbox (a file per user)";
        };
    }

    static String of(Config.TlsMode m) {
        return switch (m) {
            case SELF_SIGNED -> "Self-signed";
            case ACME -> "Let's Encrypt";
            case FILES -> "Your own files";
            case NONE -> "None (no TLS at all)";
        };
    }

    static String of(Config.DmarcMode m) {
        return switch (m) {
            case ENFORCE -> "Apply the sender's policy (reject, Junk)";
            case REPORT_ONLY -> "Only report (deliver everything)";
            case OFF -> "Off (no DMARC check)";
        };
    }

    static String of(Config.Action a) {
        return switch (a) {
            case DELIVER -> "Deliver here";
            case RELAY -> "Relay to its server";
            case REJECT -> "Refuse";
        };
    }

    /** A listener as the Dashboard lists it: {@code 0.0.0.0:25 — STARTTLS offered, no login (other servers)}. */
    static String listener(String address, int port, String tlsWord, String authWord) {
        Config.ListenerTls tls = byWord(Config.ListenerTls.values(), tlsWord, Config.ListenerTls::word);
        Config.ListenerAuth auth = byWord(Config.ListenerAuth.values(), authWord, Config.ListenerAuth::word);
        return address + ":" + port + " — " + (tls == null ? tlsWord : of(tls)) + ", "
                + (auth == null ? authWord : of(auth).toLowerCase(java.util.Locale.ROOT))
                + (auth == Config.ListenerAuth.REQUIRE ? " (your users)" : " (other servers)");
    }

    /** The TLS mode of mailwright.conf ({@code self-signed}) in words; an unknown word as it is. */
    static String tlsMode(String word) {
        Config.TlsMode m = byWord(Config.TlsMode.values(), word, Config.TlsMode::word);
        return m == null ? word : of(m);
    }

    private static <E> E byWord(E[] values, String word, Function<E, String> of) {
        for (E e : values) if (of.apply(e).equals(word)) return e;
        return null;
    }

    /** A choice box of {@code values} shown through {@code words}. */
    static <E> ChoiceBox<E> choice(E[] values, Function<E, String> words) {
        ChoiceBox<E> box = new ChoiceBox<>();
        show(box, values, words);
        return box;
    }

    /** Fills {@code box} with {@code values}, each shown through {@code words}. */
    static <E> void show(ChoiceBox<E> box, E[] values, Function<E, String> words) {
        box.getItems().setAll(values);
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(E e) {
                return e == null ? "" : words.apply(e);
            }

            @Override
            public E fromString(String s) {
                for (E e : values) if (words.apply(e).equals(s)) return e;
                return null;
            }
        });
    }
}
