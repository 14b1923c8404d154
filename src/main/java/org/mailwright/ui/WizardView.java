package org.mailwright.ui;

import java.io.File;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ListView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.mailwright.dns.DnsRecord;
import org.mailwright.ui.SetupPlan.TlsChoice;
import org.mailwright.ui.SetupPlan.UserDraft;

/** The setup wizard: one page at a time, Back/Next, Finish on the summary. */
public final class WizardView {
    private final WizardViewModel model;
    private final java.util.function.Consumer<RemoteConnection> finished;
    private final Runnable cancelled;
    private final Parent root;

    @FXML VBox steps;
    @FXML VBox hostPage;
    @FXML VBox tlsPage;
    @FXML VBox usersPage;
    @FXML VBox aliasesPage;
    @FXML VBox dnsPage;
    @FXML VBox summaryPage;
    @FXML Label problemLabel;
    @FXML Button backButton;
    @FXML Button nextButton;
    @FXML Button finishButton;
    @FXML Button cancelButton;
    @FXML ProgressIndicator finishProgress;
    @FXML Label finishStatus;
    // Host
    @FXML TextField hostname;
    @FXML TextField domains;
    @FXML ComboBox<String> ipv4;
    @FXML ComboBox<String> ipv6;
    @FXML TextField bind;
    @FXML TextField smtpPort;
    @FXML TextField submissionPort;
    @FXML TextField smtpsPort;
    // TLS
    @FXML RadioButton keepChoice;
    @FXML Label replaceNote;
    @FXML RadioButton acmeChoice;
    @FXML RadioButton selfSignedChoice;
    @FXML RadioButton filesChoice;
    @FXML TextField acmeEmail;
    @FXML CheckBox acmeStaging;
    @FXML VBox acmeBox;
    @FXML VBox filesBox;
    @FXML TextField certFile;
    @FXML TextField keyFile;
    // Users
    @FXML ListView<UserDraft> userList;
    @FXML TextField newUser;
    @FXML VBox passwordBox;
    final PasswordFields newPassword = new PasswordFields("newPassword", "_Password",
            "at least 8 characters; a passphrase of a few words is best");
    @FXML ComboBox<String> adminChoice;
    @FXML Button addUserButton;
    @FXML Button removeUserButton;
    // Aliases
    @FXML javafx.scene.layout.GridPane aliasGrid;
    // DNS
    @FXML TableView<DnsRecord> dnsTable;
    @FXML TableColumn<DnsRecord, String> typeColumn;
    @FXML TableColumn<DnsRecord, String> nameColumn;
    @FXML TableColumn<DnsRecord, String> valueColumn;
    @FXML TableColumn<DnsRecord, String> whyColumn;
    @FXML TableColumn<DnsRecord, DnsRecord> copyColumn;
    @FXML Label dnsStatus;
    // Summary
    @FXML TextArea summary;

    /** {@code finished}: null when the engine runs here, else the server deployed to (to attach to). */
    public WizardView(WizardViewModel model, java.util.function.Consumer<RemoteConnection> finished, Runnable cancelled) {
        this.model = model;
        this.finished = finished;
        this.cancelled = cancelled;
        this.root = Views.load("WizardView.fxml", this);
    }

