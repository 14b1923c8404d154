package org.mailwright.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Results;
import org.mailwright.lookup.Passwd;

/**
 * Users of the engine the window acts on, through {@link AppContext#admin()}: DATA/passwd here or on the connected
 * server (either engine rereads it when it changes, so a new user can log in at once), and the admin in
 * mailwright.conf. Every operation runs off the FX thread; failures are shown in words in the status line.
 */
public final class UsersViewModel {
    /** One row of the Users table. */
    public record UserRow(String name, boolean admin, String addresses) {}

    private final AppContext context;
    private final ObservableList<UserRow> users = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty where = new SimpleStringProperty("");

    public UsersViewModel(AppContext context) {
        this.context = context;
        context.adminProperty().addListener((o, was, now) -> {
            users.clear();
            status.set("");
            refresh();
        });
    }

    public void refresh() {
        Admin admin = context.admin();
        where.set(context.remote() ? "On " + context.remoteProperty().get().name() : "On this computer");
        context.work().run("Reading the users", () -> rows(admin), rows -> {
            if (admin == context.admin()) users.setAll(rows);
        }, failed -> {
            if (admin == context.admin()) status.set(failed);
        });
    }

    private static List<UserRow> rows(Admin admin) {
        List<String> names = admin.users().stream().map(Results.User::name).toList();
        String configured = String.valueOf(admin.configGet("admin").value());
        String adminName = (configured.isEmpty() || configured.equals("null")) && !names.isEmpty() ? names.get(0) : configured;
        List<String> domains = new ArrayList<>();
        if (admin.configGet("domains").value() instanceof List<?> list) list.forEach(d -> domains.add(String.valueOf(d)));
        List<UserRow> rows = new ArrayList<>();
        for (String n : names) {
            rows.add(new UserRow(n, n.equals(adminName), String.join(", ", domains.stream().map(d -> n + "@" + d).toList())));
        }
        return rows;
    }

    /** Adds a user or sets a password; returns the problem in words, or null when the work was started. */
    public String setPassword(String name, String password, boolean creating) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        String p = Passwd.checkName(n);
        if (p == null && creating && users.stream().anyMatch(u -> u.name().equals(n))) p = "there is already a user " + n;
        if (p == null) p = PasswordStrength.of(password).problem();
        if (p != null) {
            status.set(p);
            return p;
        }
        Admin admin = context.admin();
        status.set(creating ? "Adding " + n + "…" : "Setting the password of " + n + "…");
        context.work().run(creating ? "Adding " + n : "Setting the password of " + n, () -> {
            if (creating) admin.userAdd(n, password);
            else admin.userPasswd(n, password);
            return null;
        }, ok -> {
            status.set(creating ? "Added " + n + "." : "New password set for " + n + ".");
            refresh();
        }, status::set);
        return null;
    }

    public void delete(String name) {
        Admin admin = context.admin();
        status.set("Deleting " + name + "…");
        context.work().run("Deleting " + name, () -> {
            admin.userDelete(name);
            return null;
        }, ok -> {
            status.set("Deleted " + name + " (the mailbox stays on disk).");
            refresh();
        }, status::set);
    }

    public void makeAdmin(String name) {
        Admin admin = context.admin();
        context.work().run("Making " + name + " the admin", () -> admin.configSet("admin", name), change -> {
            status.set(name + " now receives postmaster@ and abuse@"
                    + (change.running() && change.restart().isEmpty() ? "." : " (after the engine restarts)."));
            refresh();
        }, status::set);
    }

    public ObservableList<UserRow> users() { return users; }
    public StringProperty statusProperty() { return status; }
    /** Which engine's users these are: "On this computer" or "On USER@HOST". */
    public StringProperty whereProperty() { return where; }
}
