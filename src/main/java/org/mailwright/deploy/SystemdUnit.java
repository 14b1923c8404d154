package org.mailwright.deploy;

/** {@code mailwright.service}: the engine as a dedicated, unprivileged user that may still bind ports below 1024. */
final class SystemdUnit {
    private SystemdUnit() {}

    static String text(RemoteLayout layout, String java) {
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
                "ExecStart=" + java + " -jar " + layout.jar() + " --data " + layout.data() + " serve",
                "# SIGTERM makes the engine finish what it is doing and close the queue cleanly.",
                "KillSignal=SIGTERM",
                "TimeoutStopSec=60",
                "Restart=on-failure",
                "RestartSec=5",
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
