package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.lookup.Aliases;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Aliases view on this computer, through the admin layer: what is added lands in DATA/aliases (its comments
 * kept), more targets join an alias, Delete asks first, and a bad name or target, or a broken file, is said in words.
 */
@ExtendWith(ApplicationExtension.class)
class AliasesViewTest {
    static {
        Fx.patientSetup();
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void addAddToAndDeleteEditDataAliases(FxRobot robot, @TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test")
                .user("alice", "correct horse battery").user("bob", "correct horse battery");
        Path file = d.dir.resolve(Aliases.FILE_NAME);
        Files.writeString(file, "# kept by hand\nsales: bob\n");

        try (AppContext context = new AppContext(d.dir)) {
            AliasesViewModel model = show(context);
            await().atMost(WAIT).until(() -> names(robot).equals(List.of("sales")));
            assertThat(Fx.get(() -> model.aliases().get(0).kind())).isEqualTo("all domains");

            // Checked before anything is sent: a bad name, a target that reaches nobody; the file stays as it was.
            add(robot, "Info Desk", "alice");
            assertThat(status(robot)).isEqualTo("\"info desk\" is not an alias name: use letters, digits and . _ + -");
            add(robot, "info", "carol");
            assertThat(status(robot)).startsWith("\"carol\" is neither a user nor an alias here");
            add(robot, "info", "");
            assertThat(status(robot)).isEqualTo("info needs a target: a user, another alias, or an address to forward to");
            assertThat(Files.readString(file)).isEqualTo("# kept by hand\nsales: bob\n");

            add(robot, "info", "alice, friend@elsewhere.test");
            await().atMost(WAIT).until(() -> names(robot).equals(List.of("sales", "info")));
            assertThat(status(robot)).isEqualTo("Added info → alice, friend@elsewhere.test.");
            assertThat(Files.readString(file)).isEqualTo("# kept by hand\nsales: bob\ninfo: alice, friend@elsewhere.test\n");
            assertThat(Fx.get(() -> model.aliases().get(1).kind())).isEqualTo("all domains, forwards outside");

            // More targets for an existing alias: its row selected, the button says so.
            Fx.run(() -> table(robot).getSelectionModel().select(1));
            assertThat(Fx.get(() -> robot.lookup("#name").queryAs(TextField.class).getText())).isEqualTo("info");
            assertThat(Fx.get(() -> robot.lookup("#addButton").queryAs(Button.class).getText())).isEqualTo("_Add to info");
            add(robot, "info", "bob");
            await().atMost(WAIT).until(() -> status(robot).equals("Added bob to info."));
            assertThat(Files.readString(file)).contains("\ninfo: alice, friend@elsewhere.test, bob\n");

            add(robot, "@example.test", "info");
            add(robot, "sales@example.test", "alice");
            await().atMost(WAIT).until(() -> names(robot).size() == 4);
            assertThat(Fx.get(() -> model.aliases().stream().map(AliasesViewModel.AliasRow::kind).toList()))
                    .containsExactly("all domains", "all domains, forwards outside", "catch-all for example.test", "one domain");
            Fx.snapshot(stage, "aliases.png");

            // Delete asks first; Cancel is the default button.
            Fx.run(() -> table(robot).getSelectionModel().select(1));
            robot.clickOn("#deleteButton");
            await().atMost(WAIT).until(() -> robot.lookup((Node n) -> n instanceof Button b && "OK".equals(b.getText())).tryQuery().isPresent());
            assertThat(Fx.get(() -> robot.lookup((Node n) -> n instanceof Button b && "Cancel".equals(b.getText())).queryButton().isDefaultButton())).isTrue();
            robot.clickOn(robot.lookup((Node n) -> n instanceof Button b && "OK".equals(b.getText())).queryButton());
            await().atMost(WAIT).until(() -> names(robot).equals(List.of("sales", "@example.test", "sales@example.test")));
            assertThat(status(robot)).isEqualTo("Deleted info.");
            assertThat(Files.readString(file)).isEqualTo("# kept by hand\nsales: bob\n@example.test: info\nsales@example.test: alice\n");
        }
    }

    @Test
    void aBrokenFileAndAFailedOperationAreSaidInWords(FxRobot robot, @TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test").user("alice", "correct horse battery");
        Path file = d.dir.resolve(Aliases.FILE_NAME);
        Files.writeString(file, "info: alice\nthis line has no colon\n");
        try (AppContext context = new AppContext(d.dir)) {
            show(context);
            await().atMost(WAIT).until(() -> !status(robot).isEmpty());
            assertThat(status(robot)).isEqualTo("Reading the aliases: " + file + ":2: \"this line has no colon\" is not NAME: TARGET, TARGET …")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void makingAnotherAdminSaysWhereAnAliasStillSendsPostmaster(@TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test")
                .user("alice", "correct horse battery").user("bob", "correct horse battery");
        Files.writeString(d.dir.resolve(Aliases.FILE_NAME), "postmaster: alice\n");
        try (AppContext context = new AppContext(d.dir)) {
            UsersViewModel users = Fx.get(() -> new UsersViewModel(context));
            Fx.run(() -> users.makeAdmin("bob"));
            await().atMost(WAIT).until(() -> Fx.get(() -> users.statusProperty().get()).startsWith("bob "));
            assertThat(Fx.get(() -> users.statusProperty().get())).isEqualTo("bob is the admin now (after the engine restarts); postmaster@ still goes to alice by its alias"
                    + " (change that in Aliases).");
        }
    }

    private AliasesViewModel show(AppContext context) {
        return Fx.get(() -> {
            AliasesViewModel m = new AliasesViewModel(context);
            Scene scene = new Scene(new AliasesView(m).root(), 1024, 700);
            scene.getStylesheets().add(Views.stylesheet());
            stage.setScene(scene);
            stage.show();
            return m;
        });
    }

    /** Types into the form and presses the add button, as a person would. */
    private static void add(FxRobot robot, String name, String targets) {
        Fx.run(() -> {
            robot.lookup("#name").queryAs(TextField.class).setText(name);
            robot.lookup("#targets").queryAs(TextField.class).setText(targets);
            robot.lookup("#addButton").queryAs(Button.class).fire();
        });
    }

    @SuppressWarnings("unchecked")
    private static TableView<AliasesViewModel.AliasRow> table(FxRobot robot) {
        return robot.lookup("#table").queryAs(TableView.class);
    }

    private static List<String> names(FxRobot robot) {
        return Fx.get(() -> table(robot).getItems().stream().map(AliasesViewModel.AliasRow::name).toList());
    }

    private static String status(FxRobot robot) {
        return Fx.get(() -> robot.lookup("#statusLabel").queryAs(Label.class).getText());
    }
}
