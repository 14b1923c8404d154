package org.mailwright.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Results;
import org.mailwright.lookup.Passwd;
import org.mailwright.lookup.Recipients;

/**
 * Users of the engine the window acts on, through {@link AppContext#admin()}: DATA/passwd here or on the connected
 * server (either engine rereads it when it changes, so a new user can log in at once), and the admin in
 * mailwright.conf. Every operation runs off the FX thread; failures are shown in words in the status line.
 */
public final class UsersViewModel {
    /** One row of the Users table. */
    public record UserRow(String name, boolean admin, String addresses) {}

    private final ObservableList<UserRow> users = FXCollections.observableArrayList();
    private final AdminData<List<UserRow>> data;

    public UsersViewModel(AppContext context) {
        this.data = new AdminData<>(context, "Reading the users", UsersViewModel::rows, rows -> {
            if (rows == null) users.clear();
            else users.setAll(rows);
        });
    }

    public void refresh() {
        data.refresh();
    }

    private static List<UserRow> rows(Admin admin) {
        List<String> names = admin.users().stream().map(Results.User::name).toList();
        String configured = String.valueOf(admin.configGet("admin").value());
        String adminName = Recipients.admin(configured, names).orElse("");
        List<String> domains = AdminData.configList(admin, "domains");
        List<UserRow> rows = new ArrayList<>();
        for (String n : names) {
            rows.add(new UserRow(n, n.equals(adminName), String.join(", ", domains.stream().map(d -> n + "@" + d).toList())));
        }
        return rows;
    }

    /** Adds a user or sets a password, typed twice; returns the problem in words, or null when the work was started. */
    public String setPassword(String name, String password, String confirm, boolean creating) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        String p = Passwd.checkName(n);
        if (p == null && creating && users.stream().anyMatch(u -> u.name().equals(n))) p = "there is already a user " + n;
        if (p == null) p = PasswordStrength.of(password).problem();
        if (p == null) p = PasswordFields.mismatch(password, confirm);
        if (p != null) {
            data.status().set(p);
            return p;
        }
        data.act(creating ? "Adding " + n : "Setting the password of " + n, admin -> {
            if (creating) admin.userAdd(n, password);
            else admin.userPasswd(n, password);
        }, creating ? "Added " + n + "." : "New password set for " + n + ".");
        return null;
    }

    /**
     * What the delete confirmation says: the user loses login and mail; when it is the admin, who receives
     * postmaster@ and abuse@ next (as {@link Recipients#admin} picks: the first user left).
     */
    String afterDelete(String name) {
        String what = name + " can no longer log in or receive mail. The mailbox stays on disk.";
        boolean isAdmin = users.stream().anyMatch(u -> u.name().equals(name) && u.admin());
        if (!isAdmin) return what;
        List<String> left = users.stream().map(UserRow::name).filter(u -> !u.equals(name)).toList();
        return what + "\n\n" + name + " is the admin: postmaster@ and abuse@ (without an alias of their own) go to the admin. "
                + Recipients.admin("", left).map(next -> "After the delete they go to " + next
                        + ", the first user; to choose someone else, select them and Make admin first.")
                        .orElse("No user is left to receive them: they are refused until you add a user.");
    }

    public void delete(String name) {
        data.act("Deleting " + name, admin -> admin.userDelete(name), "Deleted " + name + " (the mailbox stays on disk).");
    }

    private record AdminChange(Results.ConfigChange change, List<Results.Alias> overridden) {}

    public void makeAdmin(String name) {
        data.act("Making " + name + " the admin", admin -> new AdminChange(admin.configSet("admin", name), overriding(admin)), c -> {
            String when = c.change().running() && c.change().restart().isEmpty() ? "" : " (after the engine restarts)";
            if (c.overridden().isEmpty()) return name + " now receives postmaster@ and abuse@" + when + ".";
            return name + " is the admin now" + when + "; " + String.join("; ", c.overridden().stream()
                    .map(x -> x.name() + "@ still goes to " + String.join(", ", x.targets()) + " by its alias").toList())
                    + " (change that in Aliases).";
        });
    }

    /** The aliases that send postmaster@ or abuse@ elsewhere than to the admin (none when they cannot be read). */
    private static List<Results.Alias> overriding(Admin admin) {
        try {
            return admin.aliases().stream().filter(a -> AliasesViewModel.REACH_THE_ADMIN.contains(a.name())).toList();
        } catch (RuntimeException e) {
            return List.of(); // the admin was changed, which is what was asked; the Aliases view shows the file's problem
        }
    }

    public ObservableList<UserRow> users() { return users; }
    public StringProperty statusProperty() { return data.status(); }
    /** Which engine's users these are: "On this computer" or "On USER@HOST". */
    public StringProperty whereProperty() { return data.where(); }
}
