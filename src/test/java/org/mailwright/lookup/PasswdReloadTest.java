package org.mailwright.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's Passwd sees every change another process makes to DATA/passwd, at the next AUTH. */
class PasswdReloadTest {
    @TempDir Path dir;

    @Test
    void changesWithinOneClockTickAreSeen() throws Exception {
        Passwd engine = new Passwd(dir);
        Passwd cli = new Passwd(dir);
        cli.set("alice", "password-alice");
        assertThat(engine.verify("alice", "password-alice")).isTrue();

        // A second change whose modification time is the same as the first's (coarse file system clocks).
        FileTime first = Files.getLastModifiedTime(dir.resolve(Passwd.FILE_NAME));
        new Passwd(dir).set("bob", "password-bob1");
        Files.setLastModifiedTime(dir.resolve(Passwd.FILE_NAME), first);
        assertThat(engine.verify("bob", "password-bob1")).isTrue();

        new Passwd(dir).delete("bob");
        assertThat(engine.verify("bob", "password-bob1")).isFalse();
        assertThat(engine.users()).containsExactly("alice");
    }
}
