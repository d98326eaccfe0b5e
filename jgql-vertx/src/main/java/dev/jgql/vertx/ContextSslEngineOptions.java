package dev.jgql.vertx;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;

import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.List;

/**
 * Makes Vert.x use an application's {@link SSLContext} as it is (its trust and key managers, its
 * protocols): Netty's {@link JdkSslContext} wraps it, and this adds what Vert.x would otherwise
 * configure on a context of its own: ALPN, the server name (SNI) and host name verification.
 */
final class ContextSslEngineOptions extends SSLEngineOptions {
    private final SSLContext sslContext;

    ContextSslEngineOptions(SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    @Override
    public SSLEngineOptions copy() {
        return new ContextSslEngineOptions(sslContext);
    }

    @Override
    public SslContextFactory sslContextFactory() {
        return new Factory(sslContext);
    }

    /** One Netty context per configuration Vert.x asks for (with or without ALPN, per server name). */
    private static final class Factory implements SslContextFactory {
        private final SSLContext sslContext;
        private boolean useAlpn;
        private List<String> applicationProtocols = List.of();
        private SNIServerName serverName;
        private String endpointIdentificationAlgorithm;

        Factory(SSLContext sslContext) {
            this.sslContext = sslContext;
        }

        @Override
        public SslContextFactory useAlpn(boolean useAlpn) {
            this.useAlpn = useAlpn;
            return this;
        }

        @Override
        public SslContextFactory applicationProtocols(List<String> applicationProtocols) {
            this.applicationProtocols = applicationProtocols == null ? List.of() : List.copyOf(applicationProtocols);
            return this;
        }

        @Override
        public SslContextFactory forClient(SNIServerName serverName, String endpointIdentificationAlgorithm) {
            this.serverName = serverName;
            this.endpointIdentificationAlgorithm = endpointIdentificationAlgorithm;
            return this;
        }

        @Override
        public SslContext create() {
            ApplicationProtocolConfig alpn = useAlpn && !applicationProtocols.isEmpty()
                    ? new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, applicationProtocols)
                    : ApplicationProtocolConfig.DISABLED;
            JdkSslContext context = new JdkSslContext(sslContext, true, null, IdentityCipherSuiteFilter.INSTANCE, alpn,
                    ClientAuth.NONE, null, false);
            SNIServerName sni = serverName;
            String identification = endpointIdentificationAlgorithm;
            return new DelegatingSslContext(context) {
                @Override
                protected void initEngine(SSLEngine engine) {
                    SSLParameters parameters = engine.getSSLParameters();
                    // Vert.x asks for "HTTPS" (verify the host name); never less than that when it says nothing.
                    if (identification == null || !identification.isEmpty()) {
                        parameters.setEndpointIdentificationAlgorithm(identification == null ? "HTTPS" : identification);
                    }
                    if (sni != null) {
                        parameters.setServerNames(List.of(sni));
                    }
                    engine.setSSLParameters(parameters);
                }
            };
        }
    }
}
