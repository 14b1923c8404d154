package org.mailwright.mta;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mailwright.dns.DnsFailure;
import org.mailwright.mail.HostPort;
import org.mailwright.queue.DeliveryException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * Where mail for a domain goes (RFC 5321 §5.1): its MX hosts by preference, or, with no MX, the domain's own
 * A/AAAA as an implicit MX of preference 0. Queries go to the configured resolver only; the system's resolver
 * is used when none is configured. No global dnsjava state is touched. A lookup that fails throws a
 * {@link DeliveryException} quoting the reply the recipients get: 5yz for NXDOMAIN, no address and a null MX
 * (they bounce), 4yz for what may answer later.
 */
final class MxLookup {
    /** One mail exchanger: its name, preference and addresses (IPv4 first). */
    record Host(String name, int preference, List<InetAddress> addresses) {}

    private final LookupSession session;
    private final Duration timeout;
    /** Where the questions go, as the errors name it. */
    private final String resolver;
    private final Duration resolverTimeout;

    MxLookup(Optional<String> resolver, Duration timeout) throws UnknownHostException {
        SimpleResolver r = resolver.isPresent() ? new SimpleResolver(HostPort.parse(resolver.get()).address()) : new SimpleResolver();
        r.setTimeout(timeout);
        // A cache that honours the records' TTLs: a queue run to one domain asks the resolver once.
        this.session = LookupSession.builder().resolver(r).cache(new Cache(DClass.IN)).build();
        this.timeout = timeout.multipliedBy(3);
        this.resolverTimeout = timeout;
        this.resolver = resolver.isPresent() ? resolver.get() : "the system resolver " + DnsFailure.name(r.getAddress());
    }

    /** The hosts to try for {@code domain}, best first, each with at least one address. */
    List<Host> mailExchangers(String domain) throws DeliveryException {
        Name name = name(domain);
        List<Record> mx;
        try {
            mx = query(name, Type.MX);
        } catch (NoSuchRRSetException e) {
            mx = List.of();
        } catch (NoSuchDomainException e) {
            throw new DeliveryException("550 5.1.2 domain " + domain + " does not exist (NXDOMAIN)");
        }
        List<MXRecord> records = new ArrayList<>();
        for (Record r : mx) if (r instanceof MXRecord m) records.add(m);
        if (records.isEmpty()) {
            // No MX: the domain itself is the implicit MX (RFC 5321 §5.1).
            List<InetAddress> own = addresses(name);
            if (own.isEmpty()) throw new DeliveryException("550 5.1.2 " + domain + " has neither MX nor A/AAAA records");
            return List.of(new Host(domain, 0, own));
        }
        // A null MX (RFC 7505): the domain accepts no mail.
        if (records.size() == 1 && records.get(0).getTarget().equals(Name.root)) {
            throw new DeliveryException("556 5.1.10 " + domain + " accepts no mail (null MX, RFC 7505)");
        }
        // Equal preferences are tried in random order (RFC 5321 §5.1).
        java.util.Collections.shuffle(records);
        records.sort(Comparator.comparingInt(MXRecord::getPriority));
        List<Host> hosts = new ArrayList<>();
        String lastError = "no MX host of " + domain + " has an address";
        for (MXRecord m : records) {
            String target = m.getTarget().toString(true);
            try {
                List<InetAddress> a = addresses(m.getTarget());
                if (!a.isEmpty()) hosts.add(new Host(target, m.getPriority(), a));
            } catch (DeliveryException f) {
                lastError = f.getMessage();
            }
        }
        if (hosts.isEmpty()) throw new DeliveryException("451 4.4.3 " + lastError);
        return hosts;
    }

    /** The addresses of a host name (A, then AAAA); an address literal is its own answer. */
    List<InetAddress> addressesOf(String host) throws DeliveryException {
        if (host.matches("[0-9.]+") || host.contains(":")) {
            try {
                return List.of(InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                throw new DeliveryException("550 5.1.2 bad address " + host);
            }
        }
        List<InetAddress> a = addresses(name(host));
        if (a.isEmpty()) throw new DeliveryException("451 4.4.3 " + host + " has no A/AAAA record");
        return a;
    }

    private List<InetAddress> addresses(Name name) throws DeliveryException {
        List<InetAddress> found = new ArrayList<>();
        boolean anyName = false;
        for (int type : new int[] {Type.A, Type.AAAA}) {
            try {
                for (Record r : query(name, type)) {
                    if (r instanceof ARecord a) found.add(a.getAddress());
                    if (r instanceof AAAARecord a) found.add(a.getAddress());
                }
                anyName = true;
            } catch (NoSuchRRSetException e) {
                anyName = true;
            } catch (NoSuchDomainException e) {
                // tried below
            }
        }
        if (!anyName) throw new DeliveryException("451 4.4.3 host " + name.toString(true) + " not found");
        return found;
    }

    private List<Record> query(Name name, int type) throws NoSuchRRSetException, NoSuchDomainException, DeliveryException {
        try {
            return session.lookupAsync(name, type).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).getRecords();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NoSuchRRSetException n) throw n;
            if (cause instanceof NoSuchDomainException n) throw n;
            throw new DeliveryException("451 4.4.3 DNS lookup of " + Type.string(type) + " " + name.toString(true)
                    + " failed: " + DnsFailure.words(cause, resolver, resolverTimeout));
        } catch (TimeoutException e) {
            throw new DeliveryException("451 4.4.3 DNS lookup of " + Type.string(type) + " " + name.toString(true)
                    + " failed: " + DnsFailure.noAnswer(resolver, timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("451 4.4.3 DNS lookup interrupted");
        }
    }

    private static Name name(String domain) throws DeliveryException {
        try {
            return Name.fromString(domain.endsWith(".") ? domain : domain + ".");
        } catch (TextParseException e) {
            throw new DeliveryException("553 5.1.2 \"" + domain + "\" is not a domain name");
        }
    }
}
