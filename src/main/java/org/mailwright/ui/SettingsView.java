package org.mailwright.ui;

import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import org.mailwright.config.Config;

/** Settings: the parts of mailwright.conf the wizard does not ask about, of the engine the window acts on. */
public final class SettingsView {
    private final SettingsViewModel model;
    private final Parent root;

    @FXML javafx.scene.control.TabPane tabs;
    @FXML GridPane listenerGrid;
    @FXML GridPane ruleGrid;
    @FXML GridPane dkimGrid;
    @FXML TextField hostname;
    @FXML TextField domains;
    @FXML TextField ip;
    @FXML TextField ipv6;
    @FXML TextField adminUser;
    @FXML ChoiceBox<Config.TlsMode> tlsMode;
    @FXML TextField tlsCert;
    @FXML TextField tlsKey;
    @FXML TextField acmeEmail;
    @FXML TextField acmeDirectory;
    @FXML TextField extraNames;
    @FXML TextField maxMessage;
    @FXML TextField maxConnections;
    @FXML TextField maxPerIp;
    @FXML TextField maxRecipients;
    @FXML TextField idleTimeout;
    @FXML javafx.scene.control.Button restartButton;
    @FXML ChoiceBox<Config.DeliveryFormat> delivery;
    @FXML TextField resolver;
    @FXML ChoiceBox<Config.OutboundTls> outboundTls;
    @FXML TextField smarthost;
    @FXML TextField smarthostUser;
    @FXML javafx.scene.control.PasswordField smarthostPassword;
    @FXML TextField retrySchedule;
    @FXML TextField expire;
    @FXML TextField newSelector;
    @FXML ChoiceBox<org.mailwright.dkim.KeyType> newKeyType;
    @FXML ChoiceBox<Config.DmarcMode> dmarc;
    @FXML TextField dnsbl;
    @FXML CheckBox greylisting;
    @FXML CheckBox senderCheck;
    @FXML TextField sendAsAnyone;
    @FXML Label statusLabel;
    @FXML Label dkimStatus;
    /** Next to the listeners: why a restart was refused, while a field of theirs is marked. */
    @FXML Label listenerProblem;

    public SettingsView(SettingsViewModel model) {
        this.model = model;
        this.root = Views.load("SettingsView.fxml", this);
    }

    @FXML
    void initialize() {
        bind(hostname, model.hostname);
        bind(domains, model.domains);
        bind(ip, model.ip);
        bind(ipv6, model.ipv6);
        bind(adminUser, model.adminUser);
        choice(tlsMode, Config.TlsMode.values(), Words::of, model.tlsMode);
        bind(tlsCert, model.tlsCert);
        bind(tlsKey, model.tlsKey);
        bind(acmeEmail, model.acmeEmail);
        bind(acmeDirectory, model.acmeDirectory);
        bind(extraNames, model.extraNames);
        // The fields of the other certificate sources are of no use while this one is chosen.
        tlsCert.disableProperty().bind(model.tlsMode.isNotEqualTo(Config.TlsMode.FILES));
        tlsKey.disableProperty().bind(model.tlsMode.isNotEqualTo(Config.TlsMode.FILES));
        acmeEmail.disableProperty().bind(model.tlsMode.isNotEqualTo(Config.TlsMode.ACME));
        acmeDirectory.disableProperty().bind(model.tlsMode.isNotEqualTo(Config.TlsMode.ACME));
        bind(maxMessage, model.maxMessageMb);
        bind(maxConnections, model.maxConnections);
        bind(maxPerIp, model.maxConnectionsPerIp);
        bind(maxRecipients, model.maxRecipients);
        bind(idleTimeout, model.idleTimeout);
        choice(delivery, Config.DeliveryFormat.values(), Words::of, model.delivery);
        bind(resolver, model.resolver);
        choice(outboundTls, Config.OutboundTls.values(), Words::of, model.outboundTls);
        bind(smarthost, model.smarthost);
        bind(smarthostUser, model.smarthostUser);
        bind(smarthostPassword, model.smarthostPassword);
        bind(retrySchedule, model.retrySchedule);
        bind(expire, model.expire);
        choice(dmarc, Config.DmarcMode.values(), Words::of, model.dmarc);
        bind(dnsbl, model.dnsbl);
        greylisting.selectedProperty().bindBidirectional(model.greylisting);
        greylisting.selectedProperty().addListener((o, a, b) -> model.edited());
        senderCheck.selectedProperty().bindBidirectional(model.senderCheck);
        senderCheck.selectedProperty().addListener((o, a, b) -> model.edited());
        bind(sendAsAnyone, model.sendAsAnyone);
        newSelector.textProperty().bindBidirectional(model.newSelector);
        Words.show(newKeyType, org.mailwright.dkim.KeyType.values(),
                t -> t == org.mailwright.dkim.KeyType.RSA ? "RSA 2048 bits" : "Ed25519 (RFC 8463)");
        newKeyType.valueProperty().bindBidirectional(model.newKeyType);
        dkimStatus.textProperty().bind(model.dkimStatusProperty());
        statusLabel.textProperty().bind(model.statusProperty());
        model.problemProperty().addListener((o, was, now) -> mark(statusLabel, "status-error", now));
        listenerProblem.textProperty().bind(model.statusProperty());
        listenerProblem.visibleProperty().bind(model.listenerToFix.greaterThanOrEqualTo(0));
        listenerProblem.managedProperty().bind(listenerProblem.visibleProperty());
        tabs.disableProperty().bind(model.readyProperty().not());
        // A restart refused for a listener shows the Listeners tab, where the marked field is.
        model.listenerToFix.addListener((o, was, now) -> {
            if (now.intValue() >= 0) tabs.getSelectionModel().select(1);
        });
        model.listeners.addListener((javafx.collections.ListChangeListener<SettingsViewModel.ListenerRow>) c -> buildListeners());
        model.rules.addListener((javafx.collections.ListChangeListener<SettingsViewModel.RuleRow>) c -> buildRules());
        model.dkimKeys.addListener((javafx.collections.ListChangeListener<org.mailwright.admin.Results.DkimKeyInfo>) c -> buildDkimKeys());
        restartButton.visibleProperty().bind(model.remoteProperty().isNull()); // the engine in this process only
        restartButton.managedProperty().bind(restartButton.visibleProperty());
        buildDkimKeys();
        model.load();
    }

