package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The maillog's model without a window: parsing, colours, quick filters, stories. */
class MaillogModelTest {
    static final List<String> SESSION = List.of(
            "2026-11-28T10:00:00.000Z 5f1a2b3c4d5e6f70 smtp connected address=127.0.0.1 port=2525",
            "2026-11-28T10:00:00.100Z 5f1a2b3c4d5e6f70 smtp authentication user=alice result=fail address=127.0.0.1",
            "2026-11-28T10:00:00.200Z 5f1a2b3c4d5e6f70 smtp message msgid=a1b2c3d4 from=<alice@example.test> size=310 nrcpt=2 proto=ESMTPS",
            "2026-11-28T10:00:00.300Z 5f1a2b3c4d5e6f70 smtp disconnected address=127.0.0.1",
            "2026-11-28T10:00:00.400Z 0000000000000000 smtp connected address=127.0.0.9 port=2525",
            "2026-11-28T10:00:01.000Z a1b2c3d4e5f60718 mda delivery from=<alice@example.test> to=<bob@example.test> user=bob delay=1s result=Ok stat=Delivered",
            "2026-11-28T10:00:01.100Z a1b2c3d49a8b7c6d mta delivery from=<alice@example.test> to=<carol@remote.test> delay=1s result=TempFail stat=\"451 4.4.1 try later\"",
            "not a maillog line at all");

    @Test
    void linesAreParsedAndColouredByResult() {
        List<LogRow> rows = SESSION.stream().map(LogRow::of).toList();
        assertThat(rows.get(1).result()).isEqualTo(LogRow.Result.AUTH_FAIL);
        assertThat(rows.get(5).result()).isEqualTo(LogRow.Result.OK);
        assertThat(rows.get(6).result()).isEqualTo(LogRow.Result.TEMPFAIL);
        assertThat(rows.get(6).details()).contains("stat=\"451 4.4.1 try later\"");
        assertThat(rows.get(2).msgid()).isEqualTo("a1b2c3d4");
        assertThat(rows.get(7).details()).isEqualTo("not a maillog line at all");
        assertThat(rows.stream().filter(LogRow::isDelivery).count()).isEqualTo(2);
        assertThat(rows.stream().filter(LogRow::isFailure).count()).isEqualTo(2);
        assertThat(rows.stream().filter(LogRow::isAuth).count()).isEqualTo(1);
    }

    @Test
    void aStoryJoinsTheSessionItsMessageAndEveryEnvelope() {
        List<LogRow> rows = SESSION.stream().map(LogRow::of).toList();
        List<String> fromEnvelope = Story.of(rows, "a1b2c3d49a8b7c6d").stream().map(LogRow::event).toList();
        assertThat(fromEnvelope).containsExactly("connected", "authentication", "message", "disconnected", "delivery", "delivery");
        assertThat(Story.of(rows, "5f1a2b3c4d5e6f70")).hasSize(6);
        assertThat(Story.of(rows, "0000000000000000")).hasSize(1);
        assertThat(Story.of(rows, "-")).isEmpty();
    }

    @Test
    void todaysCountersCountOnlyToday() {
        java.time.ZoneId utc = java.time.ZoneOffset.UTC;
        TodayCounters c = new TodayCounters(utc, java.time.LocalDate.of(2026, 11, 28));
        SESSION.stream().map(LogRow::of).forEach(r -> c.count(r, java.time.LocalDate.of(2026, 11, 28)));
        c.count(LogRow.of("2026-11-27T23:59:59.000Z x mda delivery result=Ok"), java.time.LocalDate.of(2026, 11, 28));
        assertThat(new int[] {c.received, c.delivered, c.deferred, c.bounced, c.authFailures}).containsExactly(1, 1, 1, 0, 1);
    }

    @Test
    void hostPageChecks() {
        assertThat(HostNames.checkFqdn("mail.example.org", "The hostname")).isNull();
        assertThat(HostNames.checkFqdn("mail", "The hostname")).contains("not fully qualified");
        assertThat(HostNames.checkFqdn("-bad.example.org", "The hostname")).contains("each part");
        assertThat(HostNames.checkFqdn("10.0.0.1", "The hostname")).contains("IP address");
        assertThat(HostNames.checkIpv4("203.0.113.7")).isNull();
        assertThat(HostNames.checkIpv4("203.0.113.700")).isNotNull();
        assertThat(HostNames.checkIpv6("2001:db8::7")).isNull();
        assertThat(HostNames.checkIpv6("2001:zz8::7")).isNotNull();
        assertThat(HostNames.splitDomains("Example.org, club.example\nexample.org")).containsExactly("example.org", "club.example");
    }

    @Test
    void passwordStrengthGrowsWithLengthAndVariety() {
        assertThat(PasswordStrength.of("short").score()).isZero();
        assertThat(PasswordStrength.of("short").problem()).contains("shorter than 8");
        assertThat(PasswordStrength.of("aaaaaaaaaaaa").score()).isZero();
        assertThat(PasswordStrength.of("lowercase1").score()).isEqualTo(1);
        assertThat(PasswordStrength.of("Correct-Horse7").score()).isEqualTo(4);
        assertThat(PasswordStrength.of("correct horse battery staple").score()).isEqualTo(4);
    }
}
