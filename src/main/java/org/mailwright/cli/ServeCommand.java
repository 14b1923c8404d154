package org.mailwright.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.mailwright.Engine;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigException;
import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the engine headless until SIGTERM or Ctrl-C, which stop it cleanly.")
public final class ServeCommand implements Callable<Integer> {

    @Override
    public Integer call() throws IOException, ConfigException {
        java.nio.file.Path data = DataDir.path();
        if (!org.mailwright.config.ConfigLoader.exists(data)) {
            // Name the command that works as typed, e.g. for the server package's service user.
            throw new ConfigException(org.mailwright.config.ConfigLoader.FILE_NAME + ": not found in " + data + " — run `"
                    + Invocation.of(data).command("init --hostname mail.example.org --domain example.org") + "` first");
        }
        Engine engine = Engine.start(data);
        System.out.println("Mailwright " + engine.config().hostname() + " is running; data in " + engine.dataDir());
        for (Config.Listener l : engine.listeners()) {
            System.out.println("  listening on " + l.address() + ":" + l.port() + " tls=" + l.tls().word() + " auth=" + l.auth().word());
        }
        System.out.println("  maillog: " + engine.log().file());
        System.out.flush();
        runUntilStopped(engine);
        return 0;
    }

    /** Blocks until the JVM is asked to stop, then closes the engine before the JVM exits. */
    static void runUntilStopped(Engine engine) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                engine.close();
            } catch (IOException e) {
                System.err.println("mailwright: while stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "mailwright-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
