package dev.jgql.internal;

import dev.jgql.Upload;

import java.util.List;

/**
 * The files of a GraphQL multipart request, for the transport: each distinct upload once, in the
 * order met in the variables, with the operations paths it fills ({@code variables.files.0}).
 *
 * @param files the uploads, each once
 * @param paths for each upload, where it goes
 */
public record UploadParts(List<Upload> files, List<List<String>> paths) {
}