    @FXML
    void initialize() {
        for (int i = 0; i < WizardViewModel.PAGES.size(); i++) {
            Label l = new Label((i + 1) + "  " + WizardViewModel.PAGES.get(i));
            l.getStyleClass().add("step");
            steps.getChildren().add(l);
        }
        model.pageProperty().addListener((o, a, p) -> showPage(p.intValue()));
        problemLabel.textProperty().bind(model.problemProperty());
        problemLabel.visibleProperty().bind(model.problemProperty().isNotEmpty());

        hostname.textProperty().bindBidirectional(model.hostname);
        domains.textProperty().bindBidirectional(model.domains);
        ipv4.getItems().setAll(HostNames.interfaceAddresses(false));
        ipv4.getEditor().textProperty().bindBidirectional(model.ipv4);
        ipv6.getItems().setAll(HostNames.interfaceAddresses(true));
        ipv6.getEditor().textProperty().bindBidirectional(model.ipv6);
        bind.textProperty().bindBidirectional(model.bind);
        smtpPort.textProperty().bindBidirectional(model.smtpPort);
        submissionPort.textProperty().bindBidirectional(model.submissionPort);
        smtpsPort.textProperty().bindBidirectional(model.smtpsPort);

        ToggleGroup tlsGroup = new ToggleGroup();
        keepChoice.setToggleGroup(tlsGroup);
        keepChoice.setUserData(TlsChoice.KEEP);
        keepChoice.textProperty().bind(model.existingCertificate.map(c -> "Keep the certificate in use: " + c));
        keepChoice.visibleProperty().bind(model.existingCertificate.isNotEmpty());
        keepChoice.managedProperty().bind(keepChoice.visibleProperty());
        // A re-run with a certificate in use says what Finish will do to it.
        replaceNote.textProperty().bind(Bindings.createStringBinding(() -> model.existingCertificate.get().isEmpty() ? ""
                : model.replacement(), model.tls, model.existingCertificate));
        replaceNote.visibleProperty().bind(replaceNote.textProperty().isNotEmpty());
        replaceNote.managedProperty().bind(replaceNote.visibleProperty());
        acmeChoice.setToggleGroup(tlsGroup);
        acmeChoice.setUserData(TlsChoice.ACME);
        selfSignedChoice.setToggleGroup(tlsGroup);
        selfSignedChoice.setUserData(TlsChoice.SELF_SIGNED);
        filesChoice.setToggleGroup(tlsGroup);
        filesChoice.setUserData(TlsChoice.FILES);
        switch (model.tls.get()) {
            case KEEP -> keepChoice.setSelected(true);
            case ACME -> acmeChoice.setSelected(true);
            case FILES -> filesChoice.setSelected(true);
            default -> selfSignedChoice.setSelected(true);
        }
        tlsGroup.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) was.setSelected(true);
            else model.tls.set((TlsChoice) now.getUserData());
        });
        acmeBox.disableProperty().bind(acmeChoice.selectedProperty().not());
        filesBox.disableProperty().bind(filesChoice.selectedProperty().not());
        acmeEmail.textProperty().bindBidirectional(model.acmeEmail);
        acmeStaging.selectedProperty().bindBidirectional(model.acmeStaging);
        certFile.textProperty().bindBidirectional(model.certFile);
        keyFile.textProperty().bindBidirectional(model.keyFile);

        userList.setItems(model.users);
        userList.setPlaceholder(new Label("No users yet: add one below."));
        newUser.textProperty().bindBidirectional(model.newUser);
        passwordBox.getChildren().setAll(newPassword.root());
        newPassword.text().bindBidirectional(model.newPassword);
        newPassword.confirmText().bindBidirectional(model.newPasswordConfirm);
        addUserButton.disableProperty().bind(newPassword.confirmed().not());
        adminChoice.setItems(javafx.collections.FXCollections.observableArrayList());
        model.users.addListener((javafx.collections.ListChangeListener<UserDraft>) c -> syncAdminChoices());
        syncAdminChoices();
        adminChoice.valueProperty().bindBidirectional(model.admin);
        removeUserButton.disableProperty().bind(userList.getSelectionModel().selectedItemProperty().isNull());
        newPassword.confirm.setOnAction(e -> {
            addUser();
            e.consume(); // Enter adds the user; it must not also press Next
        });

        usualAliases();

        dnsTable.setItems(model.records);
        dnsTable.setPlaceholder(new Label("Preparing the records…"));
        typeColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().type()));
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        valueColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().value()));
        whyColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(DnsView.why(c.getValue())));
        copyColumn.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue()));
        copyColumn.setCellFactory(c -> new CopyCell());
        dnsStatus.textProperty().bind(model.dnsStatus);

        summary.textProperty().bind(model.summary);
        wherePage = wherePage();
        ((javafx.scene.layout.StackPane) summaryPage.getParent()).getChildren().add(wherePage);

        backButton.disableProperty().bind(Bindings.or(model.pageProperty().isEqualTo(WizardViewModel.HOST), model.finishing));
        nextButton.visibleProperty().bind(model.pageProperty().isNotEqualTo(WizardViewModel.WHERE));
        nextButton.managedProperty().bind(nextButton.visibleProperty());
        finishButton.visibleProperty().bind(model.pageProperty().isEqualTo(WizardViewModel.WHERE));
        finishButton.managedProperty().bind(finishButton.visibleProperty());
        finishButton.disableProperty().bind(model.finishing);
        // Enter presses Next or Finish: only the visible one may be the default button (they share one accelerator)
        nextButton.defaultButtonProperty().bind(nextButton.visibleProperty());
        finishButton.defaultButtonProperty().bind(finishButton.visibleProperty());
        finishProgress.visibleProperty().bind(model.finishing);
        finishStatus.textProperty().bind(model.finishStatus);
        cancelButton.setVisible(cancelled != null);
        cancelButton.setManaged(cancelled != null);
        // Radio buttons and check boxes swallow Enter; on this form Enter means Next, as in a text field.
        hostPage.getParent().addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ENTER && e.getTarget() instanceof javafx.scene.control.ButtonBase b
                    && !(b instanceof Button) && model.pageProperty().get() < WizardViewModel.WHERE) {
                e.consume();
                next();
            }
        });
        showPage(model.pageProperty().get());
    }

    /** A row per usual alias: its checkbox, its target (a user or an address), and why it exists. */
    private void usualAliases() {
        int row = 0;
        for (WizardViewModel.UsualAlias a : model.usualAliases) {
            CheckBox wanted = new CheckBox(a.name + "@");
            wanted.setId("alias-" + a.name);
            wanted.selectedProperty().bindBidirectional(a.wanted);
            TextField target = new TextField();
            target.setId("aliasTarget-" + a.name);
            target.setPromptText("a user, or an address elsewhere");
            target.textProperty().bindBidirectional(a.target);
            target.disableProperty().bind(a.wanted.not());
            Label why = new Label(a.why);
            why.setWrapText(true);
            why.getStyleClass().add("muted");
            wanted.setPadding(new javafx.geometry.Insets(4, 0, 0, 0)); // level with the text in the field
            javafx.scene.layout.GridPane.setValignment(wanted, javafx.geometry.VPos.TOP);
            aliasGrid.addRow(row++, wanted, new VBox(4, target, why));
        }
    }

    private void syncAdminChoices() {
        String keep = model.admin.get();
        adminChoice.getItems().setAll(model.users.stream().map(UserDraft::name).toList());
        if (keep != null && adminChoice.getItems().contains(keep)) adminChoice.setValue(keep);
    }

    private void showPage(int p) {
        List<Node> pages = List.of(hostPage, tlsPage, usersPage, aliasesPage, dnsPage, summaryPage, wherePage);
        for (int i = 0; i < pages.size(); i++) {
            pages.get(i).setVisible(i == p);
            steps.getChildren().get(i).getStyleClass().removeAll("step-current", "step-done");
            if (i == p) steps.getChildren().get(i).getStyleClass().add("step-current");
            else if (i < p) steps.getChildren().get(i).getStyleClass().add("step-done");
        }
        Node first = switch (p) {
            case WizardViewModel.HOST -> hostname;
            case WizardViewModel.TLS -> keepChoice.isVisible() ? keepChoice : selfSignedChoice;
            case WizardViewModel.USERS -> newUser;
            case WizardViewModel.ALIASES -> aliasGrid.getChildren().get(0);
            case WizardViewModel.DNS -> dnsTable;
            default -> finishButton;
        };
        javafx.application.Platform.runLater(first::requestFocus);
    }

    javafx.scene.layout.VBox wherePage;
    final javafx.scene.control.RadioButton hereChoice = new javafx.scene.control.RadioButton("This computer: the engine runs inside this app");
    final javafx.scene.control.RadioButton serverChoice = new javafx.scene.control.RadioButton(
            "A server over SSH: a VPS with a fixed address, its PTR record and port 25 open (Finish deploys it there)");
    DeployPane deployPane;

    /** The last page: where will it run? This computer, or a server the app deploys to over SSH. */
    private javafx.scene.layout.VBox wherePage() {
        javafx.scene.control.ToggleGroup where = new javafx.scene.control.ToggleGroup();
        hereChoice.setToggleGroup(where);
        serverChoice.setToggleGroup(where);
        hereChoice.setId("whereHere");
        serverChoice.setId("whereServer");
        hereChoice.setWrapText(true);
        serverChoice.setWrapText(true);
        (model.onServer.get() ? serverChoice : hereChoice).setSelected(true);
        where.selectedToggleProperty().addListener((o, a, t) -> model.onServer.set(t == serverChoice));
        deployPane = new DeployPane(model.deploy());
        deployPane.root().visibleProperty().bind(model.onServer);
        deployPane.root().managedProperty().bind(model.onServer);
        Label title = new Label("Where will it run?");
        title.getStyleClass().add("view-title");
        Label lead = new Label("Other servers trust mail from a machine that is always on, with a fixed address and a PTR record. "
                + "On this computer is fine to try it out; a server is where it belongs. Either way this app manages it.");
        lead.setWrapText(true);
        lead.getStyleClass().add("lead");
        javafx.scene.layout.VBox page = new javafx.scene.layout.VBox(10, title, lead, hereChoice, serverChoice, deployPane.root(),
                AcmeSteps.view(model.acmeSteps, "acmeSteps"));
        page.getStyleClass().addAll("view", "page");
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(page);
        scroll.setFitToWidth(true);
        javafx.scene.layout.VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(scroll);
        box.setId("wherePage");
        box.setVisible(false);
        return box;
    }

    @FXML
    void next() {
        if (model.pageProperty().get() == WizardViewModel.TLS && model.check(WizardViewModel.TLS) == null
                && model.replacesCertificate()) {
            if (!Views.confirm(root, "Replace the certificate in use?", model.replacement())) return;
            model.replaceConfirmed.set(true);
        }
        model.next();
    }

    @FXML
    void back() {
        model.back();
    }

    @FXML
    void finish() {
        model.finish(finished);
    }

    @FXML
    void cancel() {
        if (cancelled == null || model.hasInput() && !confirmDiscard(root)) return;
        cancelled.run();
    }

    /** Before the wizard closes with answers given: Cancel is the default. */
    static boolean confirmDiscard(Node owner) {
        return Views.confirm(owner, "Discard the setup?", "The answers you gave are lost. Nothing was written yet: "
                + "the data directory stays as it was.");
    }

    @FXML
    void addUser() {
        if (addUserButton.isDisabled()) return;
        if (model.addUser() == null) {
            newPassword.show.setSelected(false);
            newUser.requestFocus();
        }
    }

    @FXML
    void removeUser() {
        UserDraft u = userList.getSelectionModel().getSelectedItem();
        if (u != null) model.removeUser(u);
    }

    @FXML
    void browseCert() {
        choose("Certificate chain (fullchain.pem)", certFile);
    }

    @FXML
    void browseKey() {
        choose("Private key (privkey.pem)", keyFile);
    }

    private void choose(String title, TextField into) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        File f = chooser.showOpenDialog(root.getScene().getWindow());
        if (f != null) into.setText(f.getAbsolutePath());
    }

    @FXML
    void copyZone() {
        copy(model.zoneFile());
        model.dnsStatus.set("Copied " + model.records.size() + " records as a zone file.");
    }

    static void copy(String text) {
        ClipboardContent c = new ClipboardContent();
        c.putString(text);
        Clipboard.getSystemClipboard().setContent(c);
    }

    public Parent root() {
        return root;
    }

    /** "Copy" in each DNS row: the value alone, which is what a provider's web form asks for. */
    static final class CopyCell extends javafx.scene.control.TableCell<DnsRecord, DnsRecord> {
        private final Button button = new Button("Copy");

        CopyCell() {
            button.getStyleClass().add("small");
            button.setOnAction(e -> {
                if (getItem() != null) {
                    copy(getItem().value());
                    button.setText("Copied");
                }
            });
        }

        @Override
        protected void updateItem(DnsRecord r, boolean empty) {
            super.updateItem(r, empty);
            button.setText("Copy");
            setGraphic(empty || r == null ? null : button);
        }
    }
}
