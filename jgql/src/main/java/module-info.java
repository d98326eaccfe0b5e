/**
 * jgql: a GraphQL client whose centrepiece is one permanent, self-healing session.
 * Only the public API and the transport SPI are exported; {@code dev.jgql.internal} is not.
 */
module dev.jgql {
    requires transitive java.net.http;
    requires transitive com.fasterxml.jackson.databind;
    requires transitive dev.failsafe.core;
    requires transitive com.graphqljava;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires org.slf4j;

    exports dev.jgql;
    exports dev.jgql.schema;
    exports dev.jgql.transport;
    exports dev.jgql.transport.http;
    exports dev.jgql.transport.ws;
    exports dev.jgql.transport.sse;
    exports dev.jgql.transport.support;
    exports dev.jgql.engine;
}
