package org.mailwright.ui;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.mailwright.admin.Admin;
import org.mailwright.admin.Results;

/**
 * The deliverability self-test ({@code mailwright check}) as a dashboard card: the score out of 10 and every
 * finding with its fix, run by the engine the window acts on (on the server when connected: its DNS, its ports).
 */
public final class SelfTestPane {
    /** One finding as people read it. */
    public record Finding(String verdict, String title, String detail, String fix) {}

    private static final int TIMEOUT_SECONDS = 5;

    private final AppContext context;
    private final StringProperty score = new SimpleStringProperty("");
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final ObservableList<Finding> findings = FXCollections.observableArrayList();
    /** The last run's report (null before the first, and after connecting elsewhere): the checklist's items. */
    private final ObjectProperty<Results.SelfTestReport> report = new SimpleObjectProperty<>();
    private final VBox root = new VBox(8);
    private final VBox list = new VBox(6);

    public SelfTestPane(AppContext context) {
        this.context = context;
        context.adminProperty().addListener((o, was, now) -> {
            score.set("");
            report.set(null);
            findings.clear();
            status.set("");
        });
        root.getStyleClass().add("card");
        Label title = new Label("SELF-TEST");
        title.getStyleClass().add("card-title");
        Button run = new Button("Run self-_test");
        run.setId("selfTestButton");
        run.disableProperty().bind(busy);
        run.setOnAction(e -> run());
        Label scoreLabel = new Label();
        scoreLabel.setId("selfTestScore");
        scoreLabel.getStyleClass().add("host");
        scoreLabel.textProperty().bind(score);
        Label statusLabel = new Label();
        statusLabel.setId("selfTestStatus");
        statusLabel.getStyleClass().add("muted");
        statusLabel.setWrapText(true);
        statusLabel.textProperty().bind(status);
        Pane gap = new Pane();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox head = new HBox(10, scoreLabel, gap, run);
        head.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        list.setId("selfTestFindings");
        findings.addListener((javafx.collections.ListChangeListener<Finding>) c -> showFindings());
        root.getChildren().addAll(title, head, statusLabel, list);
    }

    /** Runs {@code check} where the engine is; the findings replace the last run's. */
    public void run() {
        Admin admin = context.admin();
        boolean remote = context.remote();
        busy.set(true);
        status.set(remote ? "Running the self-test on the server…" : "Running the self-test…");
        context.work().run("Running the self-test", () -> admin.check(new Results.CheckOptions(null, null, TIMEOUT_SECONDS)), r -> {
            if (admin != context.admin()) return;
            busy.set(false);
            score.set(String.format(Locale.ROOT, "Score %.1f of 10", r.score()));
            findings.setAll(findings(r));
            report.set(null); // a run that found the same again is still news to the checklist (records are equal)
            report.set(r);
            long fails = findings.stream().filter(f -> f.verdict().equals("FAIL")).count();
            AppContext.RemoteEngine server = context.remoteProperty().get();
            status.set((remote && server != null ? "On " + server.name() + ": " : "") + findings.size() + " findings"
                    + (fails == 0 ? "" : ", " + fails + " failing") + ".");
        }, failed -> {
            busy.set(false);
            if (admin == context.admin()) status.set("The self-test failed: " + failed);
        });
    }

    static List<Finding> findings(Results.SelfTestReport r) {
        return r.findings().stream().map(SelfTestPane::finding).toList();
    }

    private static Finding finding(Map<String, Object> m) {
        return new Finding(text(m.get("verdict")), text(m.get("title")), text(m.get("detail")), text(m.get("fix")));
    }

    private static String text(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private void showFindings() {
        list.getChildren().clear();
        for (Finding f : findings) {
            Label verdict = new Label(f.verdict());
            verdict.getStyleClass().add(f.verdict().equals("PASS") ? "dns-ok" : "dns-bad");
            verdict.setMinWidth(48);
            Label what = new Label(f.title() + (f.detail().isEmpty() ? "" : ": " + f.detail()));
            what.setWrapText(true);
            VBox text = new VBox(2, what);
            if (!f.fix().isEmpty() && !f.verdict().equals("PASS")) {
                Label fix = new Label("Fix: " + f.fix());
                fix.setWrapText(true);
                fix.getStyleClass().add("muted");
                text.getChildren().add(fix);
            }
            HBox.setHgrow(text, Priority.ALWAYS);
            text.setMinWidth(0);
            list.getChildren().add(new HBox(8, verdict, text));
        }
    }

    public ObservableList<Finding> findingsList() { return findings; }
    public StringProperty scoreProperty() { return score; }
    public ObjectProperty<Results.SelfTestReport> reportProperty() { return report; }
    public BooleanProperty busyProperty() { return busy; }
    public StringProperty statusProperty() { return status; }

    public Parent root() {
        return root;
    }
}
