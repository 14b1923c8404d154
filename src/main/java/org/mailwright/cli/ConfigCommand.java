package org.mailwright.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Results;
import org.mailwright.config.ConfigKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with mailwright.conf.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Get.class, ConfigCommand.Set.class, ConfigCommand.SetAll.class,
                ConfigCommand.Show.class, ConfigCommand.SmarthostLogin.class})
public final class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate mailwright.conf; prints file:line: problem lines and exits 1 when it is wrong.")
    static final class Check implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--json", description = "{\"ok\", \"summary\", \"problems\": [\"file:line: …\"]}") boolean json;

        @Override
        public Integer call() {
            Results.ConfigCheck r = remote.ask(Admin::configCheck);
            if (json) {
                Json.print(r);
            } else if (r.ok()) {
                System.out.println(r.summary() + remote.where());
            } else {
                r.problems().forEach(System.err::println);
            }
            return r.ok() ? 0 : 1;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Print the effective value of a key (defaults included), e.g. limits.max_recipients;",
                    "\"listen\" and \"match\" print the listeners and the rules, one per line."})
    static final class Get implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Parameters(index = "0", paramLabel = "KEY", description = "dotted key: hostname, outbound.tls, limits.idle_timeout …")
        String name;

        @Option(names = "--json", description = "{\"key\": …, \"value\": …}") boolean json;

        @Override
        public Integer call() throws IOException {
            if (ConfigKeys.find(name).isEmpty() && !ConfigKeys.isBlocks(name)) return unknown(name);
            Results.ConfigValue v = remote.ask(admin -> admin.configGet(name));
            if (json) Json.print(v);
            else if (v.value() instanceof List<?> blocks && ConfigKeys.isBlocks(name)) blocks.forEach(b -> System.out.println(block(b)));
            else System.out.println(text(v.value()));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print every key with its effective value (defaults included), like postconf; then the listeners and rules.")
    static final class Show implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Option(names = "--json", description = "{\"KEY\": value, …, \"listen\": […], \"match\": […]}") boolean json;

        @Override
        public Integer call() {
            java.util.Map<String, Object> all = remote.ask(Admin::configShow);
            if (json) {
                Json.print(all);
                return 0;
            }
            all.forEach((k, v) -> {
                if (ConfigKeys.isBlocks(k) && v instanceof List<?> blocks) blocks.forEach(b -> System.out.println(k + " " + block(b)));
                else System.out.println(k + " = " + text(v));
            });
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Change one key in mailwright.conf, keeping every other line and comment (like postconf -e).",
                    "The value is checked as at start; a running engine applies it at once or says what needs a restart.",
                    "Lists: \"a, b\" or '[\"a\", \"b\"]'; durations: \"5m\", \"1h\"."})
    static final class Set implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Parameters(index = "0", paramLabel = "KEY") String name;
        @Parameters(index = "1", paramLabel = "VALUE") String value;

        @Option(names = "--json", description = "{\"key\", \"value\", \"engine\": running|stopped, \"restart\": [keys]}") boolean json;

        @Override
        public Integer call() throws IOException {
            if (ConfigKeys.find(name).isEmpty()) return unknown(name);
            Results.ConfigChange r = remote.ask(admin -> admin.configSet(name, value));
            if (json) {
                Json.print(r);
                return 0;
            }
            System.out.println(name + " = " + text(r.value()) + remote.where());
            if (!r.running()) {
                System.out.println("the engine is not running; it uses the new value when it starts");
            } else if (r.restart().isEmpty()) {
                System.out.println("applied to the running engine");
            } else {
                System.out.println("restart the engine to apply: " + String.join(", ", r.restart()));
            }
            return 0;
        }
    }

    @Command(name = "set-all", mixinStandardHelpOptions = true,
            description = {"Change several keys as one edit: a JSON object {\"KEY\": \"VALUE\", …} on standard input",
                    "(\"listen\": [{\"address\", \"port\", \"tls\", \"auth\"}, …] replaces the [[listen]] blocks,",
                    "\"match\": [{\"from\", \"for\", \"action\"}, …] the [[match]] rules, in order).",
                    "Every value is checked first; mailwright.conf is written once, and a running engine is told once."})
    static final class SetAll implements Callable<Integer> {
        @Mixin RemoteOptions remote;

        @Option(names = "--json", description = "{\"values\": {…}, \"engine\": running|stopped, \"restart\": [keys]}") boolean json;

        @Override
        public Integer call() throws IOException {
            java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
            java.util.List<Results.Listener> listeners = null;
            java.util.List<Results.Rule> rules = null;
            try {
                com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
                com.fasterxml.jackson.databind.JsonNode in = json.readTree(System.in);
                if (in == null || !in.isObject()) throw new IOException("not an object");
                for (var f : (Iterable<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) in::fields) {
                    if (f.getKey().equals(ConfigKeys.LISTEN)) {
                        listeners = json.convertValue(f.getValue(), new com.fasterxml.jackson.core.type.TypeReference<java.util.List<Results.Listener>>() {});
                    } else if (f.getKey().equals(ConfigKeys.MATCH)) {
                        rules = json.convertValue(f.getValue(), new com.fasterxml.jackson.core.type.TypeReference<java.util.List<Results.Rule>>() {});
                    } else {
                        values.put(f.getKey(), f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString());
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("mailwright: standard input is not a JSON object of keys and values: " + e.getMessage().lines().findFirst().orElse(""));
                return 2;
            }
            for (String name : values.keySet()) {
                if (ConfigKeys.find(name).isEmpty()) return unknown(name);
            }
            Results.ConfigChanges r;
            try (Admin admin = remote.admin()) {
                r = admin.configSetAll(values, listeners, rules);
            }
            if (json) {
                Json.print(r);
                return 0;
            }
            r.values().forEach((k, v) -> System.out.println(k + " = " + text(v) + remote.where()));
            if (!r.running()) {
                System.out.println("the engine is not running; it uses the new values when it starts");
            } else if (r.restart().isEmpty()) {
                System.out.println("applied to the running engine");
            } else {
                System.out.println("restart the engine to apply: " + String.join(", ", r.restart()));
            }
            return 0;
        }
    }

    @Command(name = "smarthost-login", mixinStandardHelpOptions = true,
            description = {"Set the login at the smarthost ([outbound] smarthost): the password goes into the file",
                    "smarthost_password_file names (DATA/smarthost.password when none, mode 0600), the user into smarthost_user.",
                    "An empty USER (\"\") removes the login. A running engine uses it from the next delivery."})
    static final class SmarthostLogin implements Callable<Integer> {
        @Mixin RemoteOptions remote;
        @Parameters(index = "0", paramLabel = "USER") String user;
        @Option(names = "--password-stdin", description = "Read the password as one line from standard input") boolean stdin;
        @Option(names = "--json", description = "{\"values\": {…}, \"engine\": running|stopped, \"restart\": [keys]}") boolean json;

        @Override
        public Integer call() throws IOException {
            String password = user.isBlank() ? "" : UserCommand.readPassword(stdin);
            Results.ConfigChanges r = remote.ask(admin -> admin.smarthostLogin(user, password));
            if (json) {
                Json.print(r);
                return 0;
            }
            System.out.println((user.isBlank() ? "Removed the smarthost login" : "The smarthost login is " + user + " (password stored, mode 0600)")
                    + remote.where());
            if (!r.running()) System.out.println("the engine is not running; it uses the login when it starts");
            else if (r.restart().isEmpty()) System.out.println("applied to the running engine");
            else System.out.println("restart the engine to apply: " + String.join(", ", r.restart()));
            return 0;
        }
    }

    /** A listener or rule as one line: {@code address 0.0.0.0 port 25 tls starttls auth none}. */
    private static String block(Object b) {
        if (b instanceof Results.Rule r) return "from " + r.from() + " for " + r.forWhat() + " action " + r.action();
        if (b instanceof Results.Listener l) return "address " + l.address() + " port " + l.port() + " tls " + l.tls() + " auth " + l.auth();
        if (b instanceof java.util.Map<?, ?> m) { // read back from JSON (remote)
            StringBuilder out = new StringBuilder();
            m.forEach((k, v) -> out.append(out.length() == 0 ? "" : " ").append(k).append(' ').append(v));
            return out.toString();
        }
        return String.valueOf(b);
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
