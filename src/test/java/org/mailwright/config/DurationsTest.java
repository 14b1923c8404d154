package org.mailwright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations as smtpd.conf writes them: a number and one unit. */
class DurationsTest {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({"30s,PT30S", "90s,PT1M30S", "5m,PT5M", "2h,PT2H", "4d,PT96H", "0s,PT0S", "' 5m ',PT5M",
            "007m,PT7M", "365d,PT8760H"})
    void parses(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @CsvSource({"''", "5", "m", "5x", "5M", "1.5h", "-5m", "5 m", "5m30s", "4 days", "P4D"})
    void refusesWhatIsNotANumberAndOneUnit(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a duration — write a number and s, m, h or d, like \"5m\" or \"4d\"");
    }

    @ParameterizedTest(name = "\"{0}\" is too long")
    @CsvSource({"99999999999999999999s", "9223372036854775807m", "9223372036854775807d"})
    void refusesANumberTooLargeWithTheSameKindOfMessage(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("\"" + text + "\" is too long a duration");
    }

    @ParameterizedTest(name = "{0} is written \"{1}\"")
    @CsvSource({"PT96H,4d", "PT24H,1d", "PT25H,25h", "PT2H,2h", "PT90M,90m", "PT5M,5m", "PT90S,90s", "PT0S,0s",
            "PT24H1S,86401s"})
    void formatsInTheLargestWholeUnit(Duration d, String text) {
        assertThat(Durations.format(d)).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(d); // what is written reads back the same
    }
}
