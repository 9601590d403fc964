package dev.assay.sim;

/** A request the simulator rejects (400, 404), with the fields of an OpenAI-style error body. */
final class SimRequestException extends Exception {
  final int status;
  final String type;
  final String param;
  final String code;

  SimRequestException(int status, String type, String param, String code, String message) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  static SimRequestException invalid(String param, String message) {
    return new SimRequestException(400, "invalid_request_error", param, null, message);
  }
}