    private void bind(TextField field, javafx.beans.property.StringProperty value) {
        field.textProperty().bindBidirectional(value);
        field.textProperty().addListener((o, a, b) -> model.edited());
    }

    private <E> void choice(ChoiceBox<E> box, E[] values, java.util.function.Function<E, String> words,
                            javafx.beans.property.ObjectProperty<E> value) {
        Words.show(box, values, words);
        box.valueProperty().bindBidirectional(value);
        box.valueProperty().addListener((o, a, b) -> model.edited());
    }

    private void buildListeners() {
        listenerGrid.getChildren().clear();
        String[] head = {"Address", "Port", "TLS", "Login (AUTH)"};
        for (int i = 0; i < head.length; i++) {
            Label l = new Label(head[i]);
            l.getStyleClass().add("muted");
            listenerGrid.add(l, i, 0);
        }
        int row = 1;
        for (SettingsViewModel.ListenerRow r : model.listeners) {
            TextField address = new TextField();
            address.setId("listenerAddress-" + row);
            bind(address, r.address);
            TextField port = new TextField();
            port.setId("listenerPort-" + row);
            port.setPrefColumnCount(5);
            bind(port, r.port);
            markWhenBlamed(row - 1, address, true);
            markWhenBlamed(row - 1, port, false);
            ChoiceBox<Config.ListenerTls> tls = new ChoiceBox<>();
            tls.setId("listenerTls-" + row);
            choice(tls, Config.ListenerTls.values(), Words::of, r.tls);
            ChoiceBox<Config.ListenerAuth> auth = new ChoiceBox<>();
            auth.setId("listenerAuth-" + row);
            choice(auth, Config.ListenerAuth.values(), Words::of, r.auth);
            listenerGrid.addRow(row++, address, port, tls, auth);
        }
    }

