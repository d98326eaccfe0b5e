package dev.jgql.countries;

import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.execution.preparsed.persisted.PersistedQuerySupport;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GraphQL multipart requests (file uploads, the multipart request specification): {@code operations},
 * then {@code map}, then the files, in that order. Each file is digested as it streams in, in constant
 * memory, and never written anywhere; its variable then holds a {@link ReceivedFile}. Missing fields,
 * a map naming a missing file part, or invalid JSON are answered 400 with a plain-text reason, as
 * graphql-upload does. The fields are read once the request has ended (Vert.x hands form attributes
 * over then), so their order is not checked here. Other requests go on to the next handler.
 */
final class UploadHandler implements Handler<RoutingContext> {

  /** What arrived of one file part. */
  record ReceivedFile(String fileName, String contentType, double size, String sha256) {
  }

  private final GraphQL graphQL;

  UploadHandler(GraphQL graphQL) {
    this.graphQL = graphQL;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      ctx.next();
      return;
    }
    request.setExpectMultipart(true);
    Map<String, ReceivedFile> files = new LinkedHashMap<>();
    request.uploadHandler(upload -> {
      MessageDigest digest = sha256();
      long[] size = new long[1];
      upload.handler(chunk -> {
        byte[] bytes = chunk.getBytes();
        digest.update(bytes);
        size[0] += bytes.length;
      });
      upload.endHandler(done -> files.put(upload.name(),
          new ReceivedFile(upload.filename(), upload.contentType(), size[0], HexFormat.of().formatHex(digest.digest()))));
    });
    request.exceptionHandler(failure -> request.connection().close());
    request.endHandler(done -> {
      execute(ctx, request.getFormAttribute("operations"), request.getFormAttribute("map"), files);
    });
    request.resume();
  }

  private void execute(RoutingContext ctx, String operationsText, String mapText, Map<String, ReceivedFile> files) {
    if (operationsText == null || mapText == null) {
      reject(ctx, "A GraphQL multipart request needs the fields 'operations' and 'map'");
      return;
    }
    JsonObject operations;
    JsonObject map;
    try {
      operations = new JsonObject(operationsText);
      map = new JsonObject(mapText);
    } catch (DecodeException | ClassCastException e) {
      reject(ctx, "Invalid JSON in 'operations' or 'map' (a batch of uploads is not served): " + e.getMessage());
      return;
    }
    Map<String, Object> variables = operations.getJsonObject("variables", new JsonObject()).getMap();
    variables = new LinkedHashMap<>(variables);
    for (String key : map.fieldNames()) {
      ReceivedFile file = files.get(key);
      if (file == null) {
        reject(ctx, "The map names the file '" + key + "', which the request does not hold");
        return;
      }
      Object paths = map.getValue(key);
      if (!(paths instanceof JsonArray list)) {
        reject(ctx, "The map's value for '" + key + "' is not an array of paths");
        return;
      }
      for (Object path : list) {
        String text = String.valueOf(path);
        if (!text.startsWith("variables.") || !place(variables, text.substring("variables.".length()).split("\\."), file)) {
          reject(ctx, "The map's path '" + text + "' leads nowhere in the variables");
          return;
        }
      }
    }
    JsonObject extensions = operations.getJsonObject("extensions", new JsonObject());
    String query = operations.getString("query");
    if (query == null && extensions.containsKey("persistedQuery")) {
      query = PersistedQuerySupport.PERSISTED_QUERY_MARKER; // as Vert.x's GraphQLHandler: the hash stands for it
    }
    ExecutionInput input = ExecutionInput.newExecutionInput()
        .query(query == null ? "" : query)
        .operationName(operations.getString("operationName"))
        .variables(variables)
        .extensions(extensions.getMap())
        .build();
    graphQL.executeAsync(input).whenComplete((result, failure) -> {
      if (failure != null) {
        ctx.fail(failure);
        return;
      }
      ctx.response().putHeader("Content-Type", "application/json").end(Json.encode(result.toSpecification()));
    });
  }

  /** Puts the file at the path, copying the containers on the way; false if there is no such place. */
  @SuppressWarnings("unchecked")
  private static boolean place(Map<String, Object> variables, String[] path, ReceivedFile file) {
    Object container = variables;
    for (int i = 0; i < path.length; i++) {
      boolean last = i == path.length - 1;
      if (container instanceof Map<?, ?> object) {
        Map<String, Object> map = (Map<String, Object>) object;
        if (!map.containsKey(path[i])) {
          return false;
        }
        if (last) {
          map.put(path[i], file);
          return true;
        }
        Object next = copy(map.get(path[i]));
        map.put(path[i], next);
        container = next;
      } else if (container instanceof List<?> array) {
        List<Object> list = (List<Object>) array;
        int index;
        try {
          index = Integer.parseInt(path[i]);
        } catch (NumberFormatException e) {
          return false;
        }
        if (index < 0 || index >= list.size()) {
          return false;
        }
        if (last) {
          list.set(index, file);
          return true;
        }
        Object next = copy(list.get(index));
        list.set(index, next);
        container = next;
      } else {
        return false;
      }
    }
    return false;
  }

  private static Object copy(Object value) {
    if (value instanceof JsonObject object) {
      return new LinkedHashMap<>(object.getMap());
    }
    if (value instanceof JsonArray array) {
      return new ArrayList<>(array.getList());
    }
    if (value instanceof Map<?, ?> map) {
      return new LinkedHashMap<>(map);
    }
    if (value instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    return value;
  }

  private static void reject(RoutingContext ctx, String reason) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8").end(reason);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }
}
