package org.mailwright.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.mailwright.io.DurableFiles;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * {@code config set KEY VALUE}, as Postfix's {@code postconf -e}: the value replaces the old one on the key's own
 * line (or the key is added under its section, or the section at the end), so every other line — comments,
 * order, keys the app does not know how to show — stays as the person who wrote the file left it. The edited
 * text is loaded with the same ConfigLoader rules as at start before it replaces the file (temp file, fsync,
 * rename), so a value out of range changes nothing.
 */
public final class ConfigEdit {
    private ConfigEdit() {}

    /** What a set did: the configuration before and after (to tell the engine what changed). */
    public record Result(ConfigKeys.Key key, Config before, Config after) {}

    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,18}");

    public static Result set(Path dataDir, ConfigKeys.Key key, String input) throws ConfigException, IOException {
        Path file = dataDir.resolve(ConfigLoader.FILE_NAME);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            ConfigLoader.load(dataDir); // says "not found — run init" or "cannot be read" the usual way
            throw e;
        }
        Config before = ConfigLoader.parse(text, dataDir);
        String value = tomlValue(key, input);
        String edited = edit(text, key, value);
        Config after;
        try {
            after = ConfigLoader.parse(edited, dataDir);
        } catch (ConfigException e) {
            throw new ConfigException(e.problems().stream().map(p -> key.name() + " = " + value + ": " + p).toList());
        }
        if (!Objects.equals(raw(Toml.parse(edited), dotted(key)), raw(Toml.parse("v = " + value), "v"))) {
            // A layout this editor does not understand (an inline table, say): better to refuse than to guess.
            throw new ConfigException(ConfigLoader.FILE_NAME + ": " + key.name() + " could not be changed in place — edit the file by hand");
        }
        DurableFiles.write(file, edited, false);
        return new Result(key, before, after);
    }

    /** What a set of several keys did: the configuration before and after. */
    public record Results(Config before, Config after) {}

    /**
     * Sets several keys as one edit: each value in place as {@link #set} does, the result loaded once as at start,
     * then written once (temp file, fsync, rename). Any bad value changes nothing.
     */
    public static Results setAll(Path dataDir, java.util.Map<ConfigKeys.Key, String> inputs) throws ConfigException, IOException {
        return setAll(dataDir, inputs, null);
    }

    /** As {@link #setAll(Path, java.util.Map)}, also replacing the {@code [[listen]]} blocks when {@code listeners} is not null. */
    public static Results setAll(Path dataDir, java.util.Map<ConfigKeys.Key, String> inputs, List<Config.Listener> listeners)
            throws ConfigException, IOException {
        return setAll(dataDir, inputs, listeners, null);
    }

    /**
     * As {@link #setAll(Path, java.util.Map)}, also replacing the {@code [[listen]]} blocks when {@code listeners} is not
     * null and the {@code [[match]]} rules when {@code rules} is not null (in the same edit, in place).
     */
    public static Results setAll(Path dataDir, java.util.Map<ConfigKeys.Key, String> inputs, List<Config.Listener> listeners,
                                 List<Config.MatchRule> rules) throws ConfigException, IOException {
        Path file = dataDir.resolve(ConfigLoader.FILE_NAME);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            ConfigLoader.load(dataDir);
            throw e;
        }
        Config before = ConfigLoader.parse(text, dataDir);
        String edited = text;
        java.util.Map<ConfigKeys.Key, String> values = new java.util.LinkedHashMap<>();
        for (var e : inputs.entrySet()) {
            String value = tomlValue(e.getKey(), e.getValue());
            values.put(e.getKey(), value);
            edited = edit(edited, e.getKey(), value);
        }
        if (listeners != null) edited = listeners(edited, listeners);
        if (rules != null) edited = rules(edited, rules);
        Config after = ConfigLoader.parse(edited, dataDir);
        TomlParseResult toml = Toml.parse(edited);
        for (var e : values.entrySet()) {
            if (!Objects.equals(raw(toml, dotted(e.getKey())), raw(Toml.parse("v = " + e.getValue()), "v"))) {
                throw new ConfigException(ConfigLoader.FILE_NAME + ": " + e.getKey().name() + " could not be changed in place — edit the file by hand");
            }
        }
        if (!edited.equals(text)) DurableFiles.write(file, edited, false);
        return new Results(before, after);
    }

    /**
     * Writes {@code changed} as edits of the file in place: only the keys (and the {@code [[listen]]} blocks) whose
     * values differ are rewritten (and the {@code [[listen]]} or {@code [[match]]} blocks when those differ), so
     * comments and the user's layout stay. No file yet: it is written whole.
     */
    public static void saveChanges(Path dataDir, Config changed) throws ConfigException, IOException {
        if (!ConfigLoader.exists(dataDir)) {
            ConfigWriter.save(changed, dataDir);
            return;
        }
        Config current = ConfigLoader.load(dataDir);
        java.util.Map<ConfigKeys.Key, String> inputs = new java.util.LinkedHashMap<>();
        for (ConfigKeys.Key k : ConfigKeys.all()) {
            Object now = k.valueIn(changed);
            if (now.equals(k.valueIn(current))) continue;
            @SuppressWarnings("unchecked")
            String input = now instanceof List<?> l ? ConfigWriter.list((List<String>) l) : String.valueOf(now);
            inputs.put(k, input);
        }
        List<Config.Listener> listeners = current.listeners().equals(changed.listeners()) ? null : changed.listeners();
        List<Config.MatchRule> rules = current.matches().equals(changed.matches()) ? null : changed.matches();
        if (inputs.isEmpty() && listeners == null && rules == null) return;
        setAll(dataDir, inputs, listeners, rules);
    }

    /** The TOML text of {@code input} for the key's type; IllegalArgumentException says what was expected. */
    static String tomlValue(ConfigKeys.Key key, String input) {
        String s = input.strip();
        return switch (key.type()) {
            case STRING -> ConfigWriter.q(input);
            case NUMBER -> {
                if (!NUMBER.matcher(s).matches()) {
                    throw new IllegalArgumentException(key.name() + " takes a whole number, not \"" + input + "\"");
                }
                yield String.valueOf(Long.parseLong(s));
            }
            case BOOLEAN -> {
                if (!s.equals("true") && !s.equals("false")) {
                    throw new IllegalArgumentException(key.name() + " takes true or false, not \"" + input + "\"");
                }
                yield s;
            }
            case LIST -> ConfigWriter.list(listItems(key, s));
        };
    }

    /** {@code a, b} or a TOML array {@code ["a", "b"]}; an empty value is the empty list. */
    private static List<String> listItems(ConfigKeys.Key key, String s) {
        if (s.startsWith("[")) {
            TomlParseResult r = Toml.parse("v = " + s);
            TomlArray a = r.hasErrors() ? null : r.getArray("v");
            List<String> items = new ArrayList<>();
            if (a != null) {
                for (int i = 0; i < a.size(); i++) {
                    if (a.get(i) instanceof String item) items.add(item);
                    else a = null;
                    if (a == null) break;
                }
            }
            if (a == null) {
                throw new IllegalArgumentException(key.name() + " takes a list of strings, like \"a, b\" or '[\"a\", \"b\"]', not " + s);
            }
            return items;
        }
        return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    private static String dotted(ConfigKeys.Key key) {
        return key.section().isEmpty() ? key.tomlKey() : key.section() + "." + key.tomlKey();
    }

    private static Object raw(TomlParseResult toml, String dotted) {
        Object v = toml.get(dotted);
        return v instanceof TomlArray a ? a.toList() : v;
    }

    /** The text with the key's value replaced, or the key added. */
    static String edit(String text, ConfigKeys.Key key, String value) {
        TomlParseResult toml = Toml.parse(text);
        TomlPosition at = toml.hasErrors() ? null : toml.inputPositionOf(dotted(key));
        List<Integer> starts = lineStarts(text);
        if (at != null) {
            int keyStart = starts.get(at.line() - 1) + at.column() - 1;
            int eq = text.indexOf('=', keyStart);
            int from = eq + 1;
            while (from < text.length() && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) from++;
            int to = valueEnd(text, from);
            return text.substring(0, from) + value + text.substring(to);
        }
        String line = key.tomlKey() + " = " + value + "\n";
        String[] lines = text.split("\n", -1);
        if (key.section().isEmpty()) {
            int header = firstHeader(lines, 0);
            return insert(lines, backOverComments(lines, header, -1), line);
        }
        Pattern wanted = Pattern.compile("\\s*\\[\\s*" + Pattern.quote(key.section()) + "\\s*]\\s*(#.*)?");
        for (int i = 0; i < lines.length; i++) {
            if (wanted.matcher(lines[i]).matches()) {
                return insert(lines, backOverComments(lines, firstHeader(lines, i + 1), i), line);
            }
        }
        String sep = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        return text + sep + "\n[" + key.section() + "]\n" + line;
    }

    /**
     * The {@code [[listen]]} blocks replaced by {@code listeners}, written where the first one was (or at the end); the
     * comments above other sections stay with them.
     */
    static String listeners(String text, List<Config.Listener> listeners) {
        StringBuilder blocks = new StringBuilder();
        for (Config.Listener l : listeners) {
            blocks.append("[[listen]]\n").append("address = ").append(ConfigWriter.q(l.address())).append('\n')
                    .append("port = ").append(l.port()).append('\n')
                    .append("tls = ").append(ConfigWriter.q(l.tls().word())).append('\n')
                    .append("auth = ").append(ConfigWriter.q(l.auth().word())).append("\n\n");
        }
        return blocks(text, "listen", blocks.toString());
    }

    /**
     * The {@code [[match]]} blocks replaced by {@code rules}, in order, where the first one was. No rules is written
     * {@code match = []} at the top (without it the loader would take the default rules); rules replace that line.
     */
    static String rules(String text, List<Config.MatchRule> rules) {
        StringBuilder blocks = new StringBuilder();
        for (Config.MatchRule m : rules) {
            blocks.append("[[match]]\n").append("from = ").append(ConfigWriter.q(m.from().word())).append('\n')
                    .append("for = ").append(ConfigWriter.q(m.forWhat().word())).append('\n')
                    .append("action = ").append(ConfigWriter.q(m.action().word())).append("\n\n");
        }
        String[] lines = text.split("\n", -1);
        Pattern none = Pattern.compile("\\s*match\\s*=\\s*\\[\\s*]\\s*(#.*)?");
        int header = firstHeader(lines, 0);
        StringBuilder b = new StringBuilder();
        boolean hadNone = false;
        for (int i = 0; i < lines.length; i++) {
            boolean drop = i < header && none.matcher(lines[i]).matches();
            hadNone |= drop;
            if (!drop || rules.isEmpty()) {
                b.append(lines[i]);
                if (i < lines.length - 1) b.append('\n');
            }
        }
        String edited = blocks(b.toString(), "match", blocks.toString());
        if (rules.isEmpty() && !hadNone) {
            String[] e = edited.split("\n", -1);
            edited = insert(e, backOverComments(e, firstHeader(e, 0), -1), "match = []\n");
        }
        return edited;
    }

    /** The {@code [[NAME]]} blocks replaced by {@code blocks} where the first one was (or at the end when none was). */
    private static String blocks(String text, String name, String blocks) {
        String[] lines = text.split("\n", -1);
        Pattern block = Pattern.compile("\\s*\\[\\[\\s*" + Pattern.quote(name) + "\\s*]]\\s*(#.*)?");
        StringBuilder b = new StringBuilder();
        boolean placed = false;
        for (int i = 0; i < lines.length; i++) {
            if (block.matcher(lines[i]).matches()) {
                int end = backOverComments(lines, firstHeader(lines, i + 1), i);
                if (!placed) b.append(blocks);
                placed = true;
                i = end - 1;
                continue;
            }
            b.append(lines[i]);
            if (i < lines.length - 1) b.append('\n');
        }
        if (!placed && !blocks.isEmpty()) {
            if (b.length() > 0 && b.charAt(b.length() - 1) != '\n') b.append('\n');
            b.append('\n').append(blocks);
        }
        return b.toString();
    }

    private static int firstHeader(String[] lines, int from) {
        for (int i = from; i < lines.length; i++) {
            if (lines[i].strip().startsWith("[")) return i;
        }
        return lines.length;
    }

    /** Above the next section's leading comments and blank lines (they belong to it), but below {@code floor}. */
    private static int backOverComments(String[] lines, int index, int floor) {
        int i = index;
        while (i - 1 > floor && (lines[i - 1].isBlank() || lines[i - 1].strip().startsWith("#"))) i--;
        return i;
    }

    private static String insert(String[] lines, int index, String line) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i == index) b.append(line);
            b.append(lines[i]);
            if (i < lines.length - 1) b.append('\n');
        }
        if (index >= lines.length) {
            if (b.length() > 0 && b.charAt(b.length() - 1) != '\n') b.append('\n');
            b.append(line);
        }
        return b.toString();
    }

    private static List<Integer> lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') starts.add(i + 1);
        }
        return starts;
    }

    /** Where the TOML value starting at {@code i} ends: strings and (multi-line) arrays whole, a trailing comment kept. */
    private static int valueEnd(String text, int i) {
        if (i >= text.length()) return i;
        char c = text.charAt(i);
        if (c == '"' || c == '\'') return stringEnd(text, i);
        if (c == '[' || c == '{') {
            int depth = 0;
            int j = i;
            while (j < text.length()) {
                char x = text.charAt(j);
                if (x == '"' || x == '\'') {
                    j = stringEnd(text, j);
                    continue;
                }
                if (x == '#') {
                    while (j < text.length() && text.charAt(j) != '\n') j++;
                    continue;
                }
                if (x == '[' || x == '{') depth++;
                if (x == ']' || x == '}') {
                    depth--;
                    if (depth == 0) return j + 1;
                }
                j++;
            }
            return j;
        }
        int j = i;
        while (j < text.length() && !Character.isWhitespace(text.charAt(j)) && text.charAt(j) != '#') j++;
        return j;
    }

    private static int stringEnd(String text, int i) {
        char q = text.charAt(i);
        String triple = String.valueOf(q).repeat(3);
        if (text.startsWith(triple, i)) {
            int end = text.indexOf(triple, i + 3);
            return end < 0 ? text.length() : end + 3;
        }
        int j = i + 1;
        while (j < text.length() && text.charAt(j) != q && text.charAt(j) != '\n') {
            if (q == '"' && text.charAt(j) == '\\') j++;
            j++;
        }
        return Math.min(text.length(), j + 1);
    }
}
