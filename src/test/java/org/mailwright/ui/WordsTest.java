package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mailwright.config.Config;

/** The app's words for the file's choices: one for every value, none of them the enum's name, all different. */
class WordsTest {

    @Test
    void everyChoiceHasItsOwnWords() {
        check(Config.ListenerTls.values(), Words::of);
        check(Config.ListenerAuth.values(), Words::of);
        check(Config.OutboundTls.values(), Words::of);
        check(Config.DeliveryFormat.values(), Words::of);
        check(Config.TlsMode.values(), Words::of);
        check(Config.DmarcMode.values(), Words::of);
        check(Config.Action.values(), Words::of);
    }

    private static <E extends Enum<E>> void check(E[] values, Function<E, String> words) {
        List<String> shown = Arrays.stream(values).map(words).toList();
        assertThat(shown).doesNotHaveDuplicates().allMatch(w -> !w.isBlank());
        // Neither the enum's name (OPPORTUNISTIC) nor the file's word (opportunistic) as it is.
        for (E e : values) assertThat(words.apply(e)).isNotEqualTo(e.name()).isNotEqualTo(e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }

    @Test
    void aListenerReadsAsASentence() {
        assertThat(Words.listener("0.0.0.0", 25, "starttls", "none")).isEqualTo("0.0.0.0:25 — STARTTLS offered, no login (other servers)");
        assertThat(Words.listener("0.0.0.0", 587, "require", "require")).isEqualTo("0.0.0.0:587 — STARTTLS required, login required (your users)");
        assertThat(Words.listener("::", 465, "implicit", "require")).isEqualTo(":::465 — TLS from the start (465), login required (your users)");
        assertThat(Words.tlsMode("acme")).isEqualTo("Let's Encrypt");
        assertThat(Words.tlsMode("from-a-newer-version")).as("a word this version does not know is shown as it is").isEqualTo("from-a-newer-version");
    }
}
