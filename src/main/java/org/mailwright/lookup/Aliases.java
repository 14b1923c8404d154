package org.mailwright.lookup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.mailwright.mail.Addresses;

/**
 * {@code DATA/aliases}, an OpenSMTPD aliases table (aliases(5)): {@code name: target, target}, {@code #} comments,
 * a line starting with white space continues the one before. Names: {@code name} (every local domain),
 * {@code name@domain} (that domain), {@code @domain} (everything else for that domain: a catch-all). Targets: a
 * user, another alias, or an address elsewhere (forwarded). OpenSMTPD's file, command and include targets are not
 * offered here: a line with one is an error naming its line.
 *
 * <p>{@link #expand} resolves an address to the users and outside addresses it reaches, first match wins: the
 * alias {@code name@domain}, the alias {@code name}, the user, the catch-all. An alias that names itself among its
 * targets delivers to the user of that name (keep a copy and forward); a loop or more than {@link #MAX_DEPTH} levels
 * is an error, as is an alias that reaches nobody.
 */
public final class Aliases {
    public static final String FILE_NAME = "aliases";
    static final int MAX_DEPTH = 10;
    static final int MAX_RECIPIENTS = 1000;

    /** One table entry: where it was written, for the errors. */
    public record Entry(String name, List<String> targets, int line) {}

    private final Map<String, Entry> entries;

    private Aliases(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static Aliases empty() {
        return new Aliases(Map.of());
    }

    /** The problem with a table line, as {@code file:line: what — what to do}. */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    /** The table of {@code DATA/aliases}; none there: an empty table. */
    public static Aliases load(Path dataDir) throws IOException, Malformed {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            return empty();
        }
    }

    public static Aliases parse(String text, String fileName) throws Malformed {
        Map<String, Entry> out = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        String pending = null;
        int pendingLine = 0;
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? stripComment(lines[i]) : "";
            boolean continuation = i < lines.length && !line.isBlank() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (continuation && pending != null) {
                pending += " " + line.strip();
                continue;
            }
            if (continuation) throw new Malformed(fileName + ":" + (i + 1) + ": a continuation line with no alias before it — start the line with NAME:");
            if (pending != null) {
                Entry e = entry(pending, pendingLine, fileName);
                if (out.containsKey(e.name())) {
                    throw new Malformed(fileName + ":" + pendingLine + ": " + e.name() + " is already defined on line "
                            + out.get(e.name()).line() + " — put all its targets on one line");
                }
                out.put(e.name(), e);
                pending = null;
            }
            if (i < lines.length && !line.isBlank()) {
                pending = line.strip();
                pendingLine = i + 1;
            }
        }
        return new Aliases(out);
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    private static Entry entry(String text, int line, String file) throws Malformed {
        int colon = text.indexOf(':');
        if (colon <= 0) throw new Malformed(file + ":" + line + ": \"" + text + "\" is not NAME: TARGET, TARGET …");
        String name = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String problem = checkName(name);
        if (problem != null) throw new Malformed(file + ":" + line + ": " + problem);
        List<String> targets = new ArrayList<>();
        for (String t : text.substring(colon + 1).split(",")) {
            String target = t.strip();
            if (target.isEmpty()) continue;
            if (target.startsWith("/") || target.startsWith("|") || target.startsWith(":include:") || target.startsWith("\"")) {
                throw new Malformed(file + ":" + line + ": " + name + " → " + target + ": delivery to files, commands and includes is not"
                        + " supported — give users or addresses");
            }
            if (target.startsWith("error:")) {
                throw new Malformed(file + ":" + line + ": " + name + " → " + target + ": error targets are not supported — delete the alias"
                        + " and the address is refused as unknown");
            }
            String p = checkTarget(target);
            if (p != null) throw new Malformed(file + ":" + line + ": " + name + " → " + p);
            targets.add(target.toLowerCase(Locale.ROOT));
        }
        if (targets.isEmpty()) throw new Malformed(file + ":" + line + ": " + name + " has no target — name a user or an address after the colon");
        return new Entry(name, List.copyOf(targets), line);
    }

    /** Why {@code name} cannot be an alias name ({@code name}, {@code name@domain} or {@code @domain}), or null. */
    public static String checkName(String name) {
        if (name.isEmpty()) return "an alias needs a name";
        int at = name.indexOf('@');
        String local = at < 0 ? name : name.substring(0, at);
        String domain = at < 0 ? null : name.substring(at + 1);
        if (at >= 0 && name.indexOf('@', at + 1) >= 0) return "\"" + name + "\" has two @";
        if (!local.isEmpty() && !local.matches("[a-z0-9][a-z0-9._+-]*")) {
            return "\"" + name + "\" is not an alias name: use letters, digits and . _ + -";
        }
        if (domain != null && !domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            return "\"" + domain + "\" in \"" + name + "\" is not a domain";
        }
        if (local.isEmpty() && domain == null) return "an alias needs a name";
        return null;
    }

