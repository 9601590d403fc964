package dev.assay.agreement;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a file that is one JSON array of objects (how PandaLM and LLMBar publish their data), keeping the line on
 * which each element starts so that errors can name it. Public so that the replay stand-in and judge qualification
 * read the same files with the same reader (and the same error messages) as {@code --import}.
 */
public final class JsonArrayFile {
  /** One element: its 0-based position, the line of its opening brace, and the object. */
  public record Element(int index, long line, JsonNode node) {}

  private JsonArrayFile() {}

  /**
   * Every element of the array in {@code file}.
   *
   * @throws InputException for a missing or unreadable file, malformed JSON, a top level that is not an array, an
   *     element that is not an object, or an empty array
   */
  public static List<Element> read(Path file) {
    String name = file.toString();
    List<Element> out = new ArrayList<>();
    try (JsonParser parser = Json.mapper().getFactory().createParser(file.toFile())) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new InputException(name, parser.currentTokenLocation().getLineNr(), null, "expected a JSON array");
      }
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token == null) {
          throw new InputException(name, parser.currentLocation().getLineNr(), null, "the array is not closed");
        }
        long line = parser.currentTokenLocation().getLineNr();
        if (token != JsonToken.START_OBJECT) {
          throw new InputException(name, line, null, "element " + out.size() + " is not a JSON object");
        }
        out.add(new Element(out.size(), line, Json.mapper().readTree(parser)));
      }
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new InputException(name, Math.max(line, 0), null, Json.syntaxProblem(e, true), e);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new InputException(name, 0, null, "file not found");
    } catch (IOException e) {
      throw new InputException(name, 0, null, "cannot read: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new InputException(name, 0, null, "the array is empty");
    }
    return out;
  }
}
