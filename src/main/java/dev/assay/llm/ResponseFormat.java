package dev.assay.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * Structured output: the JSON schema a chat answer must follow, sent as {@code response_format: {type: json_schema,
 * json_schema: {name, strict: true, schema}}}. OpenAI, vLLM and llama.cpp's server accept this form (llama.cpp turns
 * the schema into a grammar); a server that lacks it may ignore it, so callers still parse the answer as outside-world
 * data.
 *
 * @param name the schema's name, as OpenAI requires one ({@code [A-Za-z0-9_-]}, at most 64 characters)
 * @param schema the JSON Schema object; copied, so later changes to the caller's tree do not change the request
 */
public record ResponseFormat(String name, JsonNode schema) {
  public ResponseFormat {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(schema, "schema");
    if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("a response_format name is 1-64 of [A-Za-z0-9_-]: " + name);
    }
    if (!schema.isObject()) {
      throw new IllegalArgumentException("a JSON schema is an object: " + schema);
    }
    schema = schema.deepCopy();
  }

  /** The schema, as a copy: a record must not hand out its mutable tree. */
  @Override
  public JsonNode schema() {
    return schema.deepCopy();
  }
}
