package org.mailwright.ui;

import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Pane;
import org.mailwright.config.Config;

/** Settings: the parts of mailwright.conf the wizard does not ask about, of the engine the window acts on. */
public final class SettingsView {
    private final SettingsViewModel model;
    private final Parent root;

    @FXML GridPane listenerGrid;
    @FXML TextField maxMessage;
    @FXML TextField maxConnections;
    @FXML TextField maxPerIp;
    @FXML TextField maxRecipients;
    @FXML javafx.scene.control.Button restartButton;
    @FXML ChoiceBox<Config.DeliveryFormat> delivery;
    @FXML TextField resolver;
    @FXML ChoiceBox<Config.OutboundTls> outboundTls;
    @FXML TextField smarthost;
    @FXML ChoiceBox<Config.DmarcMode> dmarc;
    @FXML TextField dnsbl;
    @FXML CheckBox greylisting;
    @FXML CheckBox senderCheck;
    @FXML TextField sendAsAnyone;
    @FXML Label statusLabel;
    /** Next to the listeners: why a restart was refused, while a field of theirs is marked. */
    @FXML Label listenerProblem;
    @FXML Pane form;

    public SettingsView(SettingsViewModel model) {
        this.model = model;
        this.root = Views.load("SettingsView.fxml", this);
    }

    @FXML
    void initialize() {
        maxMessage.textProperty().bindBidirectional(model.maxMessageMb);
        maxConnections.textProperty().bindBidirectional(model.maxConnections);
        maxPerIp.textProperty().bindBidirectional(model.maxConnectionsPerIp);
        maxRecipients.textProperty().bindBidirectional(model.maxRecipients);
        delivery.getItems().setAll(Config.DeliveryFormat.values());
        delivery.valueProperty().bindBidirectional(model.delivery);
        resolver.textProperty().bindBidirectional(model.resolver);
        outboundTls.getItems().setAll(Config.OutboundTls.values());
        outboundTls.valueProperty().bindBidirectional(model.outboundTls);
        smarthost.textProperty().bindBidirectional(model.smarthost);
        dmarc.getItems().setAll(Config.DmarcMode.values());
        dmarc.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Config.DmarcMode m) {
                return m == null ? "" : switch (m) {
                    case ENFORCE -> "Apply the sender's policy (reject, Junk)";
                    case REPORT_ONLY -> "Only report (deliver everything)";
                    case OFF -> "Off";
                };
            }

            @Override
            public Config.DmarcMode fromString(String s) {
                return null; // not editable
            }
        });
        dmarc.valueProperty().bindBidirectional(model.dmarc);
        dnsbl.textProperty().bindBidirectional(model.dnsbl);
        greylisting.selectedProperty().bindBidirectional(model.greylisting);
        senderCheck.selectedProperty().bindBidirectional(model.senderCheck);
        sendAsAnyone.textProperty().bindBidirectional(model.sendAsAnyone);
        statusLabel.textProperty().bind(model.statusProperty());
        model.problemProperty().addListener((o, was, now) -> mark(statusLabel, "status-error", now));
        listenerProblem.textProperty().bind(model.statusProperty());
        listenerProblem.visibleProperty().bind(model.listenerToFix.greaterThanOrEqualTo(0));
        listenerProblem.managedProperty().bind(listenerProblem.visibleProperty());
        form.disableProperty().bind(model.readyProperty().not());
        model.listeners.addListener((javafx.collections.ListChangeListener<SettingsViewModel.ListenerRow>) c -> buildListeners());
        restartButton.visibleProperty().bind(model.remoteProperty().isNull()); // the engine in this process only
        restartButton.managedProperty().bind(restartButton.visibleProperty());
        model.load();
    }

    private void buildListeners() {
        listenerGrid.getChildren().clear();
        String[] head = {"Address", "Port", "TLS", "AUTH"};
        for (int i = 0; i < head.length; i++) {
            Label l = new Label(head[i]);
            l.getStyleClass().add("muted");
            listenerGrid.add(l, i, 0);
        }
        int row = 1;
        for (SettingsViewModel.ListenerRow r : model.listeners) {
            TextField address = new TextField();
            address.setId("listenerAddress-" + row);
            address.textProperty().bindBidirectional(r.address);
            TextField port = new TextField();
            port.setId("listenerPort-" + row);
            port.setPrefColumnCount(5);
            port.textProperty().bindBidirectional(r.port);
            markWhenBlamed(row - 1, address, true);
            markWhenBlamed(row - 1, port, false);
            ChoiceBox<Config.ListenerTls> tls = new ChoiceBox<>();
            tls.getItems().setAll(Config.ListenerTls.values());
            tls.valueProperty().bindBidirectional(r.tls);
            ChoiceBox<Config.ListenerAuth> auth = new ChoiceBox<>();
            auth.getItems().setAll(Config.ListenerAuth.values());
            auth.valueProperty().bindBidirectional(r.auth);
            listenerGrid.addRow(row++, address, port, tls, auth);
        }
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
    void reload() {
        model.load();
    }

    public Parent root() {
        return root;
    }
}
