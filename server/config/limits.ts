/**
 * How deep things may nest, in one place so the two limits a user can meet are stated together
 * (#16 items 6 and 13).
 *
 * MAX_BODY_DEPTH bounds a request body as JSON sees it (objects and arrays; the body itself is
 * level 1). It protects the parsers and every recursive walk after them. Envoy resources nest about
 * 20 JSON levels at most outside a google.protobuf.Struct, so 64 leaves ample room.
 *
 * PROTOBUF_RECURSION_LIMIT bounds a resource as protobuf sees it: messages inside messages, counted
 * from the resource (0). 100 is the default of protobuf's C++ parser (CodedInputStream
 * default_recursion_limit_), the one Envoy unpacks every xDS resource with, and of protobufjs
 * (util.recursionLimit), which encodes our snapshots. A Struct costs 3 messages per JSON object level
 * (map entry, Value, Struct), so a Struct can nest about 32 JSON levels: every Struct that can be
 * served fits well within MAX_BODY_DEPTH. One that nests deeper than protobuf allows but within the
 * body limit is refused at its field, naming this limit, by the check the snapshot build itself runs
 * (server/config/encode-resource.ts), at PUT and at commit.
 */
export const MAX_BODY_DEPTH = 64
export const PROTOBUF_RECURSION_LIMIT = 100
