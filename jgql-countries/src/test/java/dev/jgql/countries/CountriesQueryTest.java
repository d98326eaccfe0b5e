package dev.jgql.countries;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CountriesQueryTest {

  private static CountriesServer server;

  @BeforeAll
  static void startServer() {
    server = CountriesServer.start(0);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void postWithVariablesReturnsEuropeAndItsCountries() throws Exception {
    JsonObject response = GraphQLHttp.post(server.httpUri(),
        "query Continent($code: ID!) { continent(code: $code) { name countries { code } } }",
        new JsonObject().put("code", "EU"));

    assertThat(response.containsKey("errors")).isFalse();
    JsonObject europe = response.getJsonObject("data").getJsonObject("continent");
    assertThat(europe.getString("name")).isEqualTo("Europe");
    assertThat(codes(europe.getJsonArray("countries")))
        .hasSizeBetween(45, 60)
        .contains("FR", "DE", "IT", "ES")
        .doesNotContain("US", "JP")
        .doesNotHaveDuplicates();
  }

  @Test
  void getWithQueryAndVariablesInTheUrl() throws Exception {
    JsonObject response = GraphQLHttp.get(server.httpUri(),
        "query Country($code: ID!) { country(code: $code) { name emoji } }",
        new JsonObject().put("code", "DE"));

    assertThat(response.getJsonObject("data").getJsonObject("country"))
        .isEqualTo(new JsonObject().put("name", "Germany").put("emoji", "\uD83C\uDDE9\uD83C\uDDEA"));
  }

  @Test
  void countryHasItsScalarFieldsLanguagesAndContinent() throws Exception {
    JsonObject france = GraphQLHttp.post(server.httpUri(),
            "{ country(code: \"FR\") { code name native capital currency currencies phone phones"
                + " languages { code name native } continent { code name } } }",
            new JsonObject())
        .getJsonObject("data").getJsonObject("country");

    assertThat(france.getString("code")).isEqualTo("FR");
    assertThat(france.getString("name")).isEqualTo("France");
    assertThat(france.getString("native")).isEqualTo("France");
    assertThat(france.getString("capital")).isEqualTo("Paris");
    assertThat(france.getString("currency")).isEqualTo("EUR");
    assertThat(france.getJsonArray("currencies")).containsExactly("EUR");
    assertThat(france.getString("phone")).isEqualTo("33");
    assertThat(france.getJsonArray("phones")).containsExactly("33");
    assertThat(france.getJsonArray("languages"))
        .containsExactly(new JsonObject().put("code", "fr").put("name", "French").put("native", "Français"));
    assertThat(france.getJsonObject("continent"))
        .isEqualTo(new JsonObject().put("code", "EU").put("name", "Europe"));
  }

  @Test
  void multiValuedCurrenciesAndPhonesAreCommaJoinedLikeThePublicApi() throws Exception {
    JsonObject data = GraphQLHttp.post(server.httpUri(),
            "{ ch: country(code: \"CH\") { currency currencies }"
                + " do: country(code: \"DO\") { phone phones }"
                + " aq: country(code: \"AQ\") { capital currency currencies } }",
            new JsonObject())
        .getJsonObject("data");

    assertThat(data.getJsonObject("ch").getString("currency")).isEqualTo("CHF,CHE,CHW");
    assertThat(data.getJsonObject("ch").getJsonArray("currencies")).containsExactly("CHF", "CHE", "CHW");
    assertThat(data.getJsonObject("do").getString("phone")).isEqualTo("1809,1829,1849");
    assertThat(data.getJsonObject("do").getJsonArray("phones")).containsExactly("1809", "1829", "1849");
    // Antarctica has neither capital nor currency: the nullable fields are null, the list is empty.
    assertThat(data.getJsonObject("aq").getValue("capital")).isNull();
    assertThat(data.getJsonObject("aq").getValue("currency")).isNull();
    assertThat(data.getJsonObject("aq").getJsonArray("currencies")).isEmpty();
  }

  @Test
  void allCountriesAreServed() throws Exception {
    JsonArray countries = GraphQLHttp.post(server.httpUri(),
            "{ countries { code name native emoji phone continent { code } } }", new JsonObject())
        .getJsonObject("data").getJsonArray("countries");

    assertThat(countries).hasSizeBetween(245, 260);
    assertThat(codes(countries)).doesNotHaveDuplicates().contains("FR", "US", "JP", "BR", "AQ", "AU", "ZA");
    for (Object each : countries) {
      JsonObject country = (JsonObject) each;
      assertThat(country.getString("code")).matches("[A-Z]{2}");
      assertThat(country.getString("name")).isNotBlank();
      assertThat(country.getString("native")).isNotBlank();
      assertThat(country.getString("emoji")).hasSize(4);
      assertThat(country.getString("phone")).matches("\\d+(,\\d+)*");
      assertThat(country.getJsonObject("continent").getString("code"))
          .isIn("AF", "AN", "AS", "EU", "NA", "OC", "SA");
    }
  }

  @Test
  void theSevenContinents() throws Exception {
    JsonArray continents = GraphQLHttp.post(server.httpUri(), "{ continents { code name } }", new JsonObject())
        .getJsonObject("data").getJsonArray("continents");

    assertThat(continents).containsExactly(
        continent("AF", "Africa"),
        continent("AN", "Antarctica"),
        continent("AS", "Asia"),
        continent("EU", "Europe"),
        continent("NA", "North America"),
        continent("OC", "Oceania"),
        continent("SA", "South America"));
  }

  @Test
  void languagesAndLanguageByCode() throws Exception {
    JsonObject data = GraphQLHttp.post(server.httpUri(),
            "{ languages { code } language(code: \"de\") { code name native } }", new JsonObject())
        .getJsonObject("data");

    assertThat(codes(data.getJsonArray("languages"))).hasSizeGreaterThan(100).contains("en", "fr", "de", "zh");
    assertThat(data.getJsonObject("language"))
        .isEqualTo(new JsonObject().put("code", "de").put("name", "German").put("native", "Deutsch"));
  }

  @Test
  void unknownCodesAreNullWithoutErrors() throws Exception {
    JsonObject response = GraphQLHttp.post(server.httpUri(),
        "{ country(code: \"XX\") { name } continent(code: \"XX\") { name } language(code: \"xx\") { name } }",
        new JsonObject());

    assertThat(response.containsKey("errors")).isFalse();
    assertThat(response.getJsonObject("data"))
        .isEqualTo(new JsonObject().putNull("country").putNull("continent").putNull("language"));
  }

  @Test
  void invalidQueriesAnswerWithGraphQLErrors() throws Exception {
    JsonObject response = GraphQLHttp.post(server.httpUri(), "{ nope }", new JsonObject());

    assertThat(response.containsKey("data")).isFalse();
    assertThat(response.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("classification"))
        .isEqualTo("ValidationError");
  }

  @Test
  void slowAnswersAfterTheDelayWithoutHoldingUpOtherRequests() throws Exception {
    long started = System.nanoTime();
    CompletableFuture<JsonObject> slow = GraphQLHttp.postAsync(server.httpUri(), "{ slow(ms: 1500) }");

    JsonObject fast = GraphQLHttp.post(server.httpUri(), "{ country(code: \"FR\") { name } }", new JsonObject());
    assertThat(fast.getJsonObject("data").getJsonObject("country").getString("name")).isEqualTo("France");
    assertThat(slow).isNotDone();

    JsonObject answer = slow.get(GraphQLHttp.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(answer.getJsonObject("data").getString("slow")).isEqualTo("ok");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
  }

  private static List<String> codes(JsonArray items) {
    return items.stream().map(item -> ((JsonObject) item).getString("code")).toList();
  }

  private static JsonObject continent(String code, String name) {
    return new JsonObject().put("code", code).put("name", name);
  }
}
