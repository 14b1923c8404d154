package org.mailwright.ui;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.mailwright.dns.DnsRecord;

/** DNS: the wizard's table of records, with Copy per row and the whole zone. */
public final class DnsView {
    private final DnsViewModel model;
    private final Parent root;

    @FXML TableView<DnsRecord> table;
    @FXML TableColumn<DnsRecord, String> typeColumn;
    @FXML TableColumn<DnsRecord, String> nameColumn;
    @FXML TableColumn<DnsRecord, String> valueColumn;
    @FXML TableColumn<DnsRecord, String> whyColumn;
    @FXML TableColumn<DnsRecord, DnsRecord> copyColumn;
    @FXML TableColumn<DnsRecord, String> checkColumn;
    @FXML Label statusLabel;

    public DnsView(DnsViewModel model) {
        this.model = model;
        this.root = Views.load("DnsView.fxml", this);
    }

    @FXML
    void initialize() {
        table.setItems(model.records());
        table.setPlaceholder(new Label("No records: set the hostname and domains first."));
        typeColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().type()));
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        valueColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().value()));
        whyColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(why(c.getValue())));
        copyColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        copyColumn.setCellFactory(c -> new WizardView.CopyCell());
        checkColumn.setCellValueFactory(c -> javafx.beans.binding.Bindings.valueAt(model.verdicts(), c.getValue()));
        checkColumn.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String verdict, boolean empty) {
                super.updateItem(verdict, empty);
                setText(empty || verdict == null ? "" : verdict);
                setTooltip(empty || verdict == null ? null : new javafx.scene.control.Tooltip(verdict));
                getStyleClass().removeAll("dns-ok", "dns-bad");
                if (!empty && verdict != null) getStyleClass().add(verdict.equals("OK") ? "dns-ok" : "dns-bad");
            }
        });
        statusLabel.textProperty().bind(model.statusProperty());
        model.refresh();
    }

    @FXML
    void refresh() {
        model.refresh();
    }

    @FXML
    void check() {
        model.check();
    }

    @FXML
    void copyZone() {
        WizardView.copy(model.zoneFile());
        model.statusProperty().set("Copied " + model.records().size() + " records as a zone file.");
    }

    public Parent root() {
        return root;
    }

    /** The Why column: why the record matters, then what else to know about it. */
    static String why(DnsRecord r) {
        return r.note().isEmpty() ? r.why() : r.why() + " " + r.note();
    }
}
