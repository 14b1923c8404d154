package org.mailwright.ui;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mailwright.admin.Admin;

/**
 * "Send a test message": a short message to the address typed, queued through the admin layer (on the server when
 * connected), then its maillog story as it goes — read every second until a final result or a minute has passed.
 */
public final class TestMessage {
    static final Duration POLL_EVERY = Duration.ofSeconds(1);
    static final Duration FOLLOW_FOR = Duration.ofSeconds(60);

    private final AppContext context;
    private final StringProperty address = new SimpleStringProperty("");
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final ObservableList<String> story = FXCollections.observableArrayList();
    private Runnable finished = () -> {};
    /** Which send the story follows: a new send (or another engine) ends the previous one's polling. */
    private volatile Object current;

    public TestMessage(AppContext context) {
        this.context = context;
        context.adminProperty().addListener((o, a, b) -> {
            current = null;
            busy.set(false);
            status.set("");
            story.clear();
        });
    }

    /** Runs when a story has ended (a final result, or a minute without one): the checklist runs the self-test again. */
    public void onFinished(Runnable r) {
        finished = r;
    }

    public void send() {
        String to = address.get().strip();
        if (!to.matches("[^\\s<>@]+@[^\\s<>@]+")) {
            status.set("Type the address to send to, like you@example.org.");
            return;
        }
        Admin admin = context.admin();
        Object run = new Object();
        current = run;
        busy.set(true);
        story.clear();
        status.set("Sending to " + to + "…");
        Instant since = Instant.now().minus(Duration.ofMinutes(10)); // the server's clock may be a little off
        byte[] message = message(to);
        context.work().run("Sending a test message", () -> admin.send(List.of(to), message), id -> {
            if (current != run) return;
            status.set("Queued as " + id + " — what happens to it:");
            context.work().run("Following the test message", () -> {
                follow(admin, id, since, run);
                return null;
            }, done -> end(run), failed -> {
                if (current == run) status.set(failed);
                end(run);
            });
        }, failed -> {
            if (current != run) return;
            busy.set(false);
            status.set(failed);
        });
    }

    /** Off the FX thread: the message's lines every second; stops at a final result, a minute, or a newer send. */
    private void follow(Admin admin, String id, Instant since, Object run) throws InterruptedException {
        Instant until = Instant.now().plus(FOLLOW_FOR);
        while (current == run && Instant.now().isBefore(until)) {
            List<String> lines = admin.messageLog(id, since);
            Platform.runLater(() -> {
                if (current == run && lines.size() != story.size()) story.setAll(lines.stream().map(TestMessage::shorter).toList());
            });
            if (lines.stream().anyMatch(TestMessage::isFinal)) return;
            Thread.sleep(POLL_EVERY.toMillis());
        }
    }

    private void end(Object run) {
        if (current != run) return;
        busy.set(false);
        if (story.stream().noneMatch(TestMessage::isFinal)) {
            status.set(status.get() + " (no final result within " + FOLLOW_FOR.toSeconds() + " s; the Queue and the Maillog show what comes next)");
        }
        finished.run();
    }

    /** A delivery's last word: delivered, or bounced for good; a TempFail is tried again later. */
    static boolean isFinal(String line) {
        return line.contains("result=Ok") || line.contains("result=PermFail");
    }

    /** The line without its date (the time of day stays): the story is about the last minute. */
    static String shorter(String line) {
        int t = line.indexOf('T');
        int space = line.indexOf(' ');
        return t > 0 && space > t && line.charAt(space - 1) == 'Z' ? line.substring(t + 1, Math.min(space - 1, t + 9)) + line.substring(space) : line;
    }

    static byte[] message(String to) {
        String text = "To: <" + to + ">\r\n"
                + "Subject: Mailwright test message\r\n"
                + "\r\n"
                + "This is a test message, sent from the Mailwright Dashboard at " + Instant.now() + ".\r\n"
                + "If it arrived, mail from this server reaches " + to.substring(to.indexOf('@') + 1) + ".\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public StringProperty addressProperty() { return address; }
    public StringProperty statusProperty() { return status; }
    public BooleanProperty busyProperty() { return busy; }
    public ObservableList<String> story() { return story; }
}
