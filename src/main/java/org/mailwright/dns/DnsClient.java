package org.mailwright.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mailwright.mail.HostPort;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * Asks one DNS server (the configured resolver, or the system's when none is configured) through dnsjava's
 * {@link LookupSession}: no global state, no /etc/hosts. {@link #of} has no cache — the checker must see what is
 * published now; {@link #cached} keeps answers for their TTL, for the engine's checks on every received message.
 */
public final class DnsClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final LookupSession session;
    private final String description;
    /** Set after a timeout: the rest of a check fails at once instead of waiting again for every record. */
    private volatile String unreachable;
    /** False for the engine's long-lived client: one timeout must not fail every later message. */
    private final boolean giveUpAfterTimeout;

    private DnsClient(Resolver resolver, String description, boolean cache) {
        LookupSession.LookupSessionBuilder b = LookupSession.builder().resolver(resolver).clearCaches();
        if (cache) b.cache(new Cache(DClass.IN));
        this.session = b.build();
        this.description = description;
        this.giveUpAfterTimeout = !cache;
    }

    /** {@code HOST:PORT} (IPv6 in brackets), or empty for the system's resolvers. */
    public static DnsClient of(String hostPort) {
        return create(hostPort, false);
    }

    /** As {@link #of}, keeping answers (and NXDOMAIN) for their TTL; a timeout fails only the question asked. */
    public static DnsClient cached(String hostPort) {
        return create(hostPort, true);
    }

    private static DnsClient create(String hostPort, boolean cache) {
        if (hostPort == null || hostPort.isBlank()) {
            ExtendedResolver system = new ExtendedResolver();
            system.setTimeout(TIMEOUT);
            return new DnsClient(system, "the system resolver", cache);
        }
        InetSocketAddress address = parseHostPort(hostPort);
        SimpleResolver r = new SimpleResolver(address);
        r.setTimeout(TIMEOUT);
        return new DnsClient(r, hostPort, cache);
    }

    static InetSocketAddress parseHostPort(String hostPort) {
        HostPort hp;
        try {
            hp = HostPort.parse(hostPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " — write it like 127.0.0.1:53");
        }
        try {
            return hp.address();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("resolver host \"" + hp.host() + "\" is unknown — give its IP address", e);
        }
    }

    /** Where the questions go, for reports. */
    public String description() {
        return description;
    }

    /** The DNS could not answer (timeout, SERVFAIL, REFUSED): unlike an empty answer this proves nothing. */
    public static final class LookupFailed extends IOException {
        public LookupFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The records of {@code type} at {@code name}; empty for NXDOMAIN and for no data of that type. */
    public List<Record> lookup(String name, int type) throws LookupFailed {
        Name n;
        try {
            n = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new LookupFailed("\"" + name + "\" is not a DNS name", e);
        }
        if (unreachable != null) throw new LookupFailed(Type.string(type) + " " + name + ": " + unreachable, null);
        try {
            List<Record> records = session.lookupAsync(n, type).toCompletableFuture()
                    .get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS).getRecords();
            return records.stream().filter(r -> r.getType() == type).toList();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NoSuchDomainException || cause instanceof NoSuchRRSetException) return List.of();
            String why = DnsFailure.words(cause, description, TIMEOUT);
            if (why.startsWith("no answer") && giveUpAfterTimeout) unreachable = why + " (earlier)";
            throw new LookupFailed(Type.string(type) + " " + name + ": " + why, cause);
        } catch (TimeoutException e) {
            String why = DnsFailure.noAnswer(description, TIMEOUT.multipliedBy(2));
            if (giveUpAfterTimeout) unreachable = why + " (earlier)";
            throw new LookupFailed(Type.string(type) + " " + name + ": " + why, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LookupFailed(Type.string(type) + " " + name + ": interrupted", e);
        }
    }

    /** TXT records, each with its character-strings joined (RFC 7208 §3.3, RFC 6376 §3.6.2.2). */
    public List<String> txt(String name) throws LookupFailed {
        List<String> out = new ArrayList<>();
        for (Record r : lookup(name, Type.TXT)) out.add(String.join("", ((TXTRecord) r).getStrings()));
        return out;
    }

    /** IPv4 and IPv6 addresses of {@code name}. */
    public List<InetAddress> addresses(String name) throws LookupFailed {
        List<InetAddress> out = new ArrayList<>();
        for (Record r : lookup(name, Type.A)) out.add(((ARecord) r).getAddress());
        for (Record r : lookup(name, Type.AAAA)) out.add(((AAAARecord) r).getAddress());
        return out;
    }

    /** IPv4 addresses only (A). */
    public List<InetAddress> ipv4(String name) throws LookupFailed {
        List<InetAddress> out = new ArrayList<>();
        for (Record r : lookup(name, Type.A)) out.add(((ARecord) r).getAddress());
        return out;
    }

    /** A name as text: lower case, without the trailing dot. */
    public static String text(Name n) {
        return DnsRecord.stripDot(n.toString().toLowerCase(Locale.ROOT));
    }
}
