package dev.jgql.transport.ws;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The close-code classification, code by code, as the graphql-transport-ws fact sheet recommends. */
class CloseCodesTest {

    @ParameterizedTest(name = "{0} retryable={1}")
    @CsvSource({
            "1000, true", "1001, true", "1002, false", "1003, false", "1005, true", "1006, true", "1007, false",
            "1008, false", "1009, false", "1010, false", "1011, false", "1012, true", "1013, true", "1014, true",
            "1015, false", "1016, false", "1999, false",
            "3000, true", "3999, true",
            "4000, true", "4004, false", "4005, false", "4400, false", "4401, false", "4403, false", "4406, false",
            "4408, true", "4409, false", "4429, false", "4499, true", "4500, false", "4504, true", "4999, true"})
    void classifiesEveryCode(int code, boolean retryable) {
        assertThat(CloseCodes.isRetryable(code)).isEqualTo(retryable);
        assertThat(WebSocketClosedException.isRetryable(code)).isEqualTo(retryable);
        assertThat(new WebSocketClosedException("closed", code, "why", false, null).isRetryable()).isEqualTo(retryable);
        assertThat(CloseCodes.meaning(code)).isNotBlank();
        assertThat(CloseCodes.advice(code)).isNotBlank();
    }
}
