package org.mailwright.ui;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Results;
import org.mailwright.lookup.Aliases;
import org.mailwright.mail.Addresses;

/**
 * Aliases of the engine the window acts on, through {@link AppContext#admin()}: DATA/aliases here or on the connected
 * server. Names are {@code name} (every local domain), {@code name@domain} (that domain) or {@code @domain} (a
 * catch-all); targets are users, other aliases, or addresses elsewhere (forwarded). What is typed is checked with
 * {@link Aliases#checkName}/{@link Aliases#checkTarget} before it is sent, and a local target must reach someone.
 */
public final class AliasesViewModel {
    /** postmaster@ and abuse@ reach the admin without an alias (lookup/Recipients, RFC 2142). */
    static final List<String> REACH_THE_ADMIN = List.of("postmaster", "abuse");

    /** One row of the Aliases table; {@code kind} says which addresses it takes and whether it forwards outside. */
    public record AliasRow(String name, List<String> targets, String kind) {
        public String targetText() {
            return String.join(", ", targets);
        }
    }

    /** What a local target may name: the users, the aliases, and the local domains (the hostname among them). */
    record Names(Set<String> users, Set<String> aliases, List<String> localDomains) {
        boolean outside(String target) {
            return !Addresses.localPart(target).isEmpty() && localDomains.stream().noneMatch(d -> d.equalsIgnoreCase(Addresses.domainOf(target)));
        }

        /** Whether a local {@code target} of the alias {@code self} reaches a user (not itself again). */
        boolean reaches(String target, String self) {
            String t = target.toLowerCase(Locale.ROOT);
            int at = t.lastIndexOf('@');
            String user = Addresses.user(at < 0 ? t + "@" : t); // a bare name is a local part too
            return users.contains(user) || REACH_THE_ADMIN.contains(user)
                    || (!user.equals(self) && aliases.contains(user)) || (!t.equals(self) && aliases.contains(t))
                    || (at > 0 && aliases.contains(t.substring(at)));
        }
    }

    private record Table(List<AliasRow> rows, Names names) {}

    private final ObservableList<AliasRow> aliases = FXCollections.observableArrayList();
    private final AdminData<Table> data;
    /** The names of the last read; null until the first one arrives. */
    private Names names;
    private final BooleanProperty read = new SimpleBooleanProperty(false);

    public AliasesViewModel(AppContext context) {
        this.data = new AdminData<>(context, "Reading the aliases", AliasesViewModel::read, table -> {
            names = table == null ? null : table.names();
            read.set(table != null);
            if (table == null) aliases.clear();
            else aliases.setAll(table.rows());
        });
    }

    public void refresh() {
        data.refresh();
    }

    private static Table read(Admin admin) {
        List<Results.Alias> list = admin.aliases();
        Set<String> users = new LinkedHashSet<>(admin.users().stream().map(Results.User::name).toList());
        List<String> domains = AdminData.configList(admin, "domains");
        domains.add(String.valueOf(admin.configGet("hostname").value()));
        Names names = new Names(users, new LinkedHashSet<>(list.stream().map(Results.Alias::name).toList()), domains);
        List<AliasRow> rows = new ArrayList<>();
        for (Results.Alias a : list) rows.add(new AliasRow(a.name(), a.targets(), kind(a.name(), a.targets(), names)));
        return new Table(rows, names);
    }

    /** "all domains", "one domain" or "catch-all for DOMAIN", and ", forwards outside" when a target is elsewhere. */
    static String kind(String name, List<String> targets, Names names) {
        String what = name.startsWith("@") ? "catch-all for " + name.substring(1) : name.contains("@") ? "one domain" : "all domains";
        return targets.stream().anyMatch(names::outside) ? what + ", forwards outside" : what;
    }

    /** An alias name as typed: trimmed, lower case. */
    static String name(String typed) {
        return typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
    }

    /** Targets as typed: separated by commas or white space. */
    static List<String> targets(String typed) {
        if (typed == null || typed.isBlank()) return List.of();
        return Arrays.stream(typed.strip().split("[,\\s]+")).filter(t -> !t.isEmpty()).map(t -> t.toLowerCase(Locale.ROOT)).toList();
    }

    /** Why {@code name → targets} cannot be written, or null. */
    static String problem(String name, Collection<String> targets, Names names) {
        String p = Aliases.checkName(name);
        if (p != null) return p;
        if (targets.isEmpty()) return name + " needs a target: a user, another alias, or an address to forward to";
        for (String t : targets) {
            p = Aliases.checkTarget(t);
            if (p != null) return p;
            if (!names.outside(t) && !names.reaches(t, name)) {
                return "\"" + t + "\" is neither a user nor an alias here — add the user first, or give the full address to forward to";
            }
        }
        return null;
    }

    /**
     * Adds the alias, or more targets to an existing one; returns the problem in words (also shown in the status
     * line), or null when the work was started.
     */
    public String add(String typedName, String typedTargets) {
        String n = name(typedName);
        List<String> targets = targets(typedTargets);
        String p = names == null ? "The aliases are still being read — a moment" : problem(n, targets, names);
        List<String> before = existing(n).map(AliasRow::targets).orElse(List.of());
        if (p == null && before.containsAll(targets)) p = n + " already goes to " + String.join(", ", targets);
        if (p != null) {
            data.status().set(p);
            return p;
        }
        String to = String.join(", ", targets.stream().filter(t -> !before.contains(t)).toList());
        data.act(before.isEmpty() ? "Adding " + n : "Adding " + to + " to " + n, admin -> admin.aliasAdd(n, targets),
                before.isEmpty() ? "Added " + n + " → " + to + "." : "Added " + to + " to " + n + ".");
        return null;
    }

    public void delete(String name) {
        data.act("Deleting " + name, admin -> admin.aliasDelete(name), "Deleted " + name + ".");
    }

    /** What deleting {@code name} changes, for the confirmation. */
    static String afterDelete(String name) {
        if (REACH_THE_ADMIN.contains(name)) return "Mail to " + name + "@ then goes to the admin, as it does without an alias.";
        if (name.startsWith("@")) return "Mail to addresses at " + name.substring(1) + " that no user or alias has is then refused as unknown.";
        return "Mail to " + (name.contains("@") ? name : name + "@") + " then goes to a user of that name or a broader alias, "
                + "or is refused as unknown.";
    }

    /** The alias of that name in the table, if there is one. */
    java.util.Optional<AliasRow> existing(String name) {
        String n = name(name);
        return aliases.stream().filter(a -> a.name().equals(n)).findFirst();
    }

    public ObservableList<AliasRow> aliases() { return aliases; }
    public StringProperty statusProperty() { return data.status(); }
    /** Whether the table has been read from the engine the window acts on (false again while it switches). */
    public BooleanProperty readProperty() { return read; }
    /** Which engine's aliases these are: "On this computer" or "On USER@HOST". */
    public StringProperty whereProperty() { return data.where(); }
}
