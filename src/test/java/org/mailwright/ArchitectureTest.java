package org.mailwright;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/ARCHITECTURE.md's dependency direction, held by a test: ui and cli on top, the engine roles below, JavaFX only in ui. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.mailwright");

    private static final String[] ENGINE_ROLES = {"org.mailwright.config..", "org.mailwright.smtp..", "org.mailwright.ruleset..",
            "org.mailwright.queue..", "org.mailwright.mta..", "org.mailwright.mda..", "org.mailwright.lookup..",
            "org.mailwright.tls..", "org.mailwright.dns..", "org.mailwright.dkim..", "org.mailwright.log..",
            "org.mailwright.control..", "org.mailwright.io.."};

    @Test
    void onlyTheUiUsesJavaFx() {
        noClasses().that().resideOutsideOfPackage("org.mailwright.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..")
                .check(MAIN);
    }

    @Test
    void engineRolesNeverUseCliOrUi() {
        noClasses().that().resideInAnyPackage(ENGINE_ROLES)
                .should().dependOnClassesThat().resideInAnyPackage("org.mailwright.cli..", "org.mailwright.ui..")
                .check(MAIN);
    }

    @Test
    void engineRolesNeverUseDeploy() {
        noClasses().that().resideInAnyPackage(ENGINE_ROLES)
                .should().dependOnClassesThat().resideInAnyPackage("org.mailwright.deploy..")
                .check(MAIN);
    }

    @Test
    void theCliDoesNotReachIntoTheUi() {
        noClasses().that().resideInAPackage("org.mailwright.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.mailwright.ui..")
                .check(MAIN);
    }

    /**
     * The configuration records are changed with their with-methods, which copy every other field; a positional
     * constructor call elsewhere is how a wizard re-run once dropped [dns] and the ACME settings.
     */
    @Test
    void onlyTheConfigPackageCallsConfigConstructors() {
        DescribedPredicate<JavaConstructorCall> configRecord = DescribedPredicate.describe("a constructor of Config or its parts",
                call -> {
                    String owner = call.getTargetOwner().getName();
                    return owner.equals("org.mailwright.config.Config") || owner.startsWith("org.mailwright.config.Config$");
                });
        noClasses().that().resideOutsideOfPackage("org.mailwright.config..")
                .should().callConstructorWhere(configRecord)
                .check(MAIN);
    }

    @Test
    void theUiDoesNotReachIntoTheCli() {
        // Both faces call the admin layer; Main chooses between them.
        noClasses().that().resideInAPackage("org.mailwright.ui..")
                .should().dependOnClassesThat().resideInAPackage("org.mailwright.cli..")
                .check(MAIN);
    }

    @Test
    void theAdminLayerServesBothFacesAndUsesNeither() {
        noClasses().that().resideInAPackage("org.mailwright.admin..")
                .should().dependOnClassesThat().resideInAnyPackage("org.mailwright.cli..", "org.mailwright.ui..")
                .check(MAIN);
    }

    @Test
    void engineRolesNeverUseTheAdminLayer() {
        noClasses().that().resideInAnyPackage(ENGINE_ROLES)
                .should().dependOnClassesThat().resideInAPackage("org.mailwright.admin..")
                .check(MAIN);
    }

    /** No two top-level packages depend on each other, however long the way round (queue owns LocalDelivery and Relay). */
    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("org.mailwright.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /**
     * The faces print; the engine writes the maillog, and when that cannot say it, {@code log.Stderr}. Allowed
     * besides cli: the launcher Main, and deploy's BindCheck, a main class whose stdout is its answer over SSH.
     */
    @Test
    void noStandardStreamsOutsideTheFaces() {
        Set<String> allowed = Set.of("org.mailwright.Main", "org.mailwright.log.Stderr", "org.mailwright.deploy.BindCheck");
        DescribedPredicate<JavaClass> allowedToPrint = DescribedPredicate.describe("allowed to print",
                c -> allowed.contains(c.getName().replaceAll("\\$.*", "")));
        for (String stream : new String[] {"out", "err"}) {
            noClasses().that().resideOutsideOfPackage("org.mailwright.cli..").and(DescribedPredicate.not(allowedToPrint))
                    .should().accessField(System.class, stream)
                    .check(MAIN);
        }
    }
}
