package dev.jgql.countries;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The countries, continents and languages served by the backend, read once from {@code countries.json}
 * (converted from the {@code countries-list} npm package, see {@code NOTICE.md}) and never modified.
 */
final class CountriesData {

  record Continent(String code, String name) {}

  record Language(String code, String name, String nativeName) {}

  record Country(
      String code,
      String name,
      String nativeName,
      String capital,
      String continentCode,
      List<String> currencies,
      List<String> phones,
      List<String> languageCodes) {

    /** The flag, spelled as the two regional indicator symbols of the ISO 3166-1 alpha-2 code. */
    String emoji() {
      StringBuilder flag = new StringBuilder(4);
      code.chars().forEach(letter -> flag.appendCodePoint(0x1F1E6 + letter - 'A'));
      return flag.toString();
    }
  }

  private static final String RESOURCE = "countries.json";

  private final List<Continent> continents;
  private final List<Language> languages;
  private final List<Country> countries;
  private final Map<String, Continent> continentsByCode;
  private final Map<String, Language> languagesByCode;
  private final Map<String, Country> countriesByCode;
  private final Map<String, List<Country>> countriesByContinent;

  private CountriesData(List<Continent> continents, List<Language> languages, List<Country> countries) {
    this.continents = List.copyOf(continents);
    this.languages = List.copyOf(languages);
    this.countries = List.copyOf(countries);
    this.continentsByCode = index(continents, Continent::code);
    this.languagesByCode = index(languages, Language::code);
    this.countriesByCode = index(countries, Country::code);
    this.countriesByContinent = countries.stream()
        .collect(Collectors.groupingBy(Country::continentCode, Collectors.toUnmodifiableList()));
  }

  static CountriesData load() {
    JsonObject json;
    try (InputStream in = CountriesData.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing class-path resource " + RESOURCE);
      }
      json = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }

    List<Continent> continents = new ArrayList<>();
    json.getJsonObject("continents").forEach(e -> continents.add(new Continent(e.getKey(), (String) e.getValue())));

    List<Language> languages = new ArrayList<>();
    json.getJsonObject("languages").forEach(e -> {
      JsonObject language = (JsonObject) e.getValue();
      languages.add(new Language(e.getKey(), language.getString("name"), language.getString("native")));
    });

    List<Country> countries = new ArrayList<>();
    json.getJsonObject("countries").forEach(e -> {
      JsonObject country = (JsonObject) e.getValue();
      countries.add(new Country(
          e.getKey(),
          country.getString("name"),
          country.getString("native"),
          country.getString("capital"),
          country.getString("continent"),
          strings(country.getJsonArray("currencies")),
          strings(country.getJsonArray("phones")),
          strings(country.getJsonArray("languages"))));
    });

    return new CountriesData(continents, languages, countries);
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> code) {
    return items.stream().collect(Collectors.toUnmodifiableMap(code, Function.identity()));
  }

  private static List<String> strings(JsonArray array) {
    List<String> strings = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      strings.add(array.getString(i));
    }
    return List.copyOf(strings);
  }

  List<Continent> continents() {
    return continents;
  }

  Continent continent(String code) {
    return continentsByCode.get(code);
  }

  List<Country> countries() {
    return countries;
  }

  Country country(String code) {
    return countriesByCode.get(code);
  }

  List<Country> countriesOf(Continent continent) {
    return countriesByContinent.getOrDefault(continent.code(), List.of());
  }

  List<Language> languages() {
    return languages;
  }

  Language language(String code) {
    return languagesByCode.get(code);
  }

  List<Language> languagesOf(Country country) {
    return country.languageCodes().stream().map(languagesByCode::get).toList();
  }
}
