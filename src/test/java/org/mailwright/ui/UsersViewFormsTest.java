package org.mailwright.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mailwright.admin.Results;
import org.mailwright.lookup.Passwd;
import org.mailwright.testing.TestData;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Issue 14, the Users view as a person meets it: the password typed twice (a mismatch said, Add disabled), Show
 * shows both, the strength is a meter nobody can type into; Delete asks with Cancel as the default (Enter keeps the
 * user), and deleting the admin says who gets postmaster@ and abuse@ next. The TLS view's button by certificate kind.
 */
@ExtendWith(ApplicationExtension.class)
class UsersViewFormsTest {
    static {
        Fx.patientSetup();
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "Correct-Horse-Battery-9";
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void passwordTypedTwiceShowToggleAndAStrengthMeterThatIsNoField(FxRobot robot, @TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test")
                .user("alice", "correct horse battery").user("bob", "correct horse battery");
        try (AppContext context = new AppContext(d.dir)) {
            show(context);
            await().atMost(WAIT).until(() -> Fx.userNames(robot).equals(List.of("alice", "bob")));

            robot.clickOn("#name").write("carol");
            robot.clickOn("#password").write(PASSWORD);
            robot.clickOn("#passwordConfirm").write("Correct-Horse-Battery-8");
            assertThat(text(robot, "#passwordMismatch")).isEqualTo(PasswordFields.MISMATCH);
            assertThat(Fx.get(() -> Fx.shown(robot.lookup("#passwordMismatch").query()))).isTrue();
            assertThat(Fx.get(() -> robot.lookup("#addButton").query().isDisabled())).as("Add waits for the same password twice").isTrue();

            // The strength row: words beside a meter; nothing in it takes focus, clicks or text.
            Node strength = robot.lookup("#passwordStrength").query();
            assertThat(Fx.get(() -> strength.isFocusTraversable() || !strength.isMouseTransparent())).isFalse();
            assertThat(Fx.get(() -> descendants(strength).stream().anyMatch(n -> n instanceof TextInputControl || n.isFocusTraversable()))).isFalse();
            assertThat(Fx.get(() -> descendants(strength).stream().filter(n -> n instanceof Label).map(n -> ((Label) n).getText()).toList()))
                    .containsExactly("Strength:", "strong");
            // Tab from the password goes to Show, then to the confirmation: never into the meter.
            Fx.run(() -> robot.lookup("#password").query().requestFocus());
            robot.type(KeyCode.TAB);
            assertThat(Fx.get(() -> stage.getScene().getFocusOwner().getId())).isEqualTo("passwordShow");
            robot.type(KeyCode.TAB);
            assertThat(Fx.get(() -> stage.getScene().getFocusOwner().getId())).isEqualTo("passwordConfirm");

            // Show: both as text, the same text; hidden again, both hidden.
            robot.clickOn("#passwordShow");
            assertThat(Fx.get(() -> Fx.shown(robot.lookup("#passwordText").query()) && Fx.shown(robot.lookup("#passwordConfirmText").query()))).isTrue();
            assertThat(Fx.get(() -> robot.lookup("#password").query().isVisible())).isFalse();
            assertThat(Fx.get(() -> robot.lookup("#passwordConfirmText").queryAs(TextField.class).getText())).isEqualTo("Correct-Horse-Battery-8");
            Fx.snapshot(stage, "users-password-mismatch-shown.png");

            // Corrected in the shown field: the message goes, Add adds.
            Fx.run(() -> robot.lookup("#passwordConfirmText").queryAs(TextField.class).setText(PASSWORD));
            assertThat(Fx.get(() -> Fx.shown(robot.lookup("#passwordMismatch").query()))).isFalse();
            assertThat(Fx.get(() -> robot.lookup("#addButton").query().isDisabled())).isFalse();
            robot.clickOn("#passwordShow");
            assertThat(Fx.get(() -> robot.lookup("#passwordConfirm").queryAs(PasswordField.class).isVisible())).isTrue();
            Fx.snapshot(stage, "users-password.png");
            robot.clickOn("#addButton");
            await().atMost(WAIT).until(() -> Fx.userNames(robot).equals(List.of("alice", "bob", "carol")));
            assertThat(new Passwd(d.dir).verify("carol", PASSWORD)).isTrue();
            assertThat(Fx.get(() -> robot.lookup("#password").queryAs(PasswordField.class).getText()
                    + robot.lookup("#passwordConfirm").queryAs(PasswordField.class).getText())).isEmpty();
            assertThat(Fx.get(() -> robot.lookup("#passwordShow").queryAs(CheckBox.class).isSelected())).as("Show is off again").isFalse();
        }
    }

    @Test
    void deleteDefaultsToCancelAndDeletingTheAdminSaysWhoGetsPostmasterNext(FxRobot robot, @TempDir Path tmp) throws Exception {
        TestData d = new TestData(tmp.resolve("data"), "mail.example.test", "example.test")
                .user("alice", "correct horse battery").user("bob", "correct horse battery");
        d.config(c -> c.withAdmin("alice"));
        try (AppContext context = new AppContext(d.dir)) {
            UsersViewModel model = show(context);
            await().atMost(WAIT).until(() -> Fx.userNames(robot).equals(List.of("alice", "bob")));

            Fx.run(() -> table(robot).getSelectionModel().select(0));
            robot.clickOn("#deleteButton");
            await().atMost(WAIT).until(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
            DialogPane dialog = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
            assertThat(Fx.get(dialog::getHeaderText)).isEqualTo("Delete the user alice?");
            assertThat(Fx.get(dialog::getContentText)).contains("alice is the admin")
                    .contains("postmaster@ and abuse@").contains("After the delete they go to bob");
            Button cancel = (Button) Fx.get(() -> dialog.lookupButton(javafx.scene.control.ButtonType.CANCEL));
            Button ok = (Button) Fx.get(() -> dialog.lookupButton(javafx.scene.control.ButtonType.OK));
            assertThat(Fx.get(() -> cancel.isDefaultButton() && !ok.isDefaultButton())).isTrue();
            await().atMost(WAIT).until(() -> Fx.get(cancel::isFocused));
            Fx.snapshot((Stage) Fx.get(() -> dialog.getScene().getWindow()), "users-delete-admin.png");
            robot.type(KeyCode.ENTER); // Enter is Cancel: nothing deleted
            await().atMost(WAIT).until(() -> robot.lookup(".dialog-pane").tryQuery().isEmpty());
            assertThat(new Passwd(d.dir).users()).containsExactly("alice", "bob");

            // bob is no admin: his confirmation does not warn; with alice the only user left, nobody would get them.
            assertThat(Fx.get(() -> model.afterDelete("bob"))).doesNotContain("admin");
        }
    }

    @Test
    void theLetsEncryptButtonSaysGetACertificateUnlessAnAcmeOneIsInUse() {
        Results.Certificate selfSigned = certificate(true);
        Results.Certificate issued = certificate(false);
        assertThat(TlsViewModel.acmeAction(null, "self-signed")).isEqualTo("_Get a certificate");
        assertThat(TlsViewModel.acmeAction(selfSigned, "self-signed")).isEqualTo("_Get a certificate");
        assertThat(TlsViewModel.acmeAction(selfSigned, "acme")).as("acme chosen, not issued yet").isEqualTo("_Get a certificate");
        assertThat(TlsViewModel.acmeAction(issued, "files")).as("your own files").isEqualTo("_Get a certificate");
        assertThat(TlsViewModel.acmeAction(issued, "acme")).isEqualTo("_Renew now");
    }

    private static Results.Certificate certificate(boolean selfSigned) {
        return new Results.Certificate("CN=mail.example.test", List.of("mail.example.test"),
                selfSigned ? "CN=mail.example.test" : "CN=Pebble Intermediate CA", selfSigned, "2026-04-01T00:00:00Z", 80, "ec", "01");
    }

    private UsersViewModel show(AppContext context) {
        return Fx.get(() -> {
            UsersViewModel m = new UsersViewModel(context);
            Scene scene = new Scene(new UsersView(m).root(), 1024, 700);
            scene.getStylesheets().add(Views.stylesheet());
            stage.setScene(scene);
            stage.show();
            return m;
        });
    }

    private static List<Node> descendants(Node n) {
        List<Node> all = new java.util.ArrayList<>(List.of(n));
        if (n instanceof Parent p) p.getChildrenUnmodifiable().forEach(c -> all.addAll(descendants(c)));
        return all;
    }

    @SuppressWarnings("unchecked")
    private static TableView<UsersViewModel.UserRow> table(FxRobot robot) {
        return robot.lookup("#table").queryAs(TableView.class);
    }

    private static String text(FxRobot robot, String query) {
        return Fx.get(() -> robot.lookup(query).queryAs(Label.class).getText());
    }
}
