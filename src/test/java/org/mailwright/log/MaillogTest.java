package org.mailwright.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The maillog as the GUI and an operator read it: rotation keeps old lines, the parser reads back every value. */
class MaillogTest {
    @TempDir Path dir;

    @Test
    void rotationBySizeKeepsOldFiles() throws Exception {
        Path file = dir.resolve("log").resolve("maillog");
        List<String> written = new ArrayList<>();
        try (Maillog log = new Maillog(file, 2_000, 3)) {
            for (int i = 0; i < 100; i++) {
                log.event("id" + i, "smtp", "connected", "n", i, "address", "127.0.0.1");
                written.add("id" + i);
            }
        }
        assertThat(Files.size(file)).isLessThan(2_500);
        for (int i = 1; i <= 3; i++) {
            Path old = dir.resolve("log").resolve("maillog." + i);
            assertThat(old).exists();
            assertThat(Files.size(old)).isBetween(1_900L, 2_500L);
        }
        assertThat(dir.resolve("log").resolve("maillog.4")).doesNotExist();
        // nothing lost across the kept files: the newest lines, in order, with no gap
        List<String> ids = new ArrayList<>();
        for (String name : List.of("maillog.3", "maillog.2", "maillog.1", "maillog")) {
            for (String line : Files.readAllLines(dir.resolve("log").resolve(name))) {
                ids.add(MaillogEntry.parse(line).orElseThrow().id());
            }
        }
        assertThat(ids).isEqualTo(written.subList(written.size() - ids.size(), written.size()));
        assertThat(ids.size()).isGreaterThan(40);
    }

    @Test
    void rotationCountsBytesNotCharacters() throws Exception {
        Path file = dir.resolve("maillog");
        String wide = "漢字".repeat(50); // 3 bytes per character in UTF-8
        try (Maillog log = new Maillog(file, 4_000, 2)) {
            for (int i = 0; i < 40; i++) log.event("id" + i, "smtp", "failed-command", "command", wide);
        }
        long oneLine = Files.readAllLines(file).get(0).getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        assertThat(Files.size(file)).isLessThanOrEqualTo(4_000 + oneLine);
        assertThat(Files.size(dir.resolve("maillog.1"))).isLessThanOrEqualTo(4_000 + oneLine);
    }

    @Test
    void reopeningAppends() throws Exception {
        Path file = dir.resolve("maillog");
        try (Maillog log = new Maillog(file, 1_000_000, 3)) {
            log.event("a", "smtp", "first");
        }
        try (Maillog log = new Maillog(file, 1_000_000, 3)) {
            log.event("b", "smtp", "second");
        }
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void theParserReadsBackWhatTheWriterWrites() throws Exception {
        Path file = dir.resolve("maillog");
        String[] values = {"plain", "", "two words", "a \"quoted\" word", "back\\slash", "key=value", "trailing\\", "\"", "ends with space ",
                "250 2.0.0 Ok: queued as 1a2b3c4d", "<alice@example.org>", "tab\there", "line\nbreak", "ünïcödé ✓"};
        Instant before = Instant.now().minus(Duration.ofSeconds(1));
        try (Maillog log = new Maillog(file, 1_000_000, 3)) {
            for (String v : values) log.event("0123abcd", "mta", "delivery", "stat", v, "result", "Ok", "skipped", null);
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(values.length);
        for (int i = 0; i < values.length; i++) {
            MaillogEntry e = MaillogEntry.parse(lines.get(i)).orElseThrow(() -> new AssertionError("unparsed"));
            assertThat(e.id()).isEqualTo("0123abcd");
            assertThat(e.role()).isEqualTo("mta");
            assertThat(e.event()).isEqualTo("delivery");
            assertThat(e.time()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
            String expected = values[i].replace('\t', '?').replace('\n', '?'); // control characters never reach the log
            assertThat(e.field("stat")).as(values[i]).contains(expected);
            assertThat(e.field("result")).contains("Ok");
            assertThat(e.field("skipped")).isEmpty();
            assertThat(e.fields().keySet()).containsExactly("stat", "result");
        }
    }

    @Test
    void controlCharactersNeverReachTheLog() throws Exception {
        Path file = dir.resolve("maillog");
        // NUL, ESC (a terminal control sequence), BEL, VT, FF, DEL, CR, LF, C1 NEL and CSI, LINE SEPARATOR,
        // a bidi override, an invisible tag character, a broken surrogate pair
        String nasty = "a\u0000b\u001b[31mred\u0007c\u000bd\u000ce\u007ff\rg\nh\u0085i\u009b2Jj\u2028k\u202el\udb40\udc41m\ud800n";
        String printable = "ünïcödé 漢字 ✓ \ud83d\udce8"; // printable beyond ASCII (an emoji outside the BMP too) stays
        try (Maillog log = new Maillog(file, 1_000_000, 3)) {
            log.event("0123abcd", "smtp", "failed-command", "command", nasty, "from", "<" + printable + ">");
            log.event("id\r\n2026-01-01T00:00:00.000Z forged", "smtp\u001b", "connected\n", "k\u0007ey", "v");
        }
        String text = Files.readString(file);
        assertThat(text.split("\n", -1)).as("two lines and the final line end, nothing forged").hasSize(3);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            assertThat(c == '\n' || !Printable.unprintable(c)).as("U+%04X at %d in %s", c, i, text).isTrue();
            i += Character.charCount(c);
        }
        List<String> lines = Files.readAllLines(file);
        MaillogEntry first = MaillogEntry.parse(lines.get(0)).orElseThrow();
        assertThat(first.field("command")).contains("a?b?[31mred?c?d?e?f?g?h?i?2Jj?k?l?m?n");
        assertThat(first.field("from")).contains("<" + printable + ">");
        MaillogEntry second = MaillogEntry.parse(lines.get(1)).orElseThrow();
        assertThat(second.id()).isEqualTo("id??2026-01-01T00:00:00.000Z?forged");
        assertThat(second.role()).isEqualTo("smtp?");
        assertThat(second.event()).isEqualTo("connected?");
        assertThat(second.fields()).containsExactly(java.util.Map.entry("k?ey", "v"));
    }

    @Test
    void printableEscapesWhatATerminalWouldActOn() {
        assertThat(Printable.escape("plain <a@b> ünï ✓ \ud83d\udce8")).isEqualTo("plain <a@b> ünï ✓ \ud83d\udce8");
        assertThat(Printable.escape("\u0000\u001b\u0007\u000b\u000c\u007f\r\n\t\u0085\u009b"))
                .isEqualTo("\\x00\\x1b\\x07\\x0b\\x0c\\x7f\\x0d\\x0a\\x09\\x85\\x9b");
        assertThat(Printable.escape("a\u2028b\u202ec\ud800")).isEqualTo("a\\u{2028}b\\u{202e}c\\u{d800}");
        assertThat(Printable.escape("\udb40\udc41")).isEqualTo("\\u{e0041}");
        // a backslash is escaped too, so that a shown escape always means an unprintable character
        assertThat(Printable.escape("a\\x07")).isEqualTo("a\\\\x07");
    }

    @Test
    void linesThatAreNotOursAreNotParsed() {
        assertThat(MaillogEntry.parse("")).isEmpty();
        assertThat(MaillogEntry.parse("hello world")).isEmpty();
        assertThat(MaillogEntry.parse("not-a-time id smtp connected")).isEmpty();
        Optional<MaillogEntry> bare = MaillogEntry.parse("2026-01-02T03:04:05.678Z - control started");
        assertThat(bare).isPresent();
        assertThat(bare.get().fields()).isEmpty();
    }
}
