package org.mailwright.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The address helpers, one table each (chasquid's envelope_test.go). */
class AddressesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "bob@Example.ORG      | example.org | bob       | bob | bob@example.org",
            "Bob+lists@x.org      | x.org       | Bob+lists | bob | Bob+lists@x.org",
            "\"a@b\"@x.org        | x.org       | \"a@b\"   | \"a@b\" | \"a@b\"@x.org",
            "nobody               | ''          | ''        | ''  | nobody",
            "@x.org               | x.org       | ''        | ''  | @x.org",
            "+tag@x.org           | x.org       | +tag      | +tag | +tag@x.org",
            // upper case: the domain is folded, the local part kept as written, the user folded
            "BOB@EXAMPLE.ORG      | example.org | BOB       | bob | BOB@example.org",
            "MiXeD@Sub.Example.ORG | sub.example.org | MiXeD | mixed | MiXeD@sub.example.org",
            "Bob+Tag+More@X.org   | x.org       | Bob+Tag+More | bob | Bob+Tag+More@x.org",
            "user+@x.org          | x.org       | user+     | user | user+@x.org",
            // quoted local parts: the domain is after the last '@', whatever the quotes hold
            "\"john doe\"@x.org   | x.org       | \"john doe\" | \"john doe\" | \"john doe\"@x.org",
            "\"a@b@c\"@X.Org      | x.org       | \"a@b@c\" | \"a@b@c\" | \"a@b@c\"@x.org",
            "a@b@x.org            | x.org       | a@b       | a@b | a@b@x.org",
            // no domain, or nothing at all
            "bob@                 | ''          | bob       | bob | bob@",
            "''                   | ''          | ''        | ''  | ''",
            "@                    | ''          | ''        | ''  | @",
            // a trailing dot is not taken off here: the path checks in smtp refuse it before it gets this far
            "bob@example.org.     | example.org. | bob      | bob | bob@example.org.",
            "bob@[192.0.2.1]      | [192.0.2.1] | bob       | bob | bob@[192.0.2.1]"})
    void takesAnAddressApart(String address, String domain, String local, String user, String normalized) {
        assertEquals(domain, Addresses.domainOf(address));
        assertEquals(local, Addresses.localPart(address));
        assertEquals(user, Addresses.user(address));
        assertEquals(normalized, Addresses.normalize(address));
    }

    @ParameterizedTest
    @CsvSource({"mail.example.org,true", "localhost,true", "MX1.Example.Org,true", "a-b.c,true", "-a.org,false",
            "a-.org,false", "a..org,false", "example.org.,false", "'',false", "a_b.org,false"})
    void hostNames(String name, boolean valid) {
        assertEquals(valid, HostName.isValid(name));
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:53,true", "[::1]:53,true", "smtp.example.org:587,true", "example.org,false",
            ":25,false", "host:0,false", "host:65536,false", "host:x,false", "-bad-:25,false"})
    void hostPorts(String s, boolean valid) {
        assertEquals(valid, HostPort.isValid(s));
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:53,127.0.0.1,53,true", "[2001:db8::1]:53,2001:db8::1,53,true", "mx.example.org:25,mx.example.org,25,false"})
    void parsesHostAndPort(String s, String host, int port, boolean literal) {
        HostPort hp = HostPort.parse(s);
        assertEquals(new HostPort(host, port), hp);
        assertEquals(literal, hp.isIpLiteral());
    }
}
