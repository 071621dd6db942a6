// Runs a model exported by `zhsenti export onnx` in ONNX Runtime, fed by `zhsenti encode`.
// Used by classify.js (the example) and by tests/onnx/parity_test.js (the proof that the
// exported graph gives zhsenti's probabilities).
'use strict';

const fs = require('fs');
const ort = require('onnxruntime-node');

// ONNX Runtime for Node does not expose a model's metadata_props, so they are read from the
// protobuf directly: ModelProto field 14 holds StringStringEntryProto {1: key, 2: value}.
function readVarint(buf, pos) {
  let value = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[pos++];
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value, pos];
    shift += 7n;
  }
}

// Calls visit(field, wireType, start, end) for each field of the message in buf[start, end);
// for length-delimited fields [start, end) is the payload.
function forEachField(buf, start, end, visit) {
  let pos = start;
  while (pos < end) {
    let key;
    [key, pos] = readVarint(buf, pos);
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      [, pos] = readVarint(buf, pos);
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else if (wire === 2) {
      let len;
      [len, pos] = readVarint(buf, pos);
      const payloadEnd = pos + Number(len);
      visit(field, wire, pos, payloadEnd);
      pos = payloadEnd;
    } else {
      throw new Error(`unsupported protobuf wire type ${wire}`);
    }
  }
}

function readMetadata(bytes) {
  const metadata = {};
  forEachField(bytes, 0, bytes.length, (field, wire, start, end) => {
    if (field !== 14) return;
    let key = '';
    let value = '';
    forEachField(bytes, start, end, (f, w, s, e) => {
      const text = bytes.toString('utf8', s, e);
      if (f === 1) key = text;
      if (f === 2) value = text;
    });
    metadata[key] = value;
  });
  return metadata;
}

// The exported model: an ONNX Runtime session plus its labels and which n-gram inputs it has.
async function loadModel(path, sessionOptions = {}) {
  const bytes = fs.readFileSync(path);
  const metadata = readMetadata(bytes);
  if (!metadata.labels) throw new Error(`${path}: no labels in metadata_props (not a zhsenti export?)`);
  const session = await ort.InferenceSession.create(bytes, sessionOptions);
  return {session, labels: JSON.parse(metadata.labels), metadata};
}

// Encoded texts (the objects `zhsenti encode` prints) padded into one batch: [batch, time]
// id tensors with id 0 past each length, and the lengths.
function batchInputs(model, encoded) {
  const batch = encoded.length;
  const time = Math.max(...encoded.map((e) => e.length));
  const feeds = {};
  for (const name of model.session.inputNames) {
    if (name === 'lengths') {
      feeds.lengths = new ort.Tensor('int64', BigInt64Array.from(encoded, (e) => BigInt(e.length)), [batch]);
      continue;
    }
    const key = name === 'token_ids' ? 'ids' : name;
    const data = new BigInt64Array(batch * time);
    encoded.forEach((e, b) => {
      if (!e[key]) throw new Error(`the model needs '${key}', which the encoded text lacks`);
      e[key].forEach((id, t) => { data[b * time + t] = BigInt(id); });
    });
    feeds[name] = new ort.Tensor('int64', data, [batch, time]);
  }
  return feeds;
}

// Probabilities (one array per text, in the order of model.labels).
async function predict(model, encoded) {
  const result = await model.session.run(batchInputs(model, encoded));
  const probs = result.probabilities;
  const classes = probs.dims[1];
  return encoded.map((_, b) => Array.from(probs.data.subarray(b * classes, (b + 1) * classes)));
}

module.exports = {loadModel, predict, readMetadata};
