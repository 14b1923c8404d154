package org.mailwright.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 14: the dashboard's counters count envelopes, and a bounce made from the Queue is a bounce. */
class DayCountsTest {
    /** One day's maillog as the engine writes it (Scheduler, DataCommand, the AUTH line). */
    static final String MAILLOG = """
            2026-11-28T08:00:00.000Z 5f1a2b3c4d5e6f70 smtp connected address=192.0.2.1
            2026-11-28T08:00:01.000Z 5f1a2b3c4d5e6f70 smtp authentication user=alice result=ok
            2026-11-28T08:00:02.000Z 5f1a2b3c4d5e6f70 smtp message msgid=a1b2c3d4 from=<alice@example.org> size=512 nrcpt=3
            2026-11-28T08:00:03.000Z a1b2c3d49a8b7c6d mda delivery from=<alice@example.org> to=<bob@example.org> user=bob result=Ok stat="250 2.0.0 delivered"
            2026-11-28T08:00:04.000Z a1b2c3d41111aaaa mta delivery from=<alice@example.org> to=<x@slow.test> result=TempFail stat="421 4.7.0 try later"
            2026-11-28T08:15:04.000Z a1b2c3d41111aaaa mta delivery from=<alice@example.org> to=<x@slow.test> result=TempFail stat="421 4.7.0 try later"
            2026-11-28T09:15:04.000Z a1b2c3d41111aaaa mta delivery from=<alice@example.org> to=<x@slow.test> result=TempFail stat="421 4.7.0 try later"
            2026-11-28T08:00:05.000Z a1b2c3d42222bbbb mta delivery from=<alice@example.org> to=<y@gone.test> result=PermFail stat="550 5.1.1 no such user"
            2026-11-28T08:00:05.100Z 0f0e0d0c0b0a0908 queue bounce for=a1b2c3d42222bbbb to=<alice@example.org> reason="550 5.1.1 no such user"
            2026-11-28T08:00:06.000Z a1b2c3d43333cccc mta delivery from=<alice@example.org> to=<z@stuck.test> result=TempFail stat="451 4.4.3 no answer"
            2026-11-28T10:00:00.000Z 1a1a1a1a2b2b2b2b queue bounce for=a1b2c3d43333cccc to=<alice@example.org> reason="550 5.0.0 message returned by the administrator"
            2026-11-28T10:00:01.000Z 7e7e7e7e8f8f8f8f queue bounce-dropped to=<nobody@example.org> reason="a bounce is never bounced"
            2026-11-28T10:00:02.000Z 6c6c6c6c6d6d6d6d queue delete from=<a@b.test> to=<c@d.test>
            2026-11-28T11:00:00.000Z 9a9a9a9a9a9a9a9a smtp authentication user=mallory result=fail
            """;

    @Test
    void deferredCountsEnvelopesAndBouncedIncludesTheQueuesBounces() {
        DayCounts c = new DayCounts();
        MAILLOG.lines().map(MaillogEntry::parse).forEach(e -> e.ifPresent(c::count));
        assertThat(c.received()).isEqualTo(1);
        assertThat(c.delivered()).isEqualTo(1);
        assertThat(c.deferred()).as("x@slow.test three times, z@stuck.test once: two envelopes").isEqualTo(2);
        assertThat(c.bounced()).as("refused for good (its report not counted again), returned from the Queue, dropped")
                .isEqualTo(3);
        assertThat(c.authFailures()).isEqualTo(1);
    }
}
