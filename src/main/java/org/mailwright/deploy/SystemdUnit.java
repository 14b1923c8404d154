package org.mailwright.deploy;

import java.util.List;

/**
 * {@code mailwright.service}: the engine as a dedicated, unprivileged user that may still bind ports below 1024, with
 * exactly the JVM options of {@code jvm.options} on its command line.
 */
final class SystemdUnit {
    private SystemdUnit() {}

    static String text(RemoteLayout layout, String java, List<String> jvmOptions) {
        String d = layout.dir();
        boolean underHome = d.startsWith("/home/") || d.startsWith("/root/") || d.equals("/root");
        return String.join("\n",
                "# Installed by `mailwright deploy`; deploying again replaces it.",
                "[Unit]",
                "Description=Mailwright mail server",
                "After=network-online.target",
                "Wants=network-online.target",
                "",
                "[Service]",
                "Type=simple",
                "User=" + RemoteLayout.SERVICE_USER,
                "Group=" + RemoteLayout.SERVICE_USER,
                "WorkingDirectory=" + layout.data(),
                "# The JVM flags come from jvm.options (installer/jvm.options in the sources); deploy copies it next to the jar.",
                "ExecStart=" + java + (jvmOptions.isEmpty() ? "" : " " + String.join(" ", jvmOptions)) + " -jar " + layout.jar()
                        + " --data " + layout.data() + " serve",
                "# The JVM exits with 143 after SIGTERM once its shutdown hook has closed the engine: a clean stop.",
                "SuccessExitStatus=143",
                "# SIGTERM makes the engine finish what it is doing and close the queue cleanly.",
                "KillSignal=SIGTERM",
                "TimeoutStopSec=60",
                "Restart=on-failure",
                "RestartSec=5",
                "# Exit 1 and 2 mean \"fix the configuration\" (the journal has the line that says how): restarting won't help,",
                "# and deploy sees the failure at once and puts the previous release back.",
                "RestartPreventExitStatus=1 2",
                "# Ports 25, 465 and 587 without running as root.",
                "AmbientCapabilities=CAP_NET_BIND_SERVICE",
                "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
                "NoNewPrivileges=yes",
                "ProtectSystem=strict",
                "ReadWritePaths=" + layout.data(),
                // ProtectHome=yes would hide a remote dir under /home or /root from the service itself.
                "ProtectHome=" + (underHome ? "read-only" : "yes"),
                "PrivateTmp=yes",
                "PrivateDevices=yes",
                "ProtectKernelTunables=yes",
                "ProtectKernelModules=yes",
                "ProtectKernelLogs=yes",
                "ProtectControlGroups=yes",
                "ProtectClock=yes",
                "ProtectHostname=yes",
                "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
                "RestrictNamespaces=yes",
                "RestrictRealtime=yes",
                "RestrictSUIDSGID=yes",
                "LockPersonality=yes",
                "UMask=0077",
                "",
                "[Install]",
                "WantedBy=multi-user.target",
                "");
    }
}