    private void buildRules() {
        ruleGrid.getChildren().clear();
        String[] head = {"", "From", "For", "Then"};
        for (int i = 0; i < head.length; i++) {
            Label l = new Label(head[i]);
            l.getStyleClass().add("muted");
            ruleGrid.add(l, i, 0);
        }
        if (model.rules.isEmpty()) {
            Label none = new Label("No rules: every recipient is refused.");
            none.getStyleClass().add("problem");
            ruleGrid.add(none, 0, 1, 5, 1);
        }
        int row = 1;
        for (SettingsViewModel.RuleRow r : model.rules) {
            Label n = new Label(row + ".");
            TextField from = new TextField();
            from.setId("ruleFrom-" + row);
            from.setPrefColumnCount(14);
            bind(from, r.from);
            TextField forWhat = new TextField();
            forWhat.setId("ruleFor-" + row);
            forWhat.setPrefColumnCount(20);
            bind(forWhat, r.forWhat);
            ChoiceBox<Config.Action> action = new ChoiceBox<>();
            action.setId("ruleAction-" + row);
            choice(action, Config.Action.values(), Words::of, r.action);
            javafx.scene.control.Button up = small("↑", "Move up: checked earlier", () -> model.moveRule(r, -1));
            up.setDisable(row == 1);
            javafx.scene.control.Button down = small("↓", "Move down: checked later", () -> model.moveRule(r, 1));
            down.setDisable(row == model.rules.size());
            javafx.scene.control.Button remove = small("Remove", "Remove this rule (saved with the rest)", () -> model.removeRule(r));
            remove.setId("ruleRemove-" + row);
            ruleGrid.addRow(row++, n, from, forWhat, action, new javafx.scene.layout.HBox(4, up, down, remove));
        }
    }

    private void buildDkimKeys() {
        dkimGrid.getChildren().clear();
        if (model.dkimKeys.isEmpty()) {
            Label none = new Label("No DKIM key: mail is sent unsigned, and receivers trust it less. Make one below.");
            none.getStyleClass().add("problem");
            none.setWrapText(true);
            dkimGrid.add(none, 0, 0);
            return;
        }
        int row = 0;
        for (org.mailwright.admin.Results.DkimKeyInfo k : model.dkimKeys) {
            Label selector = new Label(k.selector());
            selector.setStyle("-fx-font-weight: bold;");
            Label type = new Label(k.keyType() + (k.bits() > 0 ? " " + k.bits() + " bits" : ""));
            String name = k.records().isEmpty() ? "" : k.records().get(0).name();
            Label record = new Label(name + (k.records().size() > 1 ? " (+" + (k.records().size() - 1) + " more domains)" : ""));
            record.getStyleClass().add("muted");
            javafx.scene.control.Button copy = small("Copy record", "Copy the TXT value to publish at " + name, () -> {
                javafx.scene.input.ClipboardContent c = new javafx.scene.input.ClipboardContent();
                c.putString(k.records().isEmpty() ? "" : k.records().get(0).value());
                javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
            });
            copy.setDisable(k.records().isEmpty());
            javafx.scene.control.Button remove = small("Remove…", "Stop signing with this key", () -> {
                if (Views.confirm(dkimGrid, "Remove the DKIM key " + k.selector() + "?",
                        "Mail is no longer signed with it" + (model.dkimKeys.size() == 1 ? " — and with no key at all, receivers trust our mail less" : "")
                                + ". Keep its DNS record a few days, so mail already sent still checks.")) {
                    model.deleteDkimKey(k.selector());
                }
            });
            remove.setId("dkimRemove-" + k.selector());
            dkimGrid.addRow(row++, selector, type, record, copy, remove);
        }
    }

    private static javafx.scene.control.Button small(String text, String tip, Runnable action) {
        javafx.scene.control.Button b = new javafx.scene.control.Button(text);
        b.setTooltip(new javafx.scene.control.Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    /** The field a refused restart names is red until it is edited. */
    private void markWhenBlamed(int index, TextField field, boolean address) {
        Runnable update = () -> mark(field, "field-error", model.listenerToFix.get() == index && model.addressToFix.get() == address);
        model.listenerToFix.addListener((o, a, b) -> update.run());
        model.addressToFix.addListener((o, a, b) -> update.run());
        field.textProperty().addListener((o, a, b) -> {
            if (field.getStyleClass().contains("field-error")) model.listenerToFix.set(-1);
        });
        update.run();
    }

    private static void mark(javafx.scene.Node node, String styleClass, boolean on) {
        if (!on) node.getStyleClass().remove(styleClass);
        else if (!node.getStyleClass().contains(styleClass)) node.getStyleClass().add(styleClass);
    }

    @FXML
    void save() {
        model.save(false);
    }

    @FXML
    void saveAndRestart() {
        model.save(true);
    }

    @FXML
    void addRule() {
        model.addRule();
    }

    @FXML
    void createDkimKey() {
        model.createDkimKey();
    }

    @FXML
    void reload() {
        model.load();
    }

    public Parent root() {
        return root;
    }
}
