package org.mailwright.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.config.Config;
import org.mailwright.config.ConfigWriter;
import org.mailwright.lookup.Passwd;

/** Users in DATA/passwd (the running engine rereads it when it changes) and the admin in mailwright.conf. */
public final class UsersViewModel {
    /** One row of the Users table. */
    public record UserRow(String name, boolean admin, String addresses) {}

    private final AppContext context;
    private final ObservableList<UserRow> users = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");

    public UsersViewModel(AppContext context) {
        this.context = context;
    }

    public void refresh() {
        context.work().run("Reading the users", () -> {
            Config c = context.config();
            List<String> names = new Passwd(context.dataDir()).users();
            String admin = c.admin().isEmpty() && !names.isEmpty() ? names.get(0) : c.admin();
            List<UserRow> rows = new ArrayList<>();
            for (String n : names) {
                rows.add(new UserRow(n, n.equals(admin), String.join(", ", c.domains().stream().map(d -> n + "@" + d).toList())));
            }
            return rows;
        }, users::setAll);
    }

    /** Adds a user or sets a password; returns the problem in words, or null when the work was started. */
    public String setPassword(String name, String password, boolean creating) {
        String n = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT);
        String p = Passwd.checkName(n);
        if (p == null && creating && users.stream().anyMatch(u -> u.name().equals(n))) p = "there is already a user " + n;
        if (p == null) p = PasswordStrength.of(password).problem();
        if (p != null) {
            status.set(p);
            return p;
        }
        context.work().run(creating ? "Adding " + n : "Setting the password of " + n, () -> {
            new Passwd(context.dataDir()).set(n, password);
            return null;
        }, ok -> {
            status.set(creating ? "Added " + n + "." : "New password set for " + n + ".");
            refresh();
        });
        return null;
    }

    public void delete(String name) {
        context.work().run("Deleting " + name, () -> new Passwd(context.dataDir()).delete(name), ok -> {
            status.set("Deleted " + name + " (the mailbox stays on disk).");
            refresh();
        });
    }

    public void makeAdmin(String name) {
        context.work().run("Making " + name + " the admin", () -> {
            Config c = context.config();
            ConfigWriter.save(c.withAdmin(name), context.dataDir());
            return null;
        }, ok -> {
            status.set(name + " now receives postmaster@ and abuse@ (after the engine restarts).");
            refresh();
        });
    }

    public ObservableList<UserRow> users() { return users; }
    public StringProperty statusProperty() { return status; }
}
