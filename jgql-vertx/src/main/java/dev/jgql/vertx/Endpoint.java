package dev.jgql.vertx;

import java.net.URI;
import java.util.Locale;

/** Where a request goes, as Vert.x's request options want it: host without brackets, port, TLS, target. */
record Endpoint(String host, int port, boolean ssl, String target) {

    /**
     * @param uri        an absolute URI
     * @param plain      its scheme without TLS ({@code http} or {@code ws})
     * @param secure     its scheme with TLS ({@code https} or {@code wss})
     * @throws IllegalArgumentException for another scheme or no host
     */
    static Endpoint of(URI uri, String plain, String secure) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean ssl = scheme.equals(secure);
        if (!ssl && !scheme.equals(plain) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an absolute " + plain + "(s) URI: " + uri.getScheme() + "://"
                    + uri.getHost());
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new Endpoint(host, uri.getPort() >= 0 ? uri.getPort() : ssl ? 443 : 80, ssl,
                uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
    }
}
