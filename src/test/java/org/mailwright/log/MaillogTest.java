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
    void linesThatAreNotOursAreNotParsed() {
        assertThat(MaillogEntry.parse("")).isEmpty();
        assertThat(MaillogEntry.parse("hello world")).isEmpty();
        assertThat(MaillogEntry.parse("not-a-time id smtp connected")).isEmpty();
        Optional<MaillogEntry> bare = MaillogEntry.parse("2026-01-02T03:04:05.678Z - control started");
        assertThat(bare).isPresent();
        assertThat(bare.get().fields()).isEmpty();
    }
}
