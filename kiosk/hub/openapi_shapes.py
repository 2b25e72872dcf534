"""The OpenAPI description of the batch endpoint, whose body the hub parses itself (it may be
gzip-compressed, and validating thousands of records through models would halve the hub's rate)."""

_ROW = {
    "type": "object",
    "required": ["seq", "record_type", "record"],
    "properties": {
        "seq": {"type": "integer", "minimum": 1, "description": "the kiosk's outbox sequence"},
        "record_type": {"type": "string", "enum": ["assistance_session", "lesson_run",
                                                   "help_request"]},
        "record": {"type": "object", "required": ["id", "device_id", "revision"],
                   "properties": {"id": {"type": "string", "format": "uuid"},
                                  "device_id": {"type": "string", "format": "uuid"},
                                  "revision": {"type": "integer", "minimum": 1}},
                   "additionalProperties": True},
    },
}

BATCH_BODY = {
    "required": True,
    "description": "One device's outbox rows in sequence order; may be sent with "
                   "Content-Encoding: gzip.",
    "content": {"application/json": {"schema": {
        "type": "object",
        "required": ["device_id", "first_seq", "last_seq", "records"],
        "properties": {
            "device_id": {"type": "string", "format": "uuid"},
            "first_seq": {"type": "integer", "minimum": 0},
            "last_seq": {"type": "integer", "minimum": 0},
            "sent_at": {"type": "string", "description": "the kiosk's clock, ISO 8601"},
            "outbox_last_seq": {"type": "integer", "minimum": 0,
                                "description": "optional: the newest sequence in the kiosk's "
                                               "outbox when it sent this batch (the hub shows "
                                               "how much each kiosk still has to send)"},
            "records": {"type": "array", "items": _ROW},
        },
    }}},
}

_ERROR = {"content": {"application/json": {"schema": {
    "type": "object", "required": ["hub", "error", "message"],
    "properties": {"hub": {"type": "string"}, "error": {"type": "string"},
                   "message": {"type": "string"}}}}}}

BATCH_RESPONSES = {
    200: {"description": "Committed. Every row is new, already present, updated or refused; "
                         "the kiosk may mark first_seq..last_seq sent (refused rows set aside).",
          "content": {"application/json": {"schema": {
              "type": "object",
              "required": ["hub", "device_id", "first_seq", "last_seq", "acknowledged_through",
                           "new", "already_present", "updated", "refused"],
              "properties": {
                  "hub": {"type": "string", "const": "kiosk-hub"},
                  "hub_id": {"type": "string"},
                  "device_id": {"type": "string"},
                  "first_seq": {"type": "integer"}, "last_seq": {"type": "integer"},
                  "acknowledged_through": {"type": "integer"},
                  "new": {"type": "integer"}, "already_present": {"type": "integer"},
                  "updated": {"type": "integer"},
                  "refused": {"type": "array", "items": {
                      "type": "object", "properties": {"seq": {"type": "integer"},
                                                       "reason": {"type": "string"}}}},
              }}}}},
    400: {"description": "The batch is malformed; nothing was stored.", **_ERROR},
    401: {"description": "No token, or a token the hub does not know.", **_ERROR},
    403: {"description": "The batch names another device.", **_ERROR},
    413: {"description": "The batch is too large.", **_ERROR},
}