    /** Why {@code target} cannot be an alias target (a user or alias name, or an address), or null. */
    public static String checkTarget(String target) {
        String t = target.toLowerCase(Locale.ROOT);
        int at = t.lastIndexOf('@');
        if (at == 0 || at == t.length() - 1) return "\"" + target + "\" is not a user or an address";
        if (t.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ':')) {
            return "\"" + target + "\" is not a user or an address";
        }
        return null;
    }

    /**
     * The table's text with {@code name}'s entry replaced by {@code name: targets} — or added at the end, or removed
     * when {@code targets} is null — every other line and comment as it was. The caller checks the result with
     * {@link #parse} before writing it.
     */
    public static String edit(String text, String name, List<String> targets) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        String wanted = name.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            String l = stripComment(lines.get(i));
            int colon = l.indexOf(':');
            if (colon > 0 && !l.isBlank() && l.charAt(0) != ' ' && l.charAt(0) != '\t'
                    && l.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(wanted)) {
                start = i;
            }
        }
        String entry = targets == null ? null : wanted + ": " + String.join(", ", targets);
        if (start < 0) {
            if (entry != null) lines.add(entry);
        } else {
            int end = start + 1;
            while (end < lines.size() && !stripComment(lines.get(end)).isBlank()
                    && (lines.get(end).charAt(0) == ' ' || lines.get(end).charAt(0) == '\t')) end++;
            lines.subList(start, end).clear();
            if (entry != null) lines.add(start, entry);
        }
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    /** The entry of {@code name}, if the table has one. */
    public java.util.Optional<Entry> entry(String name) {
        return java.util.Optional.ofNullable(entries.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The entries, in file order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** Where an address goes: the local users and the outside addresses it reaches. */
    public record Expansion(List<String> users, List<String> forwards) {
        public boolean reachesNobody() {
            return users.isEmpty() && forwards.isEmpty();
        }
    }

    /** The address cannot be resolved: a loop, too deep, too many recipients. */
    public static final class Unresolvable extends Exception {
        Unresolvable(String message) {
            super(message);
        }
    }

    /**
     * Resolves {@code address} (lower-cased, in {@code domain}, a local domain) against the table, the users
     * ({@code isUser}) and the local domains. No alias and no user: an empty expansion (unknown address).
     */
    public Expansion expand(String address, Predicate<String> isUser, Predicate<String> isLocalDomain) throws Unresolvable {
        Set<String> users = new LinkedHashSet<>();
        Set<String> forwards = new LinkedHashSet<>();
        resolve(address.toLowerCase(Locale.ROOT), isUser, isLocalDomain, users, forwards, new ArrayDeque<>());
        return new Expansion(List.copyOf(users), List.copyOf(forwards));
    }

    private void resolve(String address, Predicate<String> isUser, Predicate<String> isLocalDomain, Set<String> users,
                         Set<String> forwards, Deque<String> path) throws Unresolvable {
        String local = Addresses.localPart(address);
        String domain = Addresses.domainOf(address);
        if (!isLocalDomain.test(domain)) {
            forwards.add(address);
            return;
        }
        Entry e = entries.get(address);
        if (e == null) e = entries.get(local);
        if (e == null && isUser.test(local)) {
            users.add(local);
            return;
        }
        if (e == null) e = entries.get("@" + domain);
        if (e == null) return; // nobody: the caller refuses it as unknown
        if (path.contains(e.name())) {
            throw new Unresolvable("the alias " + e.name() + " (line " + e.line() + ") loops: " + String.join(" → ", path) + " → " + e.name());
        }
        if (path.size() >= MAX_DEPTH) throw new Unresolvable("aliases nest deeper than " + MAX_DEPTH + " levels at " + e.name());
        path.addLast(e.name());
        for (String target : e.targets()) {
            String next = target.contains("@") ? target : target + "@" + domain;
            // "alice: alice, alice@elsewhere": the name among its own targets is the user, not the alias again.
            if (target.equals(local) && isUser.test(local)) {
                users.add(local);
            } else {
                resolve(next, isUser, isLocalDomain, users, forwards, path);
            }
            if (users.size() + forwards.size() > MAX_RECIPIENTS) {
                throw new Unresolvable("the alias " + e.name() + " reaches more than " + MAX_RECIPIENTS + " recipients");
            }
        }
        path.removeLast();
    }
}
