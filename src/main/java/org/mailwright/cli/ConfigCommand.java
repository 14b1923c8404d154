package org.mailwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigEdit;
import org.mailwright.config.ConfigException;
import org.mailwright.config.ConfigKeys;
import org.mailwright.config.ConfigLoader;
import org.mailwright.control.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with mailwright.conf.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Get.class, ConfigCommand.Set.class})
public final class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate mailwright.conf; prints file:line: problem lines and exits 1 when it is wrong.")
    static final class Check implements Callable<Integer> {

        @Override
        public Integer call() {
            try {
                Config c = ConfigLoader.load(DataDir.path());
                System.out.println(ConfigLoader.FILE_NAME + ": OK (" + c.hostname() + ", " + c.listeners().size() + " listeners, "
                        + c.matches().size() + " rules)");
                return 0;
            } catch (ConfigException e) {
                e.problems().forEach(System.err::println);
                return 1;
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Print the effective value of a key (defaults included), e.g. limits.max_recipients.")
    static final class Get implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KEY", description = "dotted key: hostname, outbound.tls, limits.idle_timeout …")
        String name;

        @Option(names = "--json", description = "{\"key\": …, \"value\": …}") boolean json;

        @Override
        public Integer call() throws IOException, ConfigException {
            Optional<ConfigKeys.Key> key = ConfigKeys.find(name);
            if (key.isEmpty()) return unknown(name);
            Object value = key.get().valueIn(ConfigLoader.load(DataDir.path()));
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("key", name);
                out.put("value", value);
                System.out.println(QueueCommand.json().writeValueAsString(out));
            } else {
                System.out.println(text(value));
            }
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Change one key in mailwright.conf, keeping every other line and comment (like postconf -e).",
                    "The value is checked as at start; a running engine applies it at once or says what needs a restart.",
                    "Lists: \"a, b\" or '[\"a\", \"b\"]'; durations: \"5m\", \"1h\"."})
    static final class Set implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KEY") String name;
        @Parameters(index = "1", paramLabel = "VALUE") String value;

        @Option(names = "--json", description = "{\"key\", \"value\", \"engine\": running|stopped, \"restart\": [keys]}") boolean json;

        @Override
        public Integer call() throws IOException, ConfigException {
            Optional<ConfigKeys.Key> key = ConfigKeys.find(name);
            if (key.isEmpty()) return unknown(name);
            Path data = DataDir.path();
            ConfigEdit.Result r;
            try {
                r = ConfigEdit.set(data, key.get(), value);
            } catch (IllegalArgumentException e) {
                throw new Failure(e.getMessage() + " — mailwright.conf is unchanged");
            } catch (ConfigException e) {
                throw new Failure(String.join("; ", e.problems()) + " — mailwright.conf is unchanged");
            }
            Object now = key.get().valueIn(r.after());
            ControlClient engine = new ControlClient(data);
            List<String> restart = List.of();
            boolean running = engine.engineRunning();
            if (running) {
                JsonNode answer;
                try {
                    answer = engine.reloadConfig();
                } catch (IOException e) {
                    throw new Failure("mailwright.conf is changed, but the running engine could not apply it: " + e.getMessage()
                            + " — restart the engine");
                }
                restart = QueueCommand.json().convertValue(answer.path("restart"), QueueCommand.json().getTypeFactory()
                        .constructCollectionType(List.class, String.class));
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("key", name);
                out.put("value", now);
                out.put("engine", running ? "running" : "stopped");
                out.put("restart", restart);
                System.out.println(QueueCommand.json().writeValueAsString(out));
                return 0;
            }
            System.out.println(name + " = " + text(now));
            if (!running) {
                System.out.println("the engine is not running; it uses the new value when it starts");
            } else if (restart.isEmpty()) {
                System.out.println("applied to the running engine");
            } else {
                System.out.println("restart the engine to apply: " + String.join(", ", restart));
            }
            return 0;
        }
    }

    /** Exit 2 (bad usage), with the keys the name was probably meant to be. */
    private static int unknown(String name) {
        List<String> close = ConfigKeys.closeTo(name);
        System.err.println("mailwright: unknown key \"" + name + "\""
                + (close.isEmpty() ? " — the keys are: " + String.join(", ", ConfigKeys.all().stream().map(ConfigKeys.Key::name).toList())
                        : " — did you mean: " + String.join(", ", close)));
        return 2;
    }

    private static String text(Object value) {
        return value instanceof List<?> l ? String.join(", ", l.stream().map(String::valueOf).toList()) : String.valueOf(value);
    }
}
