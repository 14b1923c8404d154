package org.mailwright.ui;

import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/**
 * A Let's Encrypt order as a list of steps — account, order, challenge reachable on port 80, issued, installed — each
 * waiting, running, done or failed, with what the ACME client said last (its progress lines, {@code tls/AcmeClient})
 * and, for the step that failed, the reason in words. The TLS view and the wizard's Finish show the same list.
 */
final class AcmeSteps {
    enum State { WAITING, RUNNING, DONE, FAILED }

    record Step(String name, State state, String detail) {
        String line() {
            String mark = switch (state) {
                case WAITING -> "○";
                case RUNNING -> "…";
                case DONE -> "✓";
                case FAILED -> "✗";
            };
            return mark + "  " + name + (detail.isEmpty() ? "" : " — " + detail);
        }
    }

    static final List<String> NAMES = List.of("Account", "Order", "Challenge reachable on port 80", "Issued", "Installed");
    private static final int ACCOUNT = 0, ORDER = 1, CHALLENGE = 2, ISSUED = 3, INSTALLED = 4;

    private final ObservableList<Step> steps = FXCollections.observableArrayList();

    /** Every step waiting: an order about to start. */
    void start() {
        steps.setAll(NAMES.stream().map(n -> new Step(n, State.WAITING, "")).toList());
    }

    /** Nothing shown (no order run). */
    void clear() {
        steps.clear();
    }

    /** One progress line of the ACME client: the step it belongs to runs, the ones before it are done. */
    void heard(String line) {
        int step = stepOf(line);
        if (step < 0 || steps.isEmpty()) return;
        for (int i = 0; i < step; i++) {
            if (steps.get(i).state() != State.DONE) steps.set(i, new Step(steps.get(i).name(), State.DONE, steps.get(i).detail()));
        }
        String name = step == CHALLENGE ? challengeName(line) : NAMES.get(step);
        steps.set(step, new Step(name, State.RUNNING, line));
    }

    static int stepOf(String line) {
        if (line.startsWith("Contacting the ACME server") || line.startsWith("Created the ACME account key")
                || line.startsWith("Changed the account's contact")) return ACCOUNT;
        if (line.startsWith("Ordering a certificate")) return ORDER;
        if (line.startsWith("Answering the HTTP-01 challenge") || line.contains("was validated recently")) return CHALLENGE;
        if (line.startsWith("Validated; sending a certificate request")) return ISSUED;
        return -1;
    }

    /** "Challenge reachable on port 5002" when the order answers on another port than 80. */
    private static String challengeName(String line) {
        int at = line.lastIndexOf(" on port ");
        return at < 0 ? NAMES.get(CHALLENGE) : "Challenge reachable on port " + line.substring(at + " on port ".length());
    }

    /** The certificate is in use: every step done. */
    void installed(String detail) {
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            steps.set(i, new Step(s.name(), State.DONE, i == INSTALLED ? detail : s.detail()));
        }
    }

    /** The step that was running (else the first not done) failed for {@code reason}; returns "STEP failed: REASON". */
    String failed(String reason) {
        if (steps.isEmpty()) return reason;
        int at = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).state() == State.RUNNING) at = i;
            else if (steps.get(i).state() == State.DONE) at = i + 1;
        }
        at = Math.min(at, steps.size() - 1);
        Step s = steps.get(at);
        steps.set(at, new Step(s.name(), State.FAILED, reason));
        return s.name() + " failed: " + reason;
    }

    ObservableList<Step> steps() {
        return steps;
    }

    /** The list as labels, one per step, kept up to date; hidden while there is no order. */
    static VBox view(AcmeSteps model, String id) {
        VBox box = new VBox(4);
        box.setId(id);
        box.getStyleClass().add("acme-steps");
        Runnable show = () -> {
            box.getChildren().setAll(model.steps().stream().map(s -> {
                Label l = new Label(s.line());
                l.setWrapText(true);
                l.getStyleClass().add("acme-step-" + s.state().name().toLowerCase(java.util.Locale.ROOT));
                return l;
            }).toList());
            box.setVisible(!model.steps().isEmpty());
            box.setManaged(!model.steps().isEmpty());
        };
        model.steps().addListener((ListChangeListener<Step>) c -> show.run());
        show.run();
        return box;
    }
}
